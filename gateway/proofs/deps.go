// Package proofs holds the formats a third party can check without trusting
// the issuer: QR seals (package seal) and Merkle batch proofs (package
// merkle).
package proofs

import (
	// Pinned here until the seal package uses them.
	_ "github.com/fxamacker/cbor/v2"
	_ "github.com/makiuchi-d/gozxing"
	_ "github.com/skip2/go-qrcode"
	_ "github.com/veraison/go-cose"
)
