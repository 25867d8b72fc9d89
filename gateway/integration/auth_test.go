//go:build integration

package integration

import (
	"crypto/tls"
	"crypto/x509"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials"

	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
)

// dialWith connects to mspID's gateway presenting the given certificate
// files (none when certFile is empty).
func dialWith(t *testing.T, mspID, certFile, keyFile string) *grpc.ClientConn {
	t.Helper()
	org, err := tn.Conn.Org(mspID)
	require.NoError(t, err)
	pool, err := tn.Conn.RootCertPool()
	require.NoError(t, err)
	cfg := &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	if certFile != "" {
		cert, err := tls.LoadX509KeyPair(certFile, keyFile)
		require.NoError(t, err)
		cfg.Certificates = []tls.Certificate{cert}
	}
	conn, err := grpc.NewClient(org.Gateway.Address, grpc.WithTransportCredentials(credentials.NewTLS(cfg)))
	require.NoError(t, err)
	t.Cleanup(func() { conn.Close() })
	return conn
}

func TestAuthentication(t *testing.T) {
	list := func(conn *grpc.ClientConn) error {
		_, err := apiv1.NewDirectoryServiceClient(conn).ListProfiles(ctx(t), &apiv1.ListProfilesRequest{})
		return err
	}

	t.Run("a call without a client certificate is refused with a clear message", func(t *testing.T) {
		err := list(dialWith(t, registry, "", ""))
		requireCode(t, err, codes.Unauthenticated)
		require.Contains(t, err.Error(), "client certificate issued by RegistryMSP")
	})

	t.Run("a user of Treasury cannot act through Registry's gateway", func(t *testing.T) {
		org, err := tn.Conn.Org(treasury)
		require.NoError(t, err)
		u, err := org.User("admin")
		require.NoError(t, err)
		// The gateway only asks for certificates of Registry's CA, so the
		// client has none to offer; forced, the handshake would fail.
		err = list(dialWith(t, registry, u.Cert, u.Key))
		requireCode(t, err, codes.Unauthenticated)
		require.Contains(t, err.Error(), "RegistryMSP")
	})

	t.Run("a valid Registry certificate that is no enrolled user is refused", func(t *testing.T) {
		peerMSP := filepath.Join(tn.DataDir(), "orgs", "registry", "peer", "msp")
		err := list(dialWith(t, registry, filepath.Join(peerMSP, "signcerts", "cert.pem"), filepath.Join(peerMSP, "keystore", "key.pem")))
		requireCode(t, err, codes.PermissionDenied)
	})

	t.Run("health needs no certificate", func(t *testing.T) {
		conn := dialWith(t, registry, "", "")
		require.NoError(t, healthCheck(t, conn))
	})

	t.Run("the gateway's own TLS certificate chains to the administration's CA", func(t *testing.T) {
		org, err := tn.Conn.Org(registry)
		require.NoError(t, err)
		pem, err := os.ReadFile(org.TLSRootCert)
		require.NoError(t, err)
		pool := x509.NewCertPool()
		require.True(t, pool.AppendCertsFromPEM(pem))
		c, err := tls.Dial("tcp", org.Gateway.Address, &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12})
		require.NoError(t, err)
		c.Close()
	})
}
