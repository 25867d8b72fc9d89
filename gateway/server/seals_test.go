package server

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"image"
	"image/png"
	"math/big"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/civicledger/civicledger/chaincode/records"
	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
	"github.com/civicledger/civicledger/gateway/config"
	"github.com/civicledger/civicledger/gateway/fabric"
	"github.com/civicledger/civicledger/gateway/proofs/seal"
)

// sealPKI writes a CA-issued seal certificate and its PKCS#8 key (as Fabric
// CA does) and returns the CA and the two paths.
func sealPKI(t *testing.T) (*x509.Certificate, config.Seal) {
	t.Helper()
	now := time.Now()
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	caTmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "ca.registry"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour), IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	require.NoError(t, err)
	ca, err := x509.ParseCertificate(caDER)
	require.NoError(t, err)
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "seal0"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour), KeyUsage: x509.KeyUsageDigitalSignature}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &key.PublicKey, caKey)
	require.NoError(t, err)
	pkcs8, err := x509.MarshalPKCS8PrivateKey(key)
	require.NoError(t, err)
	dir := t.TempDir()
	c := config.Seal{Cert: filepath.Join(dir, "cert.pem"), Key: filepath.Join(dir, "key.pem")}
	require.NoError(t, os.WriteFile(c.Cert, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600))
	require.NoError(t, os.WriteFile(c.Key, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: pkcs8}), 0o600))
	return ca, c
}

func testSealDocument() records.Document {
	return records.Document{Issuer: "RegistryMSP", ID: "EXT-1", Type: "debt-extract",
		SHA256:   "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
		KeyFacts: map[string]string{"totalAmount": "CHF 1.00"}, ValidFrom: "2026-01-01T00:00:00Z",
		ValidUntil: "2099-01-01T00:00:00Z", Status: "valid"}
}

func TestSealIssuing(t *testing.T) {
	t.Run("a Fabric CA style certificate and PKCS#8 key seal a document that verifies against the CA", func(t *testing.T) {
		ca, files := sealPKI(t)
		signer, err := loadSealSigner(files)
		require.NoError(t, err)
		claims, err := sealClaims(testSealDocument(), time.Now())
		require.NoError(t, err)
		sl, err := signer.Seal(claims)
		require.NoError(t, err)
		resp, err := sealResponse(sl, defaultPNGSize, config.DefaultPortalURL, claims)
		require.NoError(t, err)
		require.Equal(t, "RegistryMSP", resp.Claims.Issuer)
		require.Equal(t, "2099-01-01T00:00:00Z", resp.Claims.ValidUntil)
		require.NotEmpty(t, resp.Png)
		text, err := sealText(&apiv1.VerifySealRequest{Seal: &apiv1.VerifySealRequest_Link{Link: resp.Link}})
		require.NoError(t, err)
		require.Equal(t, sl.Text, text)
		v := seal.Verify(text, seal.TrustList{"RegistryMSP": {ca}}, time.Now())
		require.True(t, v.Valid, v.Message)
	})
	t.Run("no seal files configured means no signer", func(t *testing.T) {
		signer, err := loadSealSigner(config.Seal{})
		require.NoError(t, err)
		require.Nil(t, signer)
	})
	t.Run("a key that is not PEM is refused", func(t *testing.T) {
		_, files := sealPKI(t)
		require.NoError(t, os.WriteFile(files.Key, []byte("not a key"), 0o600))
		_, err := loadSealSigner(files)
		require.ErrorContains(t, err, "not PEM")
	})
	t.Run("revoked, superseded and expired documents get no seal", func(t *testing.T) {
		for _, edit := range []func(*records.Document){
			func(d *records.Document) { d.Status = "revoked" },
			func(d *records.Document) { d.Status = "superseded" },
			func(d *records.Document) { d.ValidUntil = "2026-02-01T00:00:00Z" },
		} {
			d := testSealDocument()
			edit(&d)
			_, err := sealClaims(d, time.Now())
			require.Equal(t, codes.FailedPrecondition, status.Code(err), err)
		}
	})
	t.Run("a gateway without a seal key refuses with a clear message", func(t *testing.T) {
		s := &sealsService{ledger: &fakeLedger{}, mspID: "RegistryMSP"}
		c := context.WithValue(context.Background(), userKey, &fabric.User{Name: "clerk", MSPID: "RegistryMSP", Role: "clerk"})
		_, err := s.IssueSeal(c, &apiv1.IssueSealRequest{DocumentId: "EXT-1"})
		require.Equal(t, codes.FailedPrecondition, status.Code(err))
		require.Contains(t, err.Error(), "no seal key")
	})
	t.Run("a user without an issuing role is refused", func(t *testing.T) {
		s := &sealsService{ledger: &fakeLedger{}}
		c := context.WithValue(context.Background(), userKey, &fabric.User{Name: "auditor", MSPID: "RegistryMSP", Role: "auditor"})
		_, err := s.IssueSeal(c, &apiv1.IssueSealRequest{DocumentId: "EXT-1"})
		require.Equal(t, codes.PermissionDenied, status.Code(err))
	})
	t.Run("malformed requests are refused before any ledger call", func(t *testing.T) {
		s := &sealsService{ledger: &fakeLedger{}}
		_, err := s.IssueSeal(context.Background(), &apiv1.IssueSealRequest{})
		requireInvalid(t, err, "document_id: is required")
		_, err = s.IssueSeal(context.Background(), &apiv1.IssueSealRequest{DocumentId: "EXT-1", PngSize: 5000})
		require.Equal(t, codes.InvalidArgument, status.Code(err))
	})
}

func TestSealText(t *testing.T) {
	var white bytes.Buffer
	img := image.NewGray(image.Rect(0, 0, 100, 100))
	for i := range img.Pix {
		img.Pix[i] = 0xff
	}
	require.NoError(t, png.Encode(&white, img))
	for name, tc := range map[string]struct {
		req  *apiv1.VerifySealRequest
		want string
	}{
		"no seal at all":           {&apiv1.VerifySealRequest{}, "seal: is required"},
		"an empty text":            {&apiv1.VerifySealRequest{Seal: &apiv1.VerifySealRequest_Text{}}, "text: is empty"},
		"an image without QR code": {&apiv1.VerifySealRequest{Seal: &apiv1.VerifySealRequest_Image{Image: white.Bytes()}}, "image: no QR code found in the image"},
		"bytes that are no image":  {&apiv1.VerifySealRequest{Seal: &apiv1.VerifySealRequest_Image{Image: []byte("x")}}, "image: decode image"},
		"a link without fragment":  {&apiv1.VerifySealRequest{Seal: &apiv1.VerifySealRequest_Link{Link: "https://x.example/verify"}}, "link: "},
	} {
		t.Run(name+" is an invalid argument", func(t *testing.T) {
			_, err := sealText(tc.req)
			require.Equal(t, codes.InvalidArgument, status.Code(err))
			require.Contains(t, status.Convert(err).Message(), tc.want)
		})
	}
	t.Run("a link gives back the text", func(t *testing.T) {
		text, err := sealText(&apiv1.VerifySealRequest{Seal: &apiv1.VerifySealRequest_Link{Link: "https://x.example/verify#6BF%20"}})
		require.NoError(t, err)
		require.Equal(t, "CL1:6BF ", text)
	})
}

func TestTrustCache(t *testing.T) {
	calls := 0
	var fail error
	now := time.Now()
	c := newTrustCache(time.Minute, func(context.Context, *fabric.User) (map[string][]*x509.Certificate, error) {
		calls++
		return map[string][]*x509.Certificate{"RegistryMSP": nil}, fail
	})
	c.now = func() time.Time { return now }
	t.Run("the list is read once within the TTL", func(t *testing.T) {
		for range 3 {
			_, err := c.get(context.Background(), nil)
			require.NoError(t, err)
		}
		require.Equal(t, 1, calls)
	})
	t.Run("after the TTL a failed read is reported and not cached", func(t *testing.T) {
		now = now.Add(2 * time.Minute)
		fail = errors.New("peer down")
		_, err := c.get(context.Background(), nil)
		require.ErrorContains(t, err, "peer down")
		fail = nil
		list, err := c.get(context.Background(), nil)
		require.NoError(t, err)
		require.Contains(t, list, "RegistryMSP")
		require.Equal(t, 3, calls)
	})
}
