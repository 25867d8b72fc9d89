package seal

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"math/big"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/veraison/go-cose"
)

// Fixed times for every test: certificates are valid through 2026, seals are
// issued on 1 March 2026 and valid for 90 days.
var (
	testIssuedAt = time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	testNow      = testIssuedAt.Add(24 * time.Hour)
)

// testCA is one administration's Fabric CA.
type testCA struct {
	msp  string
	cert *x509.Certificate
	key  *ecdsa.PrivateKey
}

func newTestCA(t testing.TB, msp, org string) *testCA {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{Country: []string{"FR"}, Organization: []string{org}, CommonName: "ca." + org},
		NotBefore:             time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC),
		NotAfter:              time.Date(2035, 1, 1, 0, 0, 0, 0, time.UTC),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign | x509.KeyUsageDigitalSignature,
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	require.NoError(t, err)
	cert, err := x509.ParseCertificate(der)
	require.NoError(t, err)
	return &testCA{msp: msp, cert: cert, key: key}
}

// certShape selects how a leaf certificate looks.
type certShape int

const (
	// compactCert is a dedicated seal certificate: short subject, key usage
	// and authority key id only.
	compactCert certShape = iota
	// fabricCert looks like a Fabric CA enrollment certificate: OU, SKI,
	// SAN and the hf.* attributes extension (1.2.3.4.5.6.7.8.1).
	fabricCert
)

// issue makes a seal key and its certificate, valid through 2026.
func (ca *testCA) issue(t testing.TB, shape certShape) (*x509.Certificate, *ecdsa.PrivateKey) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 64))
	require.NoError(t, err)
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{Organization: ca.cert.Subject.Organization, CommonName: "seal"},
		NotBefore:    time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC),
		NotAfter:     time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC),
		KeyUsage:     x509.KeyUsageDigitalSignature,
	}
	if shape == fabricCert {
		serial, err = rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 159))
		require.NoError(t, err)
		spki, err := x509.MarshalPKIXPublicKey(key.Public())
		require.NoError(t, err)
		ski := sha256.Sum256(spki)
		tmpl.SerialNumber = serial
		tmpl.Subject = pkix.Name{
			Country: []string{"FR"}, Province: []string{"Ile-de-France"},
			Organization: ca.cert.Subject.Organization, OrganizationalUnit: []string{"client"},
			CommonName: "seal-issuer",
		}
		tmpl.BasicConstraintsValid = true
		tmpl.SubjectKeyId = ski[:]
		tmpl.DNSNames = []string{"gateway-0." + ca.cert.Subject.Organization[0]}
		tmpl.ExtraExtensions = []pkix.Extension{{
			Id:    asn1.ObjectIdentifier{1, 2, 3, 4, 5, 6, 7, 8, 1},
			Value: []byte(`{"attrs":{"hf.Affiliation":"","hf.EnrollmentID":"seal-issuer","hf.Type":"client"}}`),
		}}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.cert, key.Public(), ca.key)
	require.NoError(t, err)
	cert, err := x509.ParseCertificate(der)
	require.NoError(t, err)
	return cert, key
}

// testWorld is a channel of two administrations plus an outsider.
type testWorld struct {
	treasury, registry, foreign *testCA
	trust                       TrustList
}

func newTestWorld(t testing.TB) *testWorld {
	t.Helper()
	w := &testWorld{
		treasury: newTestCA(t, "TreasuryMSP", "treasury.example.gouv.fr"),
		registry: newTestCA(t, "RegistryMSP", "registry.example.gouv.fr"),
		foreign:  newTestCA(t, "ForeignMSP", "foreign.example.org"),
	}
	w.trust = TrustList{
		w.treasury.msp: {w.treasury.cert},
		w.registry.msp: {w.registry.cert},
	}
	return w
}

// signer returns a Signer with a fresh seal key issued by ca.
func (ca *testCA) signer(t testing.TB, shape certShape) *Signer {
	t.Helper()
	cert, key := ca.issue(t, shape)
	s, err := NewSigner(cert, key, WithClock(func() time.Time { return testIssuedAt }))
	require.NoError(t, err)
	return s
}

// debtExtract is a typical sealed document: a 20-character id and three key facts.
var debtExtractBytes = []byte("%PDF-1.7 debt extract for taxpayer 1234567890123, balance EUR 0.00")

func debtExtract(issuer string) Claims {
	return Claims{
		DocumentID:     "DX-2026-000123456789",
		DocumentType:   "debt-extract",
		DocumentSHA256: sha256.Sum256(debtExtractBytes),
		IssuerMSPID:    issuer,
		KeyFacts: map[string]string{
			"taxpayer": "1234567890123",
			"balance":  "EUR 0.00",
			"asOf":     "2026-03-01",
		},
		ValidUntil: testIssuedAt.AddDate(0, 0, 90),
	}
}

// subCA makes an intermediate CA under ca for the same administration.
func (ca *testCA) subCA(t testing.TB) *testCA {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(2),
		Subject:               pkix.Name{Organization: ca.cert.Subject.Organization, CommonName: "ica." + ca.cert.Subject.Organization[0]},
		NotBefore:             ca.cert.NotBefore,
		NotAfter:              ca.cert.NotAfter,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.cert, key.Public(), ca.key)
	require.NoError(t, err)
	cert, err := x509.ParseCertificate(der)
	require.NoError(t, err)
	return &testCA{msp: ca.msp, cert: cert, key: key}
}

// rawSeal signs payload under the given protected header with alg and encodes
// it as seal text, bypassing Signer's checks: it makes the seals a
// conforming signer never would.
func rawSeal(t testing.TB, key crypto.Signer, alg cose.Algorithm, protected cose.ProtectedHeader, payload []byte) string {
	t.Helper()
	signer, err := cose.NewSigner(alg, key)
	require.NoError(t, err)
	msg := cose.NewSign1Message()
	msg.Headers.Protected = protected
	msg.Headers.Protected[headerAlg] = alg
	msg.Payload = payload
	require.NoError(t, msg.Sign(rand.Reader, nil, signer))
	b, err := msg.MarshalCBOR()
	require.NoError(t, err)
	text, err := encodeText(b)
	require.NoError(t, err)
	return text
}

// rewrite decodes a seal text, lets edit change the COSE message (keeping
// the original protected header bytes), and encodes it again.
func rewrite(t testing.TB, text string, edit func(*cose.Sign1Message)) string {
	t.Helper()
	coseMsg, f := decodeText(text)
	require.Nil(t, f)
	var msg cose.Sign1Message
	require.NoError(t, msg.UnmarshalCBOR(coseMsg))
	edit(&msg)
	b, err := msg.MarshalCBOR()
	require.NoError(t, err)
	out, err := encodeText(b)
	require.NoError(t, err)
	return out
}
