//go:build browser

package static_test

import (
	"bytes"
	"compress/zlib"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/fxamacker/cbor/v2"
	"github.com/stretchr/testify/require"
	"github.com/veraison/go-cose"

	"github.com/civicledger/civicledger/gateway/proofs/seal"
)

// now is the test's reference time; certificates and seals are placed
// around the real clock because the browser checks windows against it.
var now = time.Now().UTC().Truncate(time.Second)

// ca is one administration's certificate authority (root or intermediate).
type ca struct {
	msp  string
	name string
	cert *x509.Certificate
	key  crypto.Signer
}

// newCA makes a self-signed CA on curve c (P-256 or P-384, as Fabric CAs use).
func newCA(t *testing.T, msp, name string, c elliptic.Curve) *ca {
	t.Helper()
	key, err := ecdsa.GenerateKey(c, rand.Reader)
	require.NoError(t, err)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{Organization: []string{name}, CommonName: "ca." + msp},
		NotBefore: now.AddDate(-1, 0, 0), NotAfter: now.AddDate(5, 0, 0),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		BasicConstraintsValid: true, IsCA: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	require.NoError(t, err)
	cert, err := x509.ParseCertificate(der)
	require.NoError(t, err)
	return &ca{msp: msp, name: name, cert: cert, key: key}
}

// sub makes an intermediate CA of the same administration.
func (a *ca) sub(t *testing.T) *ca {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(2), Subject: pkix.Name{Organization: []string{a.name}, CommonName: "ica." + a.msp},
		NotBefore: a.cert.NotBefore, NotAfter: a.cert.NotAfter,
		KeyUsage: x509.KeyUsageCertSign, BasicConstraintsValid: true, IsCA: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, a.cert, key.Public(), a.key)
	require.NoError(t, err)
	cert, err := x509.ParseCertificate(der)
	require.NoError(t, err)
	return &ca{msp: a.msp, name: a.name, cert: cert, key: key}
}

// leaf issues a P-256 seal certificate; edit may change the template.
func (a *ca) leaf(t *testing.T, edit func(*x509.Certificate)) (*x509.Certificate, *ecdsa.PrivateKey) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 64))
	require.NoError(t, err)
	tmpl := &x509.Certificate{
		SerialNumber: serial, Subject: pkix.Name{Organization: []string{a.name}, OrganizationalUnit: []string{"client"}, CommonName: "seal0"},
		NotBefore: now.AddDate(0, -1, 0), NotAfter: now.AddDate(1, 0, 0),
		KeyUsage: x509.KeyUsageDigitalSignature,
	}
	if edit != nil {
		edit(tmpl)
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, a.cert, key.Public(), a.key)
	require.NoError(t, err)
	cert, err := x509.ParseCertificate(der)
	require.NoError(t, err)
	return cert, key
}

// signer returns a seal.Signer with a fresh certificate from a.
func (a *ca) signer(t *testing.T) *seal.Signer {
	t.Helper()
	cert, key := a.leaf(t, nil)
	s, err := seal.NewSigner(cert, key)
	require.NoError(t, err)
	return s
}

// world is a channel of three members (Treasury with a P-384 root, Registry
// with an intermediate CA, Council) and an outsider's CA.
type world struct {
	treasury, registry, registryICA, council, foreign *ca
	trust                                             seal.TrustList
}

func newWorld(t *testing.T) *world {
	t.Helper()
	w := &world{
		treasury: newCA(t, "TreasuryMSP", "Treasury", elliptic.P384()),
		registry: newCA(t, "RegistryMSP", "Registry of Deeds", elliptic.P256()),
		council:  newCA(t, "CouncilMSP", "City Council", elliptic.P256()),
		foreign:  newCA(t, "ForeignMSP", "Foreign Office", elliptic.P256()),
	}
	w.registryICA = w.registry.sub(t)
	w.trust = seal.TrustList{
		"TreasuryMSP": {w.treasury.cert},
		"RegistryMSP": {w.registry.cert, w.registryICA.cert},
		"CouncilMSP":  {w.council.cert},
	}
	return w
}

// trustListJSON is the portal's /trust-list.json for the world.
func (w *world) trustListJSON() map[string]any {
	b64 := func(c *x509.Certificate) string { return base64.StdEncoding.EncodeToString(c.Raw) }
	admin := func(a *ca, inter ...*ca) map[string]any {
		ics := []string{}
		for _, i := range inter {
			ics = append(ics, b64(i.cert))
		}
		return map[string]any{"mspId": a.msp, "name": a.name, "caCerts": []string{b64(a.cert)}, "intermediateCerts": ics}
	}
	return map[string]any{
		"channel": "civic", "generatedAt": now.Format(time.RFC3339),
		"administrations": []any{admin(w.treasury), admin(w.registry, w.registryICA), admin(w.council)},
	}
}

// document is the file a sealed document stands for.
func document(id string) []byte { return []byte("%PDF-1.7 certified document " + id) }

// claims are a typical seal's claims for document id by issuer.
func claims(id, issuer string) seal.Claims {
	return seal.Claims{
		DocumentID: id, DocumentType: "debt-extract", DocumentSHA256: sha256.Sum256(document(id)),
		IssuerMSPID: issuer,
		KeyFacts:    map[string]string{"taxpayer": "Jeanne Martin-Durand", "balance": "EUR 0.00"},
		IssuedAt:    now.Add(-time.Hour), ValidUntil: now.AddDate(0, 0, 90),
	}
}

// mustSeal seals c with s.
func mustSeal(t *testing.T, s *seal.Signer, c seal.Claims) string {
	t.Helper()
	out, err := s.Seal(c)
	require.NoError(t, err)
	return out.Text
}

// claimsCBOR encodes raw claims deterministically, as a signer would.
func claimsCBOR(t *testing.T, m map[int]any) []byte {
	t.Helper()
	mode, err := cbor.CoreDetEncOptions().EncMode()
	require.NoError(t, err)
	b, err := mode.Marshal(m)
	require.NoError(t, err)
	return b
}

// rawClaims are valid claims as a map, for seals a Signer would refuse.
func rawClaims(id, issuer string) map[int]any {
	sum := sha256.Sum256(document(id))
	return map[int]any{1: 1, 2: id, 3: "debt-extract", 4: sum[:], 5: issuer,
		7: now.Add(-time.Hour).Unix(), 8: now.AddDate(0, 0, 90).Unix(), 9: now.Add(-time.Hour).Unix()}
}

// rawSeal signs payload with alg under the protected header (alg is set
// here), lets edit change the signed message, and encodes it as seal text.
func rawSeal(t *testing.T, alg cose.Algorithm, key crypto.Signer, protected cose.ProtectedHeader, payload []byte, edit func(*cose.Sign1Message)) string {
	t.Helper()
	signer, err := cose.NewSigner(alg, key)
	require.NoError(t, err)
	msg := cose.NewSign1Message()
	msg.Headers.Protected = protected
	msg.Headers.Protected[cose.HeaderLabelAlgorithm] = alg
	msg.Payload = payload
	require.NoError(t, msg.Sign(rand.Reader, nil, signer))
	if edit != nil {
		edit(msg)
	}
	b, err := msg.MarshalCBOR()
	require.NoError(t, err)
	return encodeText(t, b)
}

// kid is the seal key id of a certificate.
func kid(c *x509.Certificate) []byte {
	sum := sha256.Sum256(c.Raw)
	return sum[:8]
}

// encodeText is zlib + Base45 + "CL1:", as docs/proofs.md §1 specifies.
func encodeText(t *testing.T, coseMsg []byte) string {
	t.Helper()
	var buf bytes.Buffer
	zw, err := zlib.NewWriterLevel(&buf, zlib.BestCompression)
	require.NoError(t, err)
	_, err = zw.Write(coseMsg)
	require.NoError(t, err)
	require.NoError(t, zw.Close())
	return "CL1:" + base45(buf.Bytes())
}

func base45(src []byte) string {
	const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
	var b strings.Builder
	for i := 0; i+1 < len(src); i += 2 {
		n := int(src[i])<<8 | int(src[i+1])
		b.WriteByte(alphabet[n%45])
		b.WriteByte(alphabet[n/45%45])
		b.WriteByte(alphabet[n/2025])
	}
	if len(src)%2 == 1 {
		n := int(src[len(src)-1])
		b.WriteByte(alphabet[n%45])
		b.WriteByte(alphabet[n/45])
	}
	return b.String()
}

// inflateText decodes seal text back to its COSE bytes (for building variants).
func inflateText(t *testing.T, text string) []byte {
	t.Helper()
	const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
	s := strings.TrimPrefix(text, "CL1:")
	var raw []byte
	for i := 0; i < len(s); i += 3 {
		n, w := 0, 1
		for j := i; j < min(i+3, len(s)); j++ {
			n += strings.IndexByte(alphabet, s[j]) * w
			w *= 45
		}
		if i+3 <= len(s) {
			raw = append(raw, byte(n>>8), byte(n))
		} else {
			raw = append(raw, byte(n))
		}
	}
	zr, err := zlib.NewReader(bytes.NewReader(raw))
	require.NoError(t, err)
	var out bytes.Buffer
	_, err = out.ReadFrom(zr)
	require.NoError(t, err)
	return out.Bytes()
}
