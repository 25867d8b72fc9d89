package seal

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/veraison/go-cose"
)

func TestVerify(t *testing.T) {
	w := newTestWorld(t)
	treasury := w.treasury.signer(t, compactCert)
	treasuryCert, treasuryKey := w.treasury.issue(t, compactCert)
	foreign := w.foreign.signer(t, compactCert)

	seal := func(s *Signer, edit func(*Claims)) func(t *testing.T) string {
		return func(t *testing.T) string {
			c := debtExtract("TreasuryMSP")
			if edit != nil {
				edit(&c)
			}
			out, err := s.Seal(c)
			require.NoError(t, err)
			return out.Text
		}
	}
	// signedClaims returns payload bytes for claims a Signer would refuse.
	signedClaims := func(edit func(map[int]any)) []byte {
		c := map[int]any{
			1: 1, 2: "DX-1", 3: "debt-extract", 4: make([]byte, 32), 5: "TreasuryMSP",
			7: testIssuedAt.Unix(), 9: testIssuedAt.Unix(),
		}
		c[4].([]byte)[0] = 1
		edit(c)
		b, err := claimsEncMode.Marshal(c)
		require.NoError(t, err)
		return b
	}
	raw := func(alg cose.Algorithm, header cose.ProtectedHeader, payload []byte) func(t *testing.T) string {
		return func(t *testing.T) string {
			key := treasuryKey
			if alg == cose.AlgorithmES384 {
				var err error
				key, err = ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
				require.NoError(t, err)
			}
			return rawSeal(t, key, alg, header, payload)
		}
	}
	validHeader := func() cose.ProtectedHeader {
		return cose.ProtectedHeader{headerKID: keyID(treasuryCert.Raw), headerX5Chain: treasuryCert.Raw}
	}
	goodPayload := signedClaims(func(map[int]any) {})
	ica := w.treasury.subCA(t)
	icaCert, icaKey := ica.issue(t, compactCert)

	cases := []struct {
		name       string
		text       func(t *testing.T) string
		trust      TrustList // nil: w.trust
		at         time.Time // zero: testNow
		opts       []VerifyOption
		want       Reason
		msg        string
		withClaims bool
	}{
		{
			name: "a seal from a member verifies as valid", text: seal(treasury, nil),
			opts: []VerifyOption{WithDocument(sha256.Sum256(debtExtractBytes))}, want: ReasonOK, withClaims: true,
		},
		{
			name: "a flipped byte in the signed claims gives bad-signature",
			text: func(t *testing.T) string {
				return rewrite(t, seal(treasury, nil)(t), func(m *cose.Sign1Message) { m.Payload[len(m.Payload)/2] ^= 0x01 })
			},
			want: ReasonBadSignature, msg: "signature does not verify",
		},
		{
			name: "a flipped byte in the signature gives bad-signature",
			text: func(t *testing.T) string {
				return rewrite(t, seal(treasury, nil)(t), func(m *cose.Sign1Message) { m.Signature[5] ^= 0x80 })
			},
			want: ReasonBadSignature,
		},
		{
			name: "a certificate from a CA outside the trust list gives unknown-issuer",
			text: seal(foreign, func(c *Claims) { c.IssuerMSPID = "ForeignMSP" }),
			want: ReasonUnknownIssuer, msg: `issuer "ForeignMSP" is not in the trust list`,
		},
		{
			name: "a foreign certificate claiming a member as issuer gives unknown-issuer",
			text: seal(foreign, nil), want: ReasonUnknownIssuer, msg: `does not chain to a CA of "TreasuryMSP"`,
		},
		{
			name: "Treasury's certificate signing claims that say RegistryMSP gives issuer-mismatch",
			text: seal(treasury, func(c *Claims) { c.IssuerMSPID = "RegistryMSP" }),
			want: ReasonIssuerMismatch, msg: `claims name issuer "RegistryMSP" but the signer certificate was issued by the CA of [TreasuryMSP]`,
		},
		{
			name: "a member listed without CA certificates gives unknown-issuer",
			text: seal(treasury, nil), trust: TrustList{"TreasuryMSP": nil},
			want: ReasonUnknownIssuer, msg: "no CA certificates",
		},
		{
			name: "a seal checked one second after valid-until gives expired",
			text: seal(treasury, nil), at: testIssuedAt.AddDate(0, 0, 90).Add(time.Second),
			want: ReasonExpired, msg: "seal was valid until 2026-05-30T10:00:00Z", withClaims: true,
		},
		{
			name: "a seal checked at valid-until is still valid",
			text: seal(treasury, nil), at: testIssuedAt.AddDate(0, 0, 90), want: ReasonOK, withClaims: true,
		},
		{
			name: "a seal checked before valid-from gives not-yet-valid",
			text: seal(treasury, func(c *Claims) { c.ValidFrom = testNow.Add(time.Hour) }),
			want: ReasonNotYetValid, msg: "seal is valid from 2026-03-02T11:00:00Z", withClaims: true,
		},
		{
			name: "a seal without valid-until is valid after its certificate expired",
			text: seal(treasury, func(c *Claims) { c.ValidUntil = time.Time{} }),
			at:   time.Date(2040, 1, 1, 0, 0, 0, 0, time.UTC), want: ReasonOK, withClaims: true,
		},
		{
			name: "another document gives document-mismatch",
			text: seal(treasury, nil), opts: []VerifyOption{WithDocument(sha256.Sum256([]byte("another document")))},
			want: ReasonDocumentMismatch, withClaims: true,
		},
		{
			name: "a seal with the certificate in an x5chain array verifies",
			text: raw(cose.AlgorithmES256, cose.ProtectedHeader{headerKID: keyID(treasuryCert.Raw), headerX5Chain: []any{treasuryCert.Raw}}, goodPayload),
			want: ReasonOK, withClaims: true,
		},
		{
			name: "a seal carrying its intermediate CA in x5chain chains to the root",
			text: func(t *testing.T) string {
				h := cose.ProtectedHeader{headerKID: keyID(icaCert.Raw), headerX5Chain: []any{icaCert.Raw, ica.cert.Raw}}
				return rawSeal(t, icaKey, cose.AlgorithmES256, h, goodPayload)
			},
			want: ReasonOK, withClaims: true,
		},
		{
			name: "a seal signed with ES384 gives bad-header",
			text: raw(cose.AlgorithmES384, validHeader(), goodPayload), want: ReasonBadHeader, msg: "alg must be ES256",
		},
		{
			name: "a seal without kid gives bad-header",
			text: raw(cose.AlgorithmES256, cose.ProtectedHeader{headerX5Chain: treasuryCert.Raw}, goodPayload),
			want: ReasonBadHeader, msg: "kid must be",
		},
		{
			name: "a seal whose kid names another certificate gives bad-header",
			text: raw(cose.AlgorithmES256, cose.ProtectedHeader{headerKID: []byte("12345678"), headerX5Chain: treasuryCert.Raw}, goodPayload),
			want: ReasonBadHeader, msg: "kid must be",
		},
		{
			name: "a seal without x5chain gives bad-certificate",
			text: raw(cose.AlgorithmES256, cose.ProtectedHeader{headerKID: keyID(treasuryCert.Raw)}, goodPayload),
			want: ReasonBadCertificate, msg: "no x5chain",
		},
		{
			name: "a seal whose x5chain is not a certificate gives bad-certificate",
			text: raw(cose.AlgorithmES256, cose.ProtectedHeader{headerKID: keyID([]byte("junk")), headerX5Chain: []byte("junk")}, goodPayload),
			want: ReasonBadCertificate, msg: "x5chain certificate 0",
		},
		{
			name: "signed claims with an unknown key give bad-claims",
			text: raw(cose.AlgorithmES256, validHeader(), signedClaims(func(c map[int]any) { c[42] = "x" })),
			want: ReasonBadClaims, msg: "unknown field",
		},
		{
			name: "signed claims of version 2 give bad-claims",
			text: raw(cose.AlgorithmES256, validHeader(), signedClaims(func(c map[int]any) { c[1] = 2 })),
			want: ReasonBadClaims, msg: "unsupported version 2",
		},
		{
			name: "signed claims with a short document hash give bad-claims",
			text: raw(cose.AlgorithmES256, validHeader(), signedClaims(func(c map[int]any) { c[4] = []byte{1, 2} })),
			want: ReasonBadClaims, msg: "document SHA-256 has 2 bytes",
		},
		{
			name: "a seal issued after its signer certificate expired gives bad-certificate",
			text: raw(cose.AlgorithmES256, validHeader(), signedClaims(func(c map[int]any) {
				c[7], c[9] = int64(1830297600), int64(1830297600) // 2028-01-01
			})),
			at: time.Date(2028, 1, 2, 0, 0, 0, 0, time.UTC), want: ReasonBadCertificate, msg: "not valid at the seal's issue time",
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			trust, at := c.trust, c.at
			if trust == nil {
				trust = w.trust
			}
			if at.IsZero() {
				at = testNow
			}
			v := Verify(c.text(t), trust, at, c.opts...)
			require.Equal(t, c.want, v.Reason, v.Message)
			require.Equal(t, c.want == ReasonOK, v.Valid)
			require.Contains(t, v.Message, c.msg)
			require.NotEmpty(t, v.Message)
			require.Equal(t, c.withClaims, v.Claims != nil)
		})
	}
}
