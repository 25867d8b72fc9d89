package seal

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/veraison/go-cose"
)

var (
	// ErrInvalidSigner is returned by NewSigner for an unusable certificate or key.
	ErrInvalidSigner = errors.New("invalid seal signer")
	// ErrInvalidClaims is returned by Seal for claims that break the format rules.
	ErrInvalidClaims = errors.New("invalid seal claims")
	// ErrTooLarge is returned by Seal when the seal does not fit a QR code at
	// error correction M.
	ErrTooLarge = errors.New("seal too large for a QR code")
)

// Signer seals claims with an administration's seal key. It is safe for
// concurrent use if its crypto.Signer is.
type Signer struct {
	cert   *x509.Certificate
	signer cose.Signer
	kid    []byte
	now    func() time.Time
	rand   io.Reader
}

// SignerOption configures a Signer.
type SignerOption func(*Signer) error

// WithClock sets the clock that stamps IssuedAt when the claims leave it
// zero; the default is time.Now.
func WithClock(now func() time.Time) SignerOption {
	return func(s *Signer) error {
		if now == nil {
			return errors.New("clock is nil")
		}
		s.now = now
		return nil
	}
}

// NewSigner returns a Signer for an ECDSA P-256 seal key and its certificate,
// as issued to the administration by its Fabric CA. The certificate goes into
// every seal, so a verifier can check it against the trust list offline.
func NewSigner(cert *x509.Certificate, key crypto.Signer, opts ...SignerOption) (*Signer, error) {
	if cert == nil || key == nil {
		return nil, fmt.Errorf("%w: certificate and key are required", ErrInvalidSigner)
	}
	pub, ok := cert.PublicKey.(*ecdsa.PublicKey)
	if !ok || pub.Curve != elliptic.P256() {
		return nil, fmt.Errorf("%w: certificate %w", ErrInvalidSigner, errNotP256)
	}
	if !pub.Equal(key.Public()) {
		return nil, fmt.Errorf("%w: key does not match the certificate", ErrInvalidSigner)
	}
	if cert.KeyUsage != 0 && cert.KeyUsage&x509.KeyUsageDigitalSignature == 0 {
		return nil, fmt.Errorf("%w: certificate does not allow digital signatures", ErrInvalidSigner)
	}
	cs, err := cose.NewSigner(cose.AlgorithmES256, key)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidSigner, err)
	}
	s := &Signer{cert: cert, signer: cs, kid: keyID(cert.Raw), now: time.Now, rand: rand.Reader}
	for _, o := range opts {
		if err := o(s); err != nil {
			return nil, fmt.Errorf("%w: %w", ErrInvalidSigner, err)
		}
	}
	return s, nil
}

// Seal signs c and returns the seal text. It sets Version, defaults IssuedAt
// to the signer's clock and ValidFrom to IssuedAt, and rejects claims that a
// verifier would reject.
func (s *Signer) Seal(c Claims) (Seal, error) {
	if c.Version == 0 {
		c.Version = FormatVersion
	}
	if c.IssuedAt.IsZero() {
		c.IssuedAt = s.now()
	}
	if c.ValidFrom.IsZero() {
		c.ValidFrom = c.IssuedAt
	}
	if c.IssuedAt.Before(s.cert.NotBefore) || c.IssuedAt.After(s.cert.NotAfter) {
		return Seal{}, fmt.Errorf("%w: issued-at %s is outside the certificate's validity", ErrInvalidClaims, c.IssuedAt.Format(time.RFC3339))
	}
	payload, err := marshalClaims(c)
	if err != nil {
		return Seal{}, fmt.Errorf("%w: %w", ErrInvalidClaims, err)
	}
	msg := cose.NewSign1Message()
	msg.Headers.Protected[headerAlg] = cose.AlgorithmES256
	msg.Headers.Protected[headerKID] = s.kid
	msg.Headers.Protected[headerX5Chain] = s.cert.Raw
	msg.Payload = payload
	if err := msg.Sign(s.rand, nil, s.signer); err != nil {
		return Seal{}, fmt.Errorf("sign seal: %w", err)
	}
	coseMsg, err := msg.MarshalCBOR()
	if err != nil {
		return Seal{}, fmt.Errorf("encode seal: %w", err)
	}
	text, err := encodeText(coseMsg)
	if err != nil {
		return Seal{}, err
	}
	if len(text) > maxSealTextLen {
		return Seal{}, fmt.Errorf("%w: %d characters, at most %d at error correction M", ErrTooLarge, len(text), maxSealTextLen)
	}
	return Seal{Text: text}, nil
}
