//go:build integration

package integration

import (
	"context"
	"crypto/tls"
	"io"
	"log/slog"
	"net"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials"

	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
	"github.com/civicledger/civicledger/gateway/config"
	"github.com/civicledger/civicledger/gateway/server"
)

// freeAddr returns a loopback address nothing listens on.
func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := l.Addr().String()
	require.NoError(t, l.Close())
	return addr
}

// registryConfig is a gateway configuration for Registry with the given
// peers, using the network's Registry gateway identity and users.
func registryConfig(t *testing.T, peers ...config.Peer) config.Config {
	t.Helper()
	org, err := tn.Conn.Org(registry)
	require.NoError(t, err)
	home := filepath.Join(tn.DataDir(), "orgs", "registry")
	cfg := config.Default()
	cfg.MSPID = registry
	cfg.Listen = freeAddr(t)
	cfg.TLS = config.TLS{
		Cert:     filepath.Join(home, "gateway", "tls", "server.crt"),
		Key:      filepath.Join(home, "gateway", "tls", "server.key"),
		ClientCA: org.TLSRootCert,
	}
	cfg.Peers = peers
	cfg.Users = filepath.Join(home, "users")
	cfg.Timeouts.Evaluate = 5 * time.Second
	return cfg
}

// startGateway runs an extra Registry gateway in this process with the
// given peers and returns a client connection to it as Registry's clerk.
func startGateway(t *testing.T, peers ...config.Peer) *grpc.ClientConn {
	t.Helper()
	org, err := tn.Conn.Org(registry)
	require.NoError(t, err)
	cfg := registryConfig(t, peers...)
	srv, err := server.New(cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	require.NoError(t, err)
	sctx, stop := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(sctx, 5*time.Second) }()
	t.Cleanup(func() { stop(); <-done })

	u, err := org.User("clerk")
	require.NoError(t, err)
	cert, err := tls.LoadX509KeyPair(u.Cert, u.Key)
	require.NoError(t, err)
	pool, err := tn.Conn.RootCertPool()
	require.NoError(t, err)
	conn, err := grpc.NewClient(cfg.Listen, grpc.WithTransportCredentials(credentials.NewTLS(
		&tls.Config{Certificates: []tls.Certificate{cert}, RootCAs: pool, MinVersion: tls.VersionTLS12})))
	require.NoError(t, err)
	t.Cleanup(func() { conn.Close() })
	require.Eventually(t, func() bool { return healthCheck(t, conn) == nil }, 10*time.Second, 50*time.Millisecond)
	return conn
}

func TestPeerFailover(t *testing.T) {
	org, err := tn.Conn.Org(registry)
	require.NoError(t, err)
	live := config.Peer{Address: org.Peer.Address, TLSRootCert: org.TLSRootCert}
	dead := config.Peer{Address: freeAddr(t), TLSRootCert: org.TLSRootCert}

	t.Run("when the first configured peer is down the gateway uses the next one", func(t *testing.T) {
		conn := startGateway(t, dead, live)
		resp, err := apiv1.NewDirectoryServiceClient(conn).ListProfiles(ctx(t), &apiv1.ListProfilesRequest{})
		require.NoError(t, err)
		require.Len(t, resp.Profiles, 3)
	})

	t.Run("when no configured peer is reachable the call is Unavailable", func(t *testing.T) {
		conn := startGateway(t, dead)
		_, err := apiv1.NewDirectoryServiceClient(conn).ListProfiles(ctx(t), &apiv1.ListProfilesRequest{})
		requireCode(t, err, codes.Unavailable)
	})
}
