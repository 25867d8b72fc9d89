package seal_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"
	"math/big"
	"time"

	"github.com/civicledger/civicledger/gateway/proofs/seal"
)

// Example seals a debt extract with Treasury's seal key and verifies it
// offline against the members' CA certificates.
func Example() {
	// In production the CA and the seal certificate come from Treasury's Fabric CA.
	caKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	caTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "ca.treasury"},
		NotBefore: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), NotAfter: time.Date(2035, 1, 1, 0, 0, 0, 0, time.UTC),
		KeyUsage: x509.KeyUsageCertSign, BasicConstraintsValid: true, IsCA: true,
	}
	caDER, _ := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, caKey.Public(), caKey)
	caCert, _ := x509.ParseCertificate(caDER)
	sealKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	sealTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "seal"},
		NotBefore: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), NotAfter: time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC),
		KeyUsage: x509.KeyUsageDigitalSignature,
	}
	sealDER, _ := x509.CreateCertificate(rand.Reader, sealTmpl, caCert, sealKey.Public(), caKey)
	sealCert, _ := x509.ParseCertificate(sealDER)

	signer, err := seal.NewSigner(sealCert, sealKey)
	if err != nil {
		fmt.Println(err)
		return
	}
	document := []byte("%PDF-1.7 ... debt extract ...")
	issued := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	s, err := signer.Seal(seal.Claims{
		DocumentID:     "DX-2026-000123456789",
		DocumentType:   "debt-extract",
		DocumentSHA256: sha256.Sum256(document),
		IssuerMSPID:    "TreasuryMSP",
		KeyFacts:       map[string]string{"balance": "EUR 0.00"},
		IssuedAt:       issued,
		ValidUntil:     issued.AddDate(0, 3, 0),
	})
	if err != nil {
		fmt.Println(err)
		return
	}

	trust := seal.TrustList{"TreasuryMSP": {caCert}}
	v := seal.Verify(s.Text, trust, issued.Add(time.Hour), seal.WithDocument(sha256.Sum256(document)))
	fmt.Println(v.Valid, v.Reason, v.Claims.DocumentID)
	v = seal.Verify(s.Text, trust, issued.AddDate(1, 0, 0))
	fmt.Println(v.Valid, v.Reason)
	// Output:
	// true ok DX-2026-000123456789
	// false expired
}
