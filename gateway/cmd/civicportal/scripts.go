package main

import "github.com/civicledger/civicledger/gateway/portal"

// scripts serves the in-browser verification modules. Until the package
// gateway/portal/static (verify-seal.js, verify-file.js) is merged, no
// option is given and /static/ answers 404.
func scripts() portal.Option {
	return func(*portal.Server) error { return nil }
}
