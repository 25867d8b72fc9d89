//go:build browser

package static_test

import (
	"bytes"
	"compress/zlib"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/veraison/go-cose"

	"github.com/civicledger/civicledger/gateway/internal/browser"
	"github.com/civicledger/civicledger/gateway/proofs/seal"
)

// verdictOf is the page verdict for a Go reason when the ledger says valid.
var verdictOf = map[seal.Reason]string{
	seal.ReasonOK: "valid", seal.ReasonExpired: "expired", seal.ReasonNotYetValid: "not-yet-valid",
	seal.ReasonBadPrefix: "malformed", seal.ReasonBadEncoding: "malformed",
	seal.ReasonBadHeader: "tampered", seal.ReasonBadCertificate: "tampered", seal.ReasonBadSignature: "tampered",
	seal.ReasonBadClaims: "tampered", seal.ReasonUnknownIssuer: "unknown-issuer", seal.ReasonIssuerMismatch: "issuer-mismatch",
}

// TestGoAndBrowserAgree checks a table of seals with the Go verifier and in
// the browser: same §5 reason, and the page verdict that reason implies.
func TestGoAndBrowserAgree(t *testing.T) {
	w := newWorld(t)
	srv := newStandIn(t, w)
	b := browser.ForTest(t)
	for _, id := range []string{"AG-1", "AG-RAW"} {
		for _, msp := range []string{"TreasuryMSP", "RegistryMSP", "CouncilMSP"} {
			srv.setStatus(msp, id, http.StatusOK, validStatus(shaHex(id)))
		}
	}

	cert, key := w.treasury.leaf(t, nil)
	header := func() cose.ProtectedHeader { return cose.ProtectedHeader{4: kid(cert), 33: cert.Raw} }
	good := claimsCBOR(t, rawClaims("AG-RAW", "TreasuryMSP"))
	withClaims := func(edit func(map[int]any)) []byte {
		m := rawClaims("AG-RAW", "TreasuryMSP")
		edit(m)
		return claimsCBOR(t, m)
	}
	leafSeal := func(issuer *ca, edit func(*x509.Certificate)) string {
		c, k := issuer.leaf(t, edit)
		return rawSeal(t, cose.AlgorithmES256, k, cose.ProtectedHeader{4: kid(c), 33: c.Raw}, claimsCBOR(t, rawClaims("AG-RAW", issuer.msp)), nil)
	}
	councilICA := w.council.sub(t)
	icaCert, icaKey := councilICA.leaf(t, nil)
	p384, err := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	require.NoError(t, err)
	valid := mustSeal(t, w.treasury.signer(t), claims("AG-1", "TreasuryMSP"))
	zlibOf := func(data []byte) string {
		var buf bytes.Buffer
		zw := zlib.NewWriter(&buf)
		_, _ = zw.Write(data)
		require.NoError(t, zw.Close())
		return "CL1:" + base45(buf.Bytes())
	}

	cases := map[string]string{
		"a seal made by seal.Signer":                  valid,
		"a seal by a signer under an intermediate CA": mustSeal(t, w.registry.signer(t), claims("AG-1", "RegistryMSP")),
		"a raw seal with the standard header":         rawSeal(t, cose.AlgorithmES256, key, header(), good, nil),
		"a seal whose x5chain carries the intermediate CA": rawSeal(t, cose.AlgorithmES256, icaKey,
			cose.ProtectedHeader{4: kid(icaCert), 33: []any{icaCert.Raw, councilICA.cert.Raw}}, claimsCBOR(t, rawClaims("AG-RAW", "CouncilMSP")), nil),
		"a seal whose x5chain lacks the unlisted intermediate CA": rawSeal(t, cose.AlgorithmES256, icaKey,
			cose.ProtectedHeader{4: kid(icaCert), 33: icaCert.Raw}, claimsCBOR(t, rawClaims("AG-RAW", "CouncilMSP")), nil),
		"a flipped byte in the payload":                           rawSeal(t, cose.AlgorithmES256, key, header(), good, func(m *cose.Sign1Message) { m.Payload[20] ^= 1 }),
		"a flipped byte in the signature":                         rawSeal(t, cose.AlgorithmES256, key, header(), good, func(m *cose.Sign1Message) { m.Signature[7] ^= 0x40 }),
		"a detached payload":                                      rawSeal(t, cose.AlgorithmES256, key, header(), good, func(m *cose.Sign1Message) { m.Payload = nil }),
		"a wrong kid":                                             rawSeal(t, cose.AlgorithmES256, key, cose.ProtectedHeader{4: []byte("12345678"), 33: cert.Raw}, good, nil),
		"a crit header":                                           rawSeal(t, cose.AlgorithmES256, key, cose.ProtectedHeader{2: []any{4}, 4: kid(cert), 33: cert.Raw}, good, nil),
		"alg ES384":                                               rawSeal(t, cose.AlgorithmES384, p384, header(), good, nil),
		"no x5chain":                                              rawSeal(t, cose.AlgorithmES256, key, cose.ProtectedHeader{4: kid(cert)}, good, nil),
		"claims of version 2":                                     rawSeal(t, cose.AlgorithmES256, key, header(), withClaims(func(m map[int]any) { m[1] = 2 }), nil),
		"claims with an unknown key":                              rawSeal(t, cose.AlgorithmES256, key, header(), withClaims(func(m map[int]any) { m[10] = "x" }), nil),
		"claims with a short hash":                                rawSeal(t, cose.AlgorithmES256, key, header(), withClaims(func(m map[int]any) { m[4] = make([]byte, 31) }), nil),
		"claims with an empty id":                                 rawSeal(t, cose.AlgorithmES256, key, header(), withClaims(func(m map[int]any) { m[2] = "" }), nil),
		"claims ending before they start":                         rawSeal(t, cose.AlgorithmES256, key, header(), withClaims(func(m map[int]any) { m[8] = m[7] }), nil),
		"claims past their window":                                rawSeal(t, cose.AlgorithmES256, key, header(), withClaims(func(m map[int]any) { m[8] = now.Add(-time.Minute).Unix() }), nil),
		"claims not yet valid":                                    rawSeal(t, cose.AlgorithmES256, key, header(), withClaims(func(m map[int]any) { m[7] = now.Add(time.Hour).Unix() }), nil),
		"a signer certificate without digitalSignature":           leafSeal(w.treasury, func(c *x509.Certificate) { c.KeyUsage = x509.KeyUsageCertSign }),
		"a signer certificate expired at issue time":              leafSeal(w.treasury, func(c *x509.Certificate) { c.NotAfter = now.Add(-2 * time.Hour) }),
		"a signer of an outside CA":                               leafSeal(w.foreign, nil),
		"a signer certificate shaped like a Fabric CA enrollment": leafSeal(w.registryICA, fabricShape),
		"a Treasury signer claiming Registry": rawSeal(t, cose.AlgorithmES256, key, header(),
			claimsCBOR(t, rawClaims("AG-RAW", "RegistryMSP")), nil),
		"truncated text":            valid[:len(valid)-3],
		"a length of 3k+1":          valid + "0",
		"a lowercase character":     valid[:10] + "a" + valid[11:],
		"zlib of plain CBOR":        zlibOf([]byte{0x84, 0x40, 0xa0, 0x40, 0x40}),
		"zlib of a bomb":            zlibOf(make([]byte, 70000)),
		"COSE with a trailing byte": encodeTextTrailing(t, valid),
	}
	for i := 4; i < len(valid); i += len(valid) / 6 {
		cases["one character changed at "+string(rune('0'+i*6/len(valid)))] = changeAt(valid, i)
	}

	for name, text := range cases {
		t.Run("Go and the browser agree on "+name, func(t *testing.T) {
			want := seal.Verify(text, w.trust, time.Now())
			t.Logf("Go: %s (%s)", want.Reason, want.Message)
			_, r := openSeal(t, b, srv.URL, text)
			require.Equal(t, string(want.Reason), r.reason, "Go says %s (%s); the page says %s: %s\nsteps: %v\nerrors: %v",
				want.Reason, want.Message, r.verdict, r.text, r.steps, r.errors)
			require.Equal(t, verdictOf[want.Reason], r.verdict, r.text)
			require.Empty(t, r.errors)
		})
	}
}

// fabricShape makes a leaf look like a Fabric CA enrollment certificate:
// OU, SKI, SAN, basic constraints and the hf.* attribute extension, whose
// value is JSON rather than DER.
func fabricShape(c *x509.Certificate) {
	c.Subject.Province = []string{"Ile-de-France"}
	c.BasicConstraintsValid = true
	c.SubjectKeyId = []byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20}
	c.DNSNames = []string{"gateway-0.registry.example"}
	c.ExtraExtensions = []pkix.Extension{{
		Id:    asn1.ObjectIdentifier{1, 2, 3, 4, 5, 6, 7, 8, 1},
		Value: []byte(`{"attrs":{"hf.Affiliation":"","hf.EnrollmentID":"seal0","hf.Type":"client"}}`),
	}}
}

// changeAt replaces the character at i with another Base45 character.
func changeAt(text string, i int) string {
	c := byte('7')
	if text[i] == c {
		c = '8'
	}
	return text[:i] + string(c) + text[i+1:]
}

// encodeTextTrailing re-encodes a seal with one byte after its COSE message.
func encodeTextTrailing(t *testing.T, text string) string {
	t.Helper()
	coseMsg := inflateText(t, text)
	return encodeText(t, append(coseMsg, 0x00))
}
