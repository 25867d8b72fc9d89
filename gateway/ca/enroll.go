package ca

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/pem"
	"fmt"
	"net"
	"net/http"
)

// KeyRequest is an enrolment whose key pair is made here: the identity's
// enrolment id and secret, the CA's signing profile ("" for a signing
// certificate, "tls" for a TLS one) and, for TLS, the host names and
// addresses the certificate is for.
type KeyRequest struct {
	ID, Secret string
	Profile    string
	Hosts      []string
}

// Enrolled is a new key (PKCS #8 PEM) and the certificate and CA chain the
// CA issued for it.
type Enrolled struct {
	Key, Cert, Chain []byte
}

// EnrollNewKey makes an ECDSA P-256 key pair, asks the CA to certify it
// (a CSR naming the enrolment id, with the hosts as subject alternative
// names) and returns key, certificate and chain, all PEM.
func (c *Client) EnrollNewKey(ctx context.Context, r KeyRequest) (Enrolled, error) {
	return c.newKey(ctx, "/api/v1/enroll", r, &[2]string{r.ID, r.Secret})
}

// ReenrollNewKey is EnrollNewKey for an identity that holds a certificate
// of this CA already: the client signs the request as that identity (its
// certificate and key given with WithRegistrarKey) instead of sending the
// secret, which is not used. Fabric CA then checks a signature rather than
// the secret's bcrypt hash (tens of milliseconds of the CA's CPU each), so
// an identity's second certificate, its TLS one, costs less.
func (c *Client) ReenrollNewKey(ctx context.Context, r KeyRequest) (Enrolled, error) {
	if c.sign == nil {
		return Enrolled{}, fmt.Errorf("fabric CA: reenrol %s: the client has no certificate to sign with", r.ID)
	}
	return c.newKey(ctx, "/api/v1/reenroll", r, nil)
}

// newKey makes a key pair and has the CA certify it at path, authenticated
// by basic (enrol) or by the client's token (reenrol).
func (c *Client) newKey(ctx context.Context, path string, r KeyRequest, basic *[2]string) (Enrolled, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return Enrolled{}, fmt.Errorf("fabric CA: make key of %s: %w", r.ID, err)
	}
	tmpl := &x509.CertificateRequest{Subject: pkix.Name{CommonName: r.ID}}
	for _, h := range r.Hosts {
		if ip := net.ParseIP(h); ip != nil {
			tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
		} else {
			tmpl.DNSNames = append(tmpl.DNSNames, h)
		}
	}
	csr, err := x509.CreateCertificateRequest(rand.Reader, tmpl, key)
	if err != nil {
		return Enrolled{}, fmt.Errorf("fabric CA: certificate request of %s: %w", r.ID, err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return Enrolled{}, err
	}
	body := map[string]any{
		"certificate_request": string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE REQUEST", Bytes: csr})),
		"caname":              c.name,
		"profile":             r.Profile,
		"hosts":               r.Hosts,
	}
	var out struct {
		Cert       string `json:"Cert"`
		ServerInfo struct {
			CAChain string `json:"CAChain"`
		} `json:"ServerInfo"`
	}
	if err := c.do(ctx, http.MethodPost, path, body, &out, basic); err != nil {
		return Enrolled{}, err
	}
	e := Enrolled{Key: pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})}
	if e.Cert, err = base64.StdEncoding.DecodeString(out.Cert); err != nil {
		return Enrolled{}, fmt.Errorf("fabric CA: decode certificate: %w", err)
	}
	if e.Chain, err = base64.StdEncoding.DecodeString(out.ServerInfo.CAChain); err != nil {
		return Enrolled{}, fmt.Errorf("fabric CA: decode CA chain: %w", err)
	}
	return e, nil
}
