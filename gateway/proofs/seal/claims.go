package seal

import (
	"errors"
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/fxamacker/cbor/v2"
)

// FormatVersion is the claims version this package writes and accepts.
const FormatVersion = 1

// MaxKeyFacts bounds the key facts a seal may carry, to keep the QR code small.
const MaxKeyFacts = 16

// Claims are the signed statements of a seal: which document, from whom, and
// for how long it may be relied on. Times have one-second precision.
type Claims struct {
	// Version is the claims format version; Seal sets it to FormatVersion.
	Version int
	// DocumentID identifies the document at the issuer (e.g. a reference number).
	DocumentID string
	// DocumentType says what the document is (e.g. "debt-extract").
	DocumentType string
	// DocumentSHA256 is the SHA-256 of the exact document bytes.
	DocumentSHA256 [32]byte
	// IssuerMSPID is the Fabric MSP ID of the issuing administration.
	IssuerMSPID string
	// KeyFacts are up to MaxKeyFacts short facts a reader can check by eye
	// against the printed document (e.g. "amount" → "EUR 0.00").
	KeyFacts map[string]string
	// ValidFrom is when the seal starts to be valid; Seal defaults it to IssuedAt.
	ValidFrom time.Time
	// ValidUntil is when the seal stops being valid; zero means no end.
	ValidUntil time.Time
	// IssuedAt is when the seal was signed; Seal defaults it to the signer's clock.
	IssuedAt time.Time
}

// wireClaims is the CBOR form of Claims: a map with small integer keys.
// The key numbers are part of the format and must never be reused.
type wireClaims struct {
	Version      int64             `cbor:"1,keyasint"`
	DocumentID   string            `cbor:"2,keyasint"`
	DocumentType string            `cbor:"3,keyasint"`
	DocumentHash []byte            `cbor:"4,keyasint"`
	Issuer       string            `cbor:"5,keyasint"`
	KeyFacts     map[string]string `cbor:"6,keyasint,omitempty"`
	ValidFrom    int64             `cbor:"7,keyasint"`
	ValidUntil   int64             `cbor:"8,keyasint,omitempty"`
	IssuedAt     int64             `cbor:"9,keyasint"`
}

var (
	// claimsEncMode is RFC 8949 core deterministic encoding, so the same
	// claims always produce the same bytes.
	claimsEncMode = mustEncMode(cbor.CoreDetEncOptions())
	// claimsDecMode rejects duplicate keys, unknown keys, tags and
	// indefinite lengths: a version 1 seal has exactly one reading.
	claimsDecMode = mustDecMode(cbor.DecOptions{
		DupMapKey:         cbor.DupMapKeyEnforcedAPF,
		IndefLength:       cbor.IndefLengthForbidden,
		TagsMd:            cbor.TagsForbidden,
		ExtraReturnErrors: cbor.ExtraDecErrorUnknownField,
		MaxNestedLevels:   4,
	})
)

func mustEncMode(o cbor.EncOptions) cbor.EncMode {
	m, err := o.EncMode()
	if err != nil {
		panic(err) // static options; unreachable unless the options above are wrong
	}
	return m
}

func mustDecMode(o cbor.DecOptions) cbor.DecMode {
	m, err := o.DecMode()
	if err != nil {
		panic(err) // static options; unreachable unless the options above are wrong
	}
	return m
}

// validate checks the rules every sealed claim set must meet, on both the
// signing and the verifying side.
func (c *Claims) validate() error {
	if c.Version != FormatVersion {
		return fmt.Errorf("unsupported version %d (want %d)", c.Version, FormatVersion)
	}
	for _, f := range [...]struct{ name, value string }{
		{"document id", c.DocumentID}, {"document type", c.DocumentType}, {"issuer MSP ID", c.IssuerMSPID},
	} {
		if f.value == "" {
			return fmt.Errorf("%s is empty", f.name)
		}
		if !utf8.ValidString(f.value) {
			return fmt.Errorf("%s is not valid UTF-8", f.name)
		}
	}
	if c.DocumentSHA256 == ([32]byte{}) {
		return errors.New("document SHA-256 is all zeros")
	}
	if len(c.KeyFacts) > MaxKeyFacts {
		return fmt.Errorf("%d key facts, at most %d allowed", len(c.KeyFacts), MaxKeyFacts)
	}
	for k, v := range c.KeyFacts {
		if k == "" || !utf8.ValidString(k) || !utf8.ValidString(v) {
			return fmt.Errorf("key fact %q: key must be non-empty and key and value valid UTF-8", k)
		}
	}
	if c.IssuedAt.Unix() <= 0 || c.ValidFrom.Unix() <= 0 {
		return errors.New("issued-at and valid-from must be after 1970-01-01")
	}
	if !c.ValidUntil.IsZero() && c.ValidUntil.Unix() <= c.ValidFrom.Unix() {
		return errors.New("valid-until must be after valid-from")
	}
	return nil
}

// marshalClaims validates c and returns its deterministic CBOR encoding.
func marshalClaims(c Claims) ([]byte, error) {
	if err := c.validate(); err != nil {
		return nil, err
	}
	w := wireClaims{
		Version:      int64(c.Version),
		DocumentID:   c.DocumentID,
		DocumentType: c.DocumentType,
		DocumentHash: c.DocumentSHA256[:],
		Issuer:       c.IssuerMSPID,
		KeyFacts:     c.KeyFacts,
		ValidFrom:    c.ValidFrom.Unix(),
		IssuedAt:     c.IssuedAt.Unix(),
	}
	if !c.ValidUntil.IsZero() {
		w.ValidUntil = c.ValidUntil.Unix()
	}
	return claimsEncMode.Marshal(w)
}

// unmarshalClaims decodes and validates the CBOR claims of a seal.
func unmarshalClaims(data []byte) (Claims, error) {
	var w wireClaims
	if err := claimsDecMode.Unmarshal(data, &w); err != nil {
		return Claims{}, fmt.Errorf("decode claims: %w", err)
	}
	if len(w.DocumentHash) != 32 {
		return Claims{}, fmt.Errorf("document SHA-256 has %d bytes, want 32", len(w.DocumentHash))
	}
	if w.Version != FormatVersion {
		return Claims{}, fmt.Errorf("unsupported version %d (want %d)", w.Version, FormatVersion)
	}
	c := Claims{
		Version:      FormatVersion,
		DocumentID:   w.DocumentID,
		DocumentType: w.DocumentType,
		IssuerMSPID:  w.Issuer,
		KeyFacts:     w.KeyFacts,
		ValidFrom:    time.Unix(w.ValidFrom, 0).UTC(),
		IssuedAt:     time.Unix(w.IssuedAt, 0).UTC(),
	}
	copy(c.DocumentSHA256[:], w.DocumentHash)
	if w.ValidUntil != 0 {
		c.ValidUntil = time.Unix(w.ValidUntil, 0).UTC()
	}
	if err := c.validate(); err != nil {
		return Claims{}, err
	}
	return c, nil
}
