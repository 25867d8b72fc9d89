// Package seal makes and checks offline QR seals for documents issued by the
// member administrations.
//
// A seal is built like the EU Digital COVID Certificate: the claims (which
// document, its SHA-256, the issuer's MSP ID, a few key facts, a validity
// window) are a deterministic CBOR map, signed as a COSE_Sign1 message with
// ES256 by the issuer's seal key, whose Fabric CA certificate travels in the
// protected header (x5chain). The message is zlib-compressed, Base45-encoded
// and prefixed with "CL1:", which keeps every character in the QR code's
// alphanumeric set.
//
// Verify needs no network: it checks the signature against the embedded
// certificate and the certificate against a TrustList of the members' CA
// certificates, and says whether the claimed issuer is the one whose CA
// issued it. Whether the ledger has revoked a seal is an online question left
// to the caller.
package seal
