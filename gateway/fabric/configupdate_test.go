package fabric

import (
	"context"
	"crypto/ecdsa"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/hyperledger/fabric-protos-go-apiv2/orderer"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"

	"github.com/civicledger/civicledger/network/configupdate"
)

// fakeOrderer answers every broadcast with status and counts envelopes.
type fakeOrderer struct {
	orderer.UnimplementedAtomicBroadcastServer
	status   common.Status
	received int
}

func (f *fakeOrderer) Broadcast(s grpc.BidiStreamingServer[common.Envelope, orderer.BroadcastResponse]) error {
	if _, err := s.Recv(); err != nil {
		return err
	}
	f.received++
	return s.Send(&orderer.BroadcastResponse{Status: f.status})
}

func startOrderer(t *testing.T, f *fakeOrderer) Peer {
	t.Helper()
	c := newTestCert(t, "orderer0", "", net.IPv4(127, 0, 0, 1))
	pair, err := tls.X509KeyPair(c.certPEM, c.keyPEM)
	require.NoError(t, err)
	srv := grpc.NewServer(grpc.Creds(credentials.NewTLS(&tls.Config{Certificates: []tls.Certificate{pair}, MinVersion: tls.VersionTLS12})))
	orderer.RegisterAtomicBroadcastServer(srv, f)
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	go func() { _ = srv.Serve(lis) }()
	t.Cleanup(srv.Stop)
	root := filepath.Join(t.TempDir(), "tlsca.pem")
	require.NoError(t, os.WriteFile(root, c.certPEM, 0o644))
	return Peer{Address: lis.Addr().String(), TLSRootCert: root}
}

func TestOrderersBroadcast(t *testing.T) {
	env := &common.Envelope{Payload: []byte("update")}
	dial := func(t *testing.T, peers ...Peer) *Orderers {
		o, err := DialOrderers(peers, 5*time.Second)
		require.NoError(t, err)
		t.Cleanup(func() { o.Close() })
		return o
	}

	t.Run("an unreachable orderer is passed over for the next, which accepts", func(t *testing.T) {
		ok := &fakeOrderer{status: common.Status_SUCCESS}
		up := startOrderer(t, ok)
		require.NoError(t, dial(t, closedPeer(t, up.TLSRootCert), up).Broadcast(ctx(t), env))
		require.Equal(t, 1, ok.received)
	})

	t.Run("a refusal is returned without trying another orderer", func(t *testing.T) {
		refusing, next := &fakeOrderer{status: common.Status_BAD_REQUEST}, &fakeOrderer{status: common.Status_SUCCESS}
		err := dial(t, startOrderer(t, refusing), startOrderer(t, next)).Broadcast(ctx(t), env)
		require.ErrorIs(t, err, configupdate.ErrRefused)
		require.Equal(t, 0, next.received)
	})

	t.Run("SERVICE_UNAVAILABLE (not accepted) moves to the next orderer", func(t *testing.T) {
		busy, next := &fakeOrderer{status: common.Status_SERVICE_UNAVAILABLE}, &fakeOrderer{status: common.Status_SUCCESS}
		require.NoError(t, dial(t, startOrderer(t, busy), startOrderer(t, next)).Broadcast(ctx(t), env))
		require.Equal(t, 1, next.received)
	})

	t.Run("no orderer reachable is ErrUnavailable", func(t *testing.T) {
		up := startOrderer(t, &fakeOrderer{})
		err := dial(t, closedPeer(t, up.TLSRootCert)).Broadcast(ctx(t), env)
		require.ErrorIs(t, err, ErrUnavailable)
	})

	t.Run("no orderer configured is ErrNoOrderers", func(t *testing.T) {
		require.ErrorIs(t, dial(t).Broadcast(ctx(t), env), ErrNoOrderers)
	})
}

func TestWalletSigningIdentity(t *testing.T) {
	dir := t.TempDir()
	c := enrol(t, dir, "admin1", "admin")
	w, err := NewWallet(dir, "RegistryMSP")
	require.NoError(t, err)
	u, err := w.Lookup(c.cert)
	require.NoError(t, err)

	t.Run("the caller's key signs a config update that verifies with its certificate", func(t *testing.T) {
		id, err := w.SigningIdentity(u)
		require.NoError(t, err)
		require.Equal(t, "RegistryMSP", id.MSPID)
		sig, err := configupdate.Sign([]byte("update"), id)
		require.NoError(t, err)
		digest := sha256.Sum256(append(append([]byte{}, sig.SignatureHeader...), "update"...))
		require.True(t, verifyECDSA(c.cert, digest[:], sig.Signature))
	})

	t.Run("a user the wallet did not load is an error, not a panic", func(t *testing.T) {
		_, err := w.SigningIdentity(&User{Name: "stranger", MSPID: "RegistryMSP", Cert: c.cert})
		require.ErrorContains(t, err, "no user of this gateway's wallet")
		_, err = w.SigningIdentity(nil)
		require.Error(t, err)
	})
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return c
}

func verifyECDSA(cert *x509.Certificate, digest, sig []byte) bool {
	pub, ok := cert.PublicKey.(*ecdsa.PublicKey)
	return ok && ecdsa.VerifyASN1(pub, digest, sig)
}
