package ca

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// registrar is a self-signed certificate and its key.
func registrar(t *testing.T) ([]byte, *ecdsa.PrivateKey) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "registrar"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	require.NoError(t, err)
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), key
}

// fakeCA answers like Fabric CA and checks each request's authorization.
func fakeCA(t *testing.T, certPEM []byte) (*httptest.Server, string) {
	t.Helper()
	b, _ := pem.Decode(certPEM)
	cert, err := x509.ParseCertificate(b.Bytes)
	require.NoError(t, err)
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		answer := func(status int, result any, errs ...map[string]any) {
			w.WriteHeader(status)
			_ = json.NewEncoder(w).Encode(map[string]any{"success": len(errs) == 0, "result": result, "errors": errs})
		}
		if r.URL.Path == "/api/v1/enroll" {
			id, secret, ok := r.BasicAuth()
			if !ok || id != "R-1" || secret != "s3cret" {
				answer(401, nil, map[string]any{"code": 20, "message": "Authentication failure"})
				return
			}
			answer(201, map[string]any{"Cert": base64.StdEncoding.EncodeToString([]byte("CERT")),
				"ServerInfo": map[string]any{"CAChain": base64.StdEncoding.EncodeToString([]byte("CHAIN"))}})
			return
		}
		// Fabric CA's token: b64(cert).b64(ECDSA over method.b64(uri).b64(body).b64(cert)).
		c, s, ok := strings.Cut(r.Header.Get("Authorization"), ".")
		b64 := base64.StdEncoding.EncodeToString
		sig, _ := base64.StdEncoding.DecodeString(s)
		digest := sha256.Sum256([]byte(r.Method + "." + b64([]byte(r.URL.RequestURI())) + "." + b64(body) + "." + c))
		if !ok || c != b64(certPEM) || !ecdsa.VerifyASN1(cert.PublicKey.(*ecdsa.PublicKey), digest[:], sig) {
			answer(401, nil, map[string]any{"code": 20, "message": "bad token"})
			return
		}
		switch {
		case r.URL.Path == "/api/v1/reenroll":
			var req struct {
				Profile string `json:"profile"`
			}
			if json.Unmarshal(body, &req) != nil || req.Profile != "tls" {
				answer(400, nil, map[string]any{"code": 0, "message": "bad request"})
				return
			}
			answer(201, map[string]any{"Cert": base64.StdEncoding.EncodeToString([]byte("TLS CERT")),
				"ServerInfo": map[string]any{"CAChain": base64.StdEncoding.EncodeToString([]byte("CHAIN"))}})
		case r.URL.Path == "/api/v1/register":
			var reg Registration
			if json.Unmarshal(body, &reg) != nil || reg.CAName != "ca-registry" {
				answer(400, nil, map[string]any{"code": 0, "message": "bad request"})
				return
			}
			if reg.ID == "taken" {
				answer(409, nil, map[string]any{"code": 74, "message": "Identity 'taken' is already registered"})
				return
			}
			answer(201, map[string]any{"secret": "s3cret"})
		case r.URL.Path == "/api/v1/identities/nobody":
			answer(404, nil, map[string]any{"code": 63, "message": "Failed to get User: sql: no rows in result set"})
		case strings.HasPrefix(r.URL.Path, "/api/v1/identities/"):
			answer(200, map[string]any{"id": "R-1", "attrs": []map[string]any{{"name": "role", "value": "clerk", "ecert": true}}, "max_enrollments": 1})
		default:
			answer(404, nil, map[string]any{"code": 0, "message": "no such route"})
		}
	}))
	t.Cleanup(srv.Close)
	root := filepath.Join(t.TempDir(), "tls.pem")
	require.NoError(t, os.WriteFile(root, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}), 0o600))
	return srv, root
}

func TestClient(t *testing.T) {
	certPEM, key := registrar(t)
	srv, root := fakeCA(t, certPEM)
	addr := strings.TrimPrefix(srv.URL, "https://")
	c, err := New(addr, "ca-registry", root, WithRegistrarKey(certPEM, key))
	require.NoError(t, err)
	ctx := context.Background()

	t.Run("requests are signed with Fabric CA's token", func(t *testing.T) {
		secret, err := c.Register(ctx, Registration{ID: "R-1", Type: "client", MaxEnrollments: 1})
		require.NoError(t, err)
		require.Equal(t, "s3cret", secret)
		id, err := c.GetIdentity(ctx, "R-1")
		require.NoError(t, err)
		require.Equal(t, "clerk", id.Attr("role"))
		require.Equal(t, "", id.Attr("civic.status"))
	})
	t.Run("the CA's refusals are typed", func(t *testing.T) {
		_, err := c.Register(ctx, Registration{ID: "taken"})
		require.True(t, Exists(err), "%v", err)
		_, err = c.GetIdentity(ctx, "nobody")
		require.True(t, NotFound(err), "%v", err)
		require.False(t, Exists(err))
	})
	t.Run("a request signed by another key is refused", func(t *testing.T) {
		_, otherKey := registrar(t)
		bad, err := New(addr, "ca-registry", root, WithRegistrarKey(certPEM, otherKey))
		require.NoError(t, err)
		_, err = bad.GetIdentity(ctx, "R-1")
		require.ErrorContains(t, err, "bad token")
	})
	t.Run("enrolment uses the one-time secret, not the registrar", func(t *testing.T) {
		anon, err := New(addr, "ca-registry", root)
		require.NoError(t, err)
		e, err := anon.EnrollNewKey(ctx, KeyRequest{ID: "R-1", Secret: "s3cret"})
		require.NoError(t, err)
		require.Equal(t, "CERT", string(e.Cert))
		require.Equal(t, "CHAIN", string(e.Chain))
		block, _ := pem.Decode(e.Key)
		require.NotNil(t, block, "the new key, PEM")
		_, err = x509.ParsePKCS8PrivateKey(block.Bytes)
		require.NoError(t, err)
		_, err = anon.EnrollNewKey(ctx, KeyRequest{ID: "R-1", Secret: "wrong"})
		require.ErrorContains(t, err, "Authentication failure")
		_, err = anon.GetIdentity(ctx, "R-1")
		require.ErrorContains(t, err, "no registrar identity")
	})
	t.Run("reenrolment is signed by the identity's certificate, not its secret", func(t *testing.T) {
		e, err := c.ReenrollNewKey(ctx, KeyRequest{ID: "registrar", Profile: "tls", Hosts: []string{"localhost", "127.0.0.1"}})
		require.NoError(t, err)
		require.Equal(t, "TLS CERT", string(e.Cert))
		block, _ := pem.Decode(e.Key)
		require.NotNil(t, block, "the new key, PEM")

		anon, err := New(addr, "ca-registry", root)
		require.NoError(t, err)
		_, err = anon.ReenrollNewKey(ctx, KeyRequest{ID: "R-1", Secret: "s3cret", Profile: "tls"})
		require.ErrorContains(t, err, "no certificate to sign with")
		_, otherKey := registrar(t)
		bad, err := New(addr, "ca-registry", root, WithRegistrarKey(certPEM, otherKey))
		require.NoError(t, err)
		_, err = bad.ReenrollNewKey(ctx, KeyRequest{ID: "registrar", Profile: "tls"})
		require.ErrorContains(t, err, "bad token")
	})
	t.Run("a missing address or CA name is refused", func(t *testing.T) {
		_, err := New("", "ca", root)
		require.Error(t, err)
		_, err = New(addr, "ca", filepath.Join(t.TempDir(), "none.pem"))
		require.ErrorContains(t, err, "read TLS root")
	})
}
