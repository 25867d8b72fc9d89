//go:build integration

package integration

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hyperledger/fabric-protos-go-apiv2/gateway"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/status"

	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
	"github.com/civicledger/civicledger/gateway/config"
)

// cutProxy is a Fabric Gateway service in front of a real peer. It forwards
// Evaluate, Endorse and Submit to the peer and hard-stops itself (closing
// every connection, a genuine transport error for its client) at the step
// named by cut: "submit" once the peer has accepted the transaction,
// "commit status" when the status is asked.
type cutProxy struct {
	gateway.UnimplementedGatewayServer
	peer gateway.GatewayClient
	srv  *grpc.Server
	cut  string
	cuts atomic.Int32
	addr string
	cert tls.Certificate
}

func (p *cutProxy) Evaluate(ctx context.Context, r *gateway.EvaluateRequest) (*gateway.EvaluateResponse, error) {
	return p.peer.Evaluate(ctx, r)
}

func (p *cutProxy) Endorse(ctx context.Context, r *gateway.EndorseRequest) (*gateway.EndorseResponse, error) {
	return p.peer.Endorse(ctx, r)
}

func (p *cutProxy) Submit(ctx context.Context, r *gateway.SubmitRequest) (*gateway.SubmitResponse, error) {
	resp, err := p.peer.Submit(ctx, r)
	if err != nil || p.cut != "submit" {
		return resp, err
	}
	return nil, p.stop(ctx)
}

func (p *cutProxy) CommitStatus(ctx context.Context, r *gateway.SignedCommitStatusRequest) (*gateway.CommitStatusResponse, error) {
	if p.cut != "commit status" {
		return p.peer.CommitStatus(ctx, r)
	}
	return nil, p.stop(ctx)
}

// stop stops the proxy's server while a call is in flight and waits for the
// call to be cancelled by it.
func (p *cutProxy) stop(ctx context.Context) error {
	p.cuts.Add(1)
	go p.srv.Stop()
	<-ctx.Done()
	return ctx.Err()
}

// startCutProxy serves a cutProxy in front of the real peer and returns it
// with its configuration as a gateway peer.
func startCutProxy(t *testing.T, real config.Peer, cut string) (*cutProxy, config.Peer) {
	t.Helper()
	pem, err := os.ReadFile(real.TLSRootCert)
	require.NoError(t, err)
	pool := x509.NewCertPool()
	require.True(t, pool.AppendCertsFromPEM(pem))
	conn, err := grpc.NewClient(real.Address, grpc.WithTransportCredentials(credentials.NewTLS(&tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12})))
	require.NoError(t, err)
	t.Cleanup(func() { conn.Close() })

	cert, root := selfSignedLoopback(t)
	p := &cutProxy{peer: gateway.NewGatewayClient(conn), cut: cut, cert: cert}
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	p.serve(t, lis)
	return p, config.Peer{Address: lis.Addr().String(), TLSRootCert: root}
}

// serve serves p on lis until the test ends.
func (p *cutProxy) serve(t *testing.T, lis net.Listener) {
	p.addr = lis.Addr().String()
	p.srv = grpc.NewServer(grpc.Creds(credentials.NewTLS(&tls.Config{Certificates: []tls.Certificate{p.cert}, MinVersion: tls.VersionTLS12})))
	gateway.RegisterGatewayServer(p.srv, p)
	go func() { _ = p.srv.Serve(lis) }()
	t.Cleanup(p.srv.Stop)
}

// restored is the peer back at the stopped proxy's address: a proxy that
// forwards every call.
func (p *cutProxy) restored(t *testing.T) *cutProxy {
	t.Helper()
	q := &cutProxy{peer: p.peer, cert: p.cert}
	var lis net.Listener
	require.Eventually(t, func() bool {
		var err error
		lis, err = net.Listen("tcp", p.addr) // free once the stopped server let go of it
		return err == nil
	}, 10*time.Second, 20*time.Millisecond)
	q.serve(t, lis)
	return q
}

// selfSignedLoopback is a TLS server certificate for 127.0.0.1 and the PEM
// file that trusts it.
func selfSignedLoopback(t *testing.T) (tls.Certificate, string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "cut-proxy"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}, KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	require.NoError(t, err)
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	root := filepath.Join(t.TempDir(), "proxy-ca.pem")
	require.NoError(t, os.WriteFile(root, certPEM, 0o644))
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, root
}

func TestFailoverAfterSubmission(t *testing.T) {
	org, err := tn.Conn.Org(registry)
	require.NoError(t, err)
	live := config.Peer{Address: org.Peer.Address, TLSRootCert: org.TLSRootCert}

	for _, cut := range []string{"commit status", "submit"} {
		t.Run("a first peer lost at "+cut+" leaves one transaction and the caller gets it", func(t *testing.T) {
			proxy, first := startCutProxy(t, live, cut)
			conn := startGateway(t, first, live)
			id := uniqueID("FAILOVER")

			resp, err := apiv1.NewDocumentsServiceClient(conn).RegisterDocument(ctx(t), docRequest(id, apiv1.DocumentType_DOCUMENT_TYPE_CERTIFICATE))
			require.NoError(t, err, "the caller's own successful write is not refused")
			require.Equal(t, int32(1), proxy.cuts.Load(), "the first peer was cut off at %s", cut)
			require.NotEmpty(t, resp.Committed.GetTransactionId())

			hist, err := apiv1.NewLedgerServiceClient(gw(t, registry, "clerk")).GetRecordHistory(ctx(t), &apiv1.GetRecordHistoryRequest{
				Kind: apiv1.RecordKind_RECORD_KIND_DOCUMENT, Key: []string{registry, id}})
			require.NoError(t, err)
			require.Len(t, hist.Versions, 1, "exactly one transaction wrote the document")
			require.Equal(t, resp.Committed.TransactionId, hist.Versions[0].TransactionId, "the caller got the committed transaction")
		})
	}
}

func TestIdempotencyKeyAfterUnknownOutcome(t *testing.T) {
	org, err := tn.Conn.Org(registry)
	require.NoError(t, err)
	live := config.Peer{Address: org.Peer.Address, TLSRootCert: org.TLSRootCert}
	txIDIn := regexp.MustCompile(`transaction ([0-9a-f]{64}) \(it may still commit\)`)

	for _, cut := range []string{"submit", "commit status"} {
		t.Run("a retry with the same key after the only peer was lost at "+cut+" returns the first transaction", func(t *testing.T) {
			proxy, only := startCutProxy(t, live, cut)
			docs := apiv1.NewDocumentsServiceClient(startGateway(t, only))
			id, key := uniqueID("UNKNOWN"), uniqueID("key")
			req := docRequest(id, apiv1.DocumentType_DOCUMENT_TYPE_CERTIFICATE)

			_, err := docs.RegisterDocument(withIdempotencyKey(ctx(t), key), req)
			requireCode(t, err, codes.Unavailable)
			require.Equal(t, int32(1), proxy.cuts.Load(), "the peer was lost at %s", cut)
			m := txIDIn.FindStringSubmatch(status.Convert(err).Message())
			require.NotNil(t, m, "the message names the transaction: %s", status.Convert(err).Message())

			proxy.restored(t)
			var resp *apiv1.RegisterDocumentResponse
			require.Eventually(t, func() bool { // as a client retries while Unavailable
				resp, err = docs.RegisterDocument(withIdempotencyKey(ctx(t), key), req)
				return status.Code(err) != codes.Unavailable
			}, 30*time.Second, 200*time.Millisecond)
			require.NoError(t, err, "the retry gets the first call's transaction, not AlreadyExists for it")
			require.Equal(t, m[1], resp.Committed.GetTransactionId())

			hist, err := apiv1.NewLedgerServiceClient(gw(t, registry, "clerk")).GetRecordHistory(ctx(t), &apiv1.GetRecordHistoryRequest{
				Kind: apiv1.RecordKind_RECORD_KIND_DOCUMENT, Key: []string{registry, id}})
			require.NoError(t, err)
			require.Len(t, hist.Versions, 1, "exactly one transaction wrote the document")
			require.Equal(t, m[1], hist.Versions[0].TransactionId)
		})
	}
}

func TestIdempotencyKeyReuse(t *testing.T) {
	directory := apiv1.NewDirectoryServiceClient(gw(t, registry, "admin"))
	first := &apiv1.SetProfileRequest{DisplayName: uniqueID("Registry"), Kind: "agency", Contact: "registry@example.org"}
	key := uniqueID("key")
	_, err := directory.SetProfile(withIdempotencyKey(ctx(t), key), first)
	require.NoError(t, err)

	t.Run("the same key with other content for the same method is refused and changes nothing", func(t *testing.T) {
		other := &apiv1.SetProfileRequest{DisplayName: uniqueID("Other"), Kind: "agency", Contact: "registry@example.org"}
		_, err := directory.SetProfile(withIdempotencyKey(ctx(t), key), other)
		requireCode(t, err, codes.InvalidArgument)
		require.ErrorContains(t, err, "was already used for a different request")
		p, err := directory.GetProfile(ctx(t), &apiv1.GetProfileRequest{MspId: registry})
		require.NoError(t, err)
		require.Equal(t, first.DisplayName, p.DisplayName)
	})

	t.Run("the same key for another method is refused and changes nothing", func(t *testing.T) {
		id := uniqueID("REUSED-KEY")
		docs := apiv1.NewDocumentsServiceClient(gw(t, registry, "admin"))
		_, err := docs.RegisterDocument(withIdempotencyKey(ctx(t), key), docRequest(id, apiv1.DocumentType_DOCUMENT_TYPE_CERTIFICATE))
		requireCode(t, err, codes.InvalidArgument)
		require.ErrorContains(t, err, "use a new key for a new request")
		_, err = docs.GetDocument(ctx(t), &apiv1.GetDocumentRequest{Issuer: registry, Id: id})
		requireCode(t, err, codes.NotFound)
	})

	t.Run("the same key with the same request still returns the first result", func(t *testing.T) {
		_, err := directory.SetProfile(withIdempotencyKey(ctx(t), key), first)
		require.NoError(t, err)
	})
}
