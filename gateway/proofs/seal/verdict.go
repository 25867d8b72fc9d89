package seal

import "fmt"

// Reason is the machine-readable outcome of a verification.
type Reason string

// Verification outcomes. Only ReasonOK means the seal may be relied on.
const (
	ReasonOK               Reason = "ok"
	ReasonBadPrefix        Reason = "bad-prefix"        // text does not start with Prefix
	ReasonBadEncoding      Reason = "bad-encoding"      // Base45, zlib or COSE structure broken, or too large
	ReasonBadHeader        Reason = "bad-header"        // alg not ES256, kid missing or wrong, crit present
	ReasonBadCertificate   Reason = "bad-certificate"   // x5chain missing or unparsable, key unusable, cert not valid at issue time
	ReasonBadSignature     Reason = "bad-signature"     // signature does not match the signer certificate
	ReasonBadClaims        Reason = "bad-claims"        // signed payload is not valid version 1 claims
	ReasonUnknownIssuer    Reason = "unknown-issuer"    // certificate chains to no CA in the trust list
	ReasonIssuerMismatch   Reason = "issuer-mismatch"   // certificate chains to another administration than the claimed issuer
	ReasonExpired          Reason = "expired"           // verification time is after valid-until
	ReasonNotYetValid      Reason = "not-yet-valid"     // verification time is before valid-from
	ReasonDocumentMismatch Reason = "document-mismatch" // the given document's SHA-256 differs from the sealed one
)

// Verdict is the result of Verify. Claims is set only once the signature is
// verified and the signer is trusted for the claimed issuer, so a caller
// never shows unauthenticated claims; it is still set for an expired,
// not-yet-valid or document-mismatch verdict.
type Verdict struct {
	Valid   bool
	Reason  Reason
	Message string
	Claims  *Claims
}

// failure is an internal verification failure: a reason and what went wrong.
type failure struct {
	reason Reason
	msg    string
}

func fail(r Reason, format string, args ...any) *failure {
	return &failure{reason: r, msg: fmt.Sprintf(format, args...)}
}

func failErr(r Reason, err error) *failure {
	return &failure{reason: r, msg: err.Error()}
}

func (f *failure) verdict() Verdict {
	return Verdict{Reason: f.reason, Message: f.msg}
}
