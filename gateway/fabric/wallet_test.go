package fabric

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// testCert is a generated ECDSA certificate and its PKCS#8 key, in PEM.
type testCert struct {
	cert            *x509.Certificate
	certPEM, keyPEM []byte
}

// newTestCert makes a self-signed certificate for name; attrs, when given,
// is written in Fabric CA's attribute extension.
func newTestCert(t *testing.T, name, attrs string, ips ...net.IP) testCert {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	serial, err := rand.Int(rand.Reader, big.NewInt(1<<62))
	require.NoError(t, err)
	tmpl := &x509.Certificate{
		SerialNumber: serial, Subject: pkix.Name{CommonName: name, Organization: []string{"RegistryMSP"}},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage:    x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth},
		IsCA:        true, BasicConstraintsValid: true, IPAddresses: ips,
	}
	if attrs != "" {
		tmpl.ExtraExtensions = []pkix.Extension{{Id: fabricCAAttrOID, Value: []byte(attrs)}}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	require.NoError(t, err)
	cert, err := x509.ParseCertificate(der)
	require.NoError(t, err)
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	require.NoError(t, err)
	return testCert{
		cert:    cert,
		certPEM: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		keyPEM:  pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}),
	}
}

// enrol writes a user into a users folder as Fabric CA's client lays it out.
func enrol(t *testing.T, dir, name, role string) testCert {
	t.Helper()
	attrs := ""
	if role != "" {
		attrs = `{"attrs":{"hf.EnrollmentID":"` + name + `","role":"` + role + `"}}`
	}
	c := newTestCert(t, name, attrs)
	msp := filepath.Join(dir, name, "msp")
	require.NoError(t, os.MkdirAll(filepath.Join(msp, "signcerts"), 0o755))
	require.NoError(t, os.MkdirAll(filepath.Join(msp, "keystore"), 0o700))
	require.NoError(t, os.WriteFile(filepath.Join(msp, "signcerts", "cert.pem"), c.certPEM, 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(msp, "keystore", "key.pem"), c.keyPEM, 0o600))
	return c
}

func TestWallet(t *testing.T) {
	dir := t.TempDir()
	clerk := enrol(t, dir, "clerk", "clerk")
	approver := enrol(t, dir, "approver", "approver")
	w, err := NewWallet(dir, "RegistryMSP")
	require.NoError(t, err)
	clock := time.Now()
	w.now = func() time.Time { return clock }

	t.Run("a user is found by the certificate it authenticated with", func(t *testing.T) {
		for name, c := range map[string]testCert{"clerk": clerk, "approver": approver} {
			u, err := w.Lookup(c.cert)
			require.NoError(t, err)
			require.Equal(t, name, u.Name)
			require.Equal(t, "RegistryMSP", u.MSPID)
			require.Equal(t, name, u.Role)
			require.Equal(t, c.cert.Raw, u.Cert.Raw)
		}
	})

	t.Run("a user enrolled after start-up is found at once, within the rescan interval", func(t *testing.T) {
		late := enrol(t, dir, "late", "admin")
		u, err := w.Lookup(late.cert)
		require.NoError(t, err)
		require.Equal(t, "late", u.Name)
		require.Equal(t, "admin", u.Role)
	})

	t.Run("a folder being written is skipped until its files are complete", func(t *testing.T) {
		// A user folder written in place: the key not there yet, then a
		// truncated certificate; neither fails the lookups of others.
		other := newTestCert(t, "writing", `{"attrs":{"role":"clerk"}}`)
		msp := filepath.Join(dir, "writing", "msp")
		require.NoError(t, os.MkdirAll(filepath.Join(msp, "signcerts"), 0o755))
		require.NoError(t, os.MkdirAll(filepath.Join(msp, "keystore"), 0o755))
		require.NoError(t, os.WriteFile(filepath.Join(msp, "signcerts", "cert.pem"), other.certPEM, 0o644))
		_, err := w.Lookup(other.cert)
		require.ErrorIs(t, err, ErrUnknownUser)
		require.NoError(t, os.WriteFile(filepath.Join(msp, "keystore", "key.pem"), other.keyPEM[:20], 0o600))
		_, err = w.Lookup(other.cert)
		require.ErrorIs(t, err, ErrUnknownUser, "a half-written key is skipped, not an error")
		require.NoError(t, os.WriteFile(filepath.Join(msp, "keystore", "key.pem"), other.keyPEM, 0o600))
		u, err := w.Lookup(other.cert)
		require.NoError(t, err)
		require.Equal(t, "writing", u.Name)
	})

	t.Run("an unchanged folder is reread for an unknown certificate once per rescan interval", func(t *testing.T) {
		stranger := newTestCert(t, "stranger", `{"attrs":{"role":"admin"}}`)
		_, err := w.Lookup(stranger.cert)
		require.ErrorIs(t, err, ErrUnknownUser)
		before := w.lastReload
		clock = clock.Add(RescanInterval / 2)
		_, err = w.Lookup(stranger.cert)
		require.ErrorIs(t, err, ErrUnknownUser)
		require.Equal(t, before, w.lastReload, "no reread within the interval when nothing changed")
		clock = clock.Add(RescanInterval)
		_, err = w.Lookup(stranger.cert)
		require.ErrorIs(t, err, ErrUnknownUser)
		require.Equal(t, clock, w.lastReload)
	})

	t.Run("a certificate of no enrolled user is ErrUnknownUser", func(t *testing.T) {
		_, err := w.Lookup(newTestCert(t, "stranger", `{"attrs":{"role":"admin"}}`).cert)
		require.ErrorIs(t, err, ErrUnknownUser)
	})

	t.Run("a folder that is not an enrolled user is skipped", func(t *testing.T) {
		require.NoError(t, os.MkdirAll(filepath.Join(dir, "half", "msp", "signcerts"), 0o755))
		require.NoError(t, os.WriteFile(filepath.Join(dir, "half", "msp", "signcerts", "cert.pem"), clerk.certPEM, 0o644))
		require.NoError(t, os.WriteFile(filepath.Join(dir, "README"), []byte("users"), 0o644))
		_, err := NewWallet(dir, "RegistryMSP")
		require.NoError(t, err)
	})

	t.Run("a user without a role attribute has no role", func(t *testing.T) {
		plain := enrol(t, dir, "plain", "")
		clock = clock.Add(RescanInterval)
		u, err := w.Lookup(plain.cert)
		require.NoError(t, err)
		require.Empty(t, u.Role)
	})
}

func TestWalletErrors(t *testing.T) {
	t.Run("a missing users folder is an error", func(t *testing.T) {
		_, err := NewWallet(filepath.Join(t.TempDir(), "none"), "RegistryMSP")
		require.ErrorContains(t, err, "read users folder")
	})
	for name, file := range map[string]string{
		"a certificate": filepath.Join("signcerts", "cert.pem"),
		"a key":         filepath.Join("keystore", "key.pem"),
	} {
		t.Run(name+" that is not PEM is an error naming the user", func(t *testing.T) {
			dir := t.TempDir()
			enrol(t, dir, "broken", "clerk")
			require.NoError(t, os.WriteFile(filepath.Join(dir, "broken", "msp", file), []byte("not PEM"), 0o600))
			_, err := NewWallet(dir, "RegistryMSP")
			require.ErrorContains(t, err, "load user broken")
		})
	}
	t.Run("a lookup that cannot reread the folder reports why", func(t *testing.T) {
		dir := t.TempDir()
		w, err := NewWallet(dir, "RegistryMSP")
		require.NoError(t, err)
		require.NoError(t, os.Remove(dir))
		w.lastReload = time.Time{}
		_, err = w.Lookup(newTestCert(t, "x", "").cert)
		require.ErrorContains(t, err, "read users folder")
		require.False(t, errors.Is(err, ErrUnknownUser))
	})
}

func TestRoleOf(t *testing.T) {
	for name, tc := range map[string]struct {
		attrs string
		want  string
	}{
		"the role attribute Fabric CA wrote is read":  {attrs: `{"attrs":{"role":"clerk"}}`, want: "clerk"},
		"other attributes are ignored":                {attrs: `{"attrs":{"hf.Type":"client","role":"approver","hf.Affiliation":""}}`, want: "approver"},
		"no role attribute means no role":             {attrs: `{"attrs":{"hf.Type":"client"}}`, want: ""},
		"an extension that is not JSON means no role": {attrs: "role=admin", want: ""},
		"no extension means no role":                  {attrs: "", want: ""},
	} {
		t.Run(name, func(t *testing.T) {
			require.Equal(t, tc.want, RoleOf(newTestCert(t, "u", tc.attrs).cert))
		})
	}
}
