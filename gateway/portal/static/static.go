// Package static holds the portal's JavaScript: the ES modules that check a
// QR seal (verify-seal.js) and hash a dropped file (verify-file.js) in the
// citizen's browser, so that neither the seal's key facts nor the file ever
// reach the server. The portal serves FS under /static/.
package static

import "embed"

// FS holds every module, at the top level (verify-seal.js imports ./seal.js,
// ./cbor.js and so on by relative path).
//
//go:embed *.js
var FS embed.FS
