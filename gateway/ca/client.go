// Package ca is a client of a Fabric CA's REST API (Fabric CA 1.5): the
// gateway registers, suspends and revokes its administration's people with
// it, as the CA's registrar; a person enrols with it from their own machine,
// with a key pair generated there (Enroll sends only a certificate signing
// request). It speaks HTTPS to the CA and signs the registrar's requests
// with Fabric CA's token (the request and the registrar's certificate,
// signed by the registrar's key).
package ca

import (
	"bytes"
	"context"
	"crypto"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/hyperledger/fabric-gateway/pkg/identity"
)

// Client talks to one Fabric CA.
type Client struct {
	base string // https://host:port
	name string // the CA's name (--ca.name), sent as caname
	http *http.Client
	cert []byte // registrar certificate (PEM); nil for an anonymous client
	sign identity.Sign
}

// Option configures a Client.
type Option func(*Client) error

// WithRegistrar makes the client sign its requests as the registrar whose
// PEM certificate and key files are given.
func WithRegistrar(certFile, keyFile string) Option {
	return func(c *Client) error {
		cert, err := os.ReadFile(certFile)
		if err != nil {
			return fmt.Errorf("read registrar certificate: %w", err)
		}
		keyPEM, err := os.ReadFile(keyFile)
		if err != nil {
			return fmt.Errorf("read registrar key: %w", err)
		}
		key, err := identity.PrivateKeyFromPEM(keyPEM)
		if err != nil {
			return fmt.Errorf("registrar key: %w", err)
		}
		return WithRegistrarKey(cert, key)(c)
	}
}

// WithRegistrarKey is WithRegistrar with the certificate and key in memory.
func WithRegistrarKey(certPEM []byte, key crypto.PrivateKey) Option {
	return func(c *Client) error {
		sign, err := identity.NewPrivateKeySign(key)
		if err != nil {
			return fmt.Errorf("registrar key: %w", err)
		}
		c.cert, c.sign = certPEM, sign
		return nil
	}
}

// WithTimeout bounds each request (default 10 s).
func WithTimeout(d time.Duration) Option {
	return func(c *Client) error {
		if d <= 0 {
			return errors.New("the CA timeout must be positive")
		}
		c.http.Timeout = d
		return nil
	}
}

// New returns a client of the CA at address (host:port) named name, whose
// TLS certificate chains to the PEM file tlsRoot.
func New(address, name, tlsRoot string, opts ...Option) (*Client, error) {
	if strings.TrimSpace(address) == "" || strings.TrimSpace(name) == "" {
		return nil, errors.New("fabric CA: an address and a CA name are required")
	}
	pem, err := os.ReadFile(tlsRoot)
	if err != nil {
		return nil, fmt.Errorf("fabric CA: read TLS root: %w", err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("fabric CA: %s holds no certificate", tlsRoot)
	}
	c := &Client{
		base: "https://" + address,
		name: name,
		http: &http.Client{
			Timeout:   10 * time.Second,
			Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}},
		},
	}
	for _, opt := range opts {
		if err := opt(c); err != nil {
			return nil, fmt.Errorf("fabric CA: %w", err)
		}
	}
	return c, nil
}

// Error is a refusal from the CA, with its own error code and message.
type Error struct {
	Status  int
	Code    int
	Message string
}

func (e *Error) Error() string {
	return fmt.Sprintf("fabric CA refused (HTTP %d, code %d): %s", e.Status, e.Code, e.Message)
}

// NotFound tells whether the CA said the identity does not exist.
func NotFound(err error) bool {
	var e *Error
	// Fabric CA answers code 63 ("Failed to get User") for an unknown identity.
	return errors.As(err, &e) && (e.Code == 63 || strings.Contains(e.Message, "not found"))
}

// Exists tells whether the CA said the identity is already registered.
func Exists(err error) bool {
	var e *Error
	return errors.As(err, &e) && strings.Contains(e.Message, "already registered")
}

// response is Fabric CA's answer envelope.
type response struct {
	Success bool            `json:"success"`
	Result  json.RawMessage `json:"result"`
	Errors  []struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	} `json:"errors"`
}

// do sends method path with body (JSON-encoded unless nil) and decodes the
// result into out. auth sets the Authorization header: the registrar's
// token unless basic credentials are given.
func (c *Client) do(ctx context.Context, method, path string, body any, out any, basic *[2]string) error {
	var raw []byte
	if body != nil {
		var err error
		if raw, err = json.Marshal(body); err != nil {
			return err
		}
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, bytes.NewReader(raw))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	switch {
	case basic != nil:
		req.SetBasicAuth(basic[0], basic[1])
	case c.sign != nil:
		tok, err := c.token(method, req.URL.RequestURI(), raw)
		if err != nil {
			return err
		}
		req.Header.Set("Authorization", tok)
	default:
		return errors.New("fabric CA: this client has no registrar identity")
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return fmt.Errorf("fabric CA: %w", err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 8<<20))
	if err != nil {
		return fmt.Errorf("fabric CA: read answer: %w", err)
	}
	var r response
	if err := json.Unmarshal(data, &r); err != nil {
		return fmt.Errorf("fabric CA: HTTP %d, unreadable answer", resp.StatusCode)
	}
	if !r.Success || resp.StatusCode >= 300 {
		e := &Error{Status: resp.StatusCode}
		if len(r.Errors) > 0 {
			e.Code, e.Message = r.Errors[0].Code, r.Errors[0].Message
		}
		return e
	}
	if out != nil {
		if err := json.Unmarshal(r.Result, out); err != nil {
			return fmt.Errorf("fabric CA: decode answer: %w", err)
		}
	}
	return nil
}

// token is Fabric CA's authorization token: the base64 certificate and the
// base64 signature of method.b64(uri).b64(body).b64(cert).
func (c *Client) token(method, uri string, body []byte) (string, error) {
	b64 := base64.StdEncoding.EncodeToString
	payload := method + "." + b64([]byte(uri)) + "." + b64(body) + "." + b64(c.cert)
	digest := sha256.Sum256([]byte(payload))
	sig, err := c.sign(digest[:])
	if err != nil {
		return "", fmt.Errorf("fabric CA: sign request: %w", err)
	}
	return b64(c.cert) + "." + b64(sig), nil
}

// Attribute is an identity attribute; ECert ones are written into the
// identity's certificates.
type Attribute struct {
	Name  string `json:"name"`
	Value string `json:"value"`
	ECert bool   `json:"ecert,omitempty"`
}

// Registration is a new identity.
type Registration struct {
	ID             string      `json:"id"`
	Type           string      `json:"type"`
	Secret         string      `json:"secret,omitempty"`
	MaxEnrollments int         `json:"max_enrollments"`
	Affiliation    string      `json:"affiliation"`
	Attributes     []Attribute `json:"attrs"`
	CAName         string      `json:"caname"`
}

// Register registers an identity and returns its enrolment secret.
func (c *Client) Register(ctx context.Context, r Registration) (string, error) {
	r.CAName = c.name
	var out struct {
		Secret string `json:"secret"`
	}
	if err := c.do(ctx, http.MethodPost, "/api/v1/register", r, &out, nil); err != nil {
		return "", err
	}
	return out.Secret, nil
}

// Identity is a registered identity as the CA reports it.
type Identity struct {
	ID             string      `json:"id"`
	Type           string      `json:"type"`
	Affiliation    string      `json:"affiliation"`
	Attributes     []Attribute `json:"attrs"`
	MaxEnrollments int         `json:"max_enrollments"`
}

// Attr returns the value of the named attribute, or "".
func (i Identity) Attr(name string) string {
	for _, a := range i.Attributes {
		if a.Name == name {
			return a.Value
		}
	}
	return ""
}

// GetIdentity returns one identity.
func (c *Client) GetIdentity(ctx context.Context, id string) (Identity, error) {
	var out Identity
	err := c.do(ctx, http.MethodGet, "/api/v1/identities/"+url.PathEscape(id)+"?ca="+url.QueryEscape(c.name), nil, &out, nil)
	return out, err
}

// Identities lists every identity the registrar may see.
func (c *Client) Identities(ctx context.Context) ([]Identity, error) {
	var out struct {
		Identities []Identity `json:"identities"`
	}
	err := c.do(ctx, http.MethodGet, "/api/v1/identities?ca="+url.QueryEscape(c.name), nil, &out, nil)
	return out.Identities, err
}

// Modification changes an identity: attributes given are set (others
// kept), a non-empty secret replaces the enrolment secret, a non-zero
// MaxEnrollments replaces the limit.
type Modification struct {
	Type           string      `json:"type,omitempty"`
	Affiliation    string      `json:"affiliation,omitempty"`
	Attributes     []Attribute `json:"attrs,omitempty"`
	MaxEnrollments int         `json:"max_enrollments,omitempty"`
	Secret         string      `json:"secret,omitempty"`
	CAName         string      `json:"caname"`
}

// ModifyIdentity changes an identity.
func (c *Client) ModifyIdentity(ctx context.Context, id string, m Modification) error {
	m.CAName = c.name
	return c.do(ctx, http.MethodPut, "/api/v1/identities/"+url.PathEscape(id)+"?ca="+url.QueryEscape(c.name), m, nil, nil)
}

// Revocation revokes an identity (ID: every certificate, and no more
// enrolments) or one certificate (Serial, in hex, and AKI).
type Revocation struct {
	ID     string `json:"id,omitempty"`
	Serial string `json:"serial,omitempty"`
	AKI    string `json:"aki,omitempty"`
	Reason string `json:"reason,omitempty"`
	GenCRL bool   `json:"gencrl,omitempty"`
	CAName string `json:"caname"`
}

// Revoked lists what a revocation revoked, and the CRL when asked for.
type Revoked struct {
	Certs []struct {
		Serial string `json:"Serial"`
		AKI    string `json:"AKI"`
	} `json:"RevokedCerts"`
	CRL []byte `json:"CRL"` // DER or PEM, as the CA sends it (base64 in JSON)
}

// Revoke revokes an identity or a certificate.
func (c *Client) Revoke(ctx context.Context, r Revocation) (Revoked, error) {
	r.CAName = c.name
	var out Revoked
	err := c.do(ctx, http.MethodPost, "/api/v1/revoke", r, &out, nil)
	return out, err
}

// CRL returns the CA's current certificate revocation list (PEM).
func (c *Client) CRL(ctx context.Context) ([]byte, error) {
	var out struct {
		CRL []byte `json:"CRL"`
	}
	err := c.do(ctx, http.MethodPost, "/api/v1/gencrl", map[string]string{"caname": c.name}, &out, nil)
	return out.CRL, err
}

// Certificates returns the PEM certificates the CA issued to id.
func (c *Client) Certificates(ctx context.Context, id string) ([][]byte, error) {
	var out struct {
		Certs []struct {
			PEM string `json:"PEM"`
		} `json:"certs"`
	}
	path := "/api/v1/certificates?id=" + url.QueryEscape(id) + "&ca=" + url.QueryEscape(c.name)
	if err := c.do(ctx, http.MethodGet, path, nil, &out, nil); err != nil {
		return nil, err
	}
	pems := make([][]byte, len(out.Certs))
	for i, cert := range out.Certs {
		pems[i] = []byte(cert.PEM)
	}
	return pems, nil
}
