package seal

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/x509"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/veraison/go-cose"
)

// TrustList maps each member administration's MSP ID to the CA certificates
// of its Fabric CA (roots and intermediates alike are trust anchors). A seal is
// trusted for an issuer only if its signer certificate chains to that
// issuer's CAs.
type TrustList map[string][]*x509.Certificate

// VerifyOption adjusts one verification.
type VerifyOption func(*verifyConfig)

type verifyConfig struct {
	document *[32]byte
}

// WithDocument also checks that the sealed document hash equals sum, the
// SHA-256 of the document the verifier holds.
func WithDocument(sum [32]byte) VerifyOption {
	return func(c *verifyConfig) { c.document = &sum }
}

// Verify checks a seal text offline: prefix, Base45, zlib, COSE_Sign1, the
// ES256 signature by the certificate in x5chain, that certificate's chain to
// the claimed issuer's CAs in trust (at the seal's issue time), and the
// validity window at time at. It never panics; every failure is a Verdict
// with a Reason and a Message.
func Verify(text string, trust TrustList, at time.Time, opts ...VerifyOption) Verdict {
	var cfg verifyConfig
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
	}
	claims, f := verify(text, trust)
	if f != nil {
		return f.verdict()
	}
	v := Verdict{Claims: &claims}
	switch now := at.Unix(); {
	case now < claims.ValidFrom.Unix():
		v.Reason, v.Message = ReasonNotYetValid, fmt.Sprintf("seal is valid from %s", claims.ValidFrom.Format(time.RFC3339))
	case !claims.ValidUntil.IsZero() && now > claims.ValidUntil.Unix():
		v.Reason, v.Message = ReasonExpired, fmt.Sprintf("seal was valid until %s", claims.ValidUntil.Format(time.RFC3339))
	case cfg.document != nil && *cfg.document != claims.DocumentSHA256:
		v.Reason, v.Message = ReasonDocumentMismatch, "the document's SHA-256 differs from the sealed one"
	default:
		v.Valid, v.Reason = true, ReasonOK
		v.Message = fmt.Sprintf("sealed by %s", claims.IssuerMSPID)
	}
	return v
}

// verify runs every check that does not depend on the verification time and
// returns the authenticated claims.
func verify(text string, trust TrustList) (Claims, *failure) {
	coseMsg, f := decodeText(text)
	if f != nil {
		return Claims{}, f
	}
	msg, certs, f := parseSign1(coseMsg)
	if f != nil {
		return Claims{}, f
	}
	signer := certs[0]
	pub, ok := signer.PublicKey.(*ecdsa.PublicKey)
	if !ok || pub.Curve != elliptic.P256() {
		return Claims{}, fail(ReasonBadCertificate, "signer certificate: %v", errNotP256)
	}
	verifier, err := cose.NewVerifier(cose.AlgorithmES256, pub)
	if err != nil {
		return Claims{}, fail(ReasonBadCertificate, "signer certificate: %v", err)
	}
	if err := msg.Verify(nil, verifier); err != nil {
		return Claims{}, fail(ReasonBadSignature, "signature does not verify with the signer certificate: %v", err)
	}
	claims, err := unmarshalClaims(msg.Payload)
	if err != nil {
		return Claims{}, failErr(ReasonBadClaims, err)
	}
	if f := checkIssuer(signer, certs[1:], claims, trust); f != nil {
		return Claims{}, f
	}
	return claims, nil
}

// checkIssuer checks that the signer certificate was valid at the seal's
// issue time and chains to the CAs of the claimed issuer. On failure it looks
// at the other members to tell issuer-mismatch from unknown-issuer.
func checkIssuer(signer *x509.Certificate, intermediates []*x509.Certificate, c Claims, trust TrustList) *failure {
	if signer.KeyUsage != 0 && signer.KeyUsage&x509.KeyUsageDigitalSignature == 0 {
		return fail(ReasonBadCertificate, "signer certificate does not allow digital signatures")
	}
	if c.IssuedAt.Before(signer.NotBefore) || c.IssuedAt.After(signer.NotAfter) {
		return fail(ReasonBadCertificate, "signer certificate was not valid at the seal's issue time %s", c.IssuedAt.Format(time.RFC3339))
	}
	err := chainsTo(signer, intermediates, trust[c.IssuerMSPID], c.IssuedAt)
	if err == nil {
		return nil
	}
	var others []string
	for msp, cas := range trust {
		if msp != c.IssuerMSPID && chainsTo(signer, intermediates, cas, c.IssuedAt) == nil {
			others = append(others, msp)
		}
	}
	if len(others) > 0 {
		sort.Strings(others)
		return fail(ReasonIssuerMismatch, "claims name issuer %q but the signer certificate was issued by the CA of %v", c.IssuerMSPID, others)
	}
	if _, known := trust[c.IssuerMSPID]; !known {
		return fail(ReasonUnknownIssuer, "issuer %q is not in the trust list and the signer certificate chains to no member CA", c.IssuerMSPID)
	}
	return fail(ReasonUnknownIssuer, "signer certificate does not chain to a CA of %q: %v", c.IssuerMSPID, err)
}

var errNoCAs = errors.New("no CA certificates")

// chainsTo verifies cert against cas as trust anchors at time at.
func chainsTo(cert *x509.Certificate, intermediates, cas []*x509.Certificate, at time.Time) error {
	roots, n := x509.NewCertPool(), 0
	for _, ca := range cas {
		if ca != nil {
			roots.AddCert(ca)
			n++
		}
	}
	if n == 0 {
		return errNoCAs
	}
	key := chainKey(cert, intermediates, cas)
	if chain, ok := verifiedChains.get(key); ok && validAt(chain, at) {
		return nil
	}
	var inter *x509.CertPool
	if len(intermediates) > 0 {
		inter = x509.NewCertPool()
		for _, ic := range intermediates {
			inter.AddCert(ic)
		}
	}
	chains, err := cert.Verify(x509.VerifyOptions{
		Roots:         roots,
		Intermediates: inter,
		CurrentTime:   at,
		KeyUsages:     []x509.ExtKeyUsage{x509.ExtKeyUsageAny},
	})
	if err != nil {
		return err
	}
	verifiedChains.put(key, chains[0])
	return nil
}
