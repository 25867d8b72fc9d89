package fabric

import (
	"context"
	"crypto/tls"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/hyperledger/fabric-protos-go-apiv2/gateway"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/status"

	"github.com/civicledger/civicledger/chaincode/errcode"
)

// fakePeer is a Fabric Gateway service on the loopback interface whose
// Evaluate and Endorse answer as the test says, so that the real Fabric
// Gateway client builds the errors package fabric classifies.
type fakePeer struct {
	gateway.UnimplementedGatewayServer
	evaluate     func(context.Context, *gateway.EvaluateRequest) (*gateway.EvaluateResponse, error)
	endorse      func(context.Context, *gateway.EndorseRequest) (*gateway.EndorseResponse, error)
	submit       func(context.Context, *gateway.SubmitRequest) (*gateway.SubmitResponse, error)
	commitStatus func(context.Context, *gateway.SignedCommitStatusRequest) (*gateway.CommitStatusResponse, error)
	// stop hard-stops the peer's server, closing its connections: set by
	// startPeer.
	stop func()
}

func (p *fakePeer) Evaluate(ctx context.Context, r *gateway.EvaluateRequest) (*gateway.EvaluateResponse, error) {
	return p.evaluate(ctx, r)
}

func (p *fakePeer) Endorse(ctx context.Context, r *gateway.EndorseRequest) (*gateway.EndorseResponse, error) {
	return p.endorse(ctx, r)
}

func (p *fakePeer) Submit(ctx context.Context, r *gateway.SubmitRequest) (*gateway.SubmitResponse, error) {
	return p.submit(ctx, r)
}

func (p *fakePeer) CommitStatus(ctx context.Context, r *gateway.SignedCommitStatusRequest) (*gateway.CommitStatusResponse, error) {
	return p.commitStatus(ctx, r)
}

// startPeer serves p over TLS and returns its configuration.
func startPeer(t *testing.T, p *fakePeer) Peer {
	t.Helper()
	c := newTestCert(t, "peer0.registry", "", net.IPv4(127, 0, 0, 1))
	pair, err := tls.X509KeyPair(c.certPEM, c.keyPEM)
	require.NoError(t, err)
	srv := grpc.NewServer(grpc.Creds(credentials.NewTLS(&tls.Config{Certificates: []tls.Certificate{pair}, MinVersion: tls.VersionTLS12})))
	gateway.RegisterGatewayServer(srv, p)
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	go func() { _ = srv.Serve(lis) }()
	p.stop = srv.Stop
	t.Cleanup(srv.Stop)
	root := filepath.Join(t.TempDir(), "tlsca.pem")
	require.NoError(t, os.WriteFile(root, c.certPEM, 0o644))
	return Peer{Address: lis.Addr().String(), TLSRootCert: root}
}

// closedPeer is a peer address nothing listens on.
func closedPeer(t *testing.T, root string) Peer {
	t.Helper()
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := lis.Addr().String()
	require.NoError(t, lis.Close())
	return Peer{Address: addr, TLSRootCert: root}
}

// dialPeers connects a client to peers and returns it with an enrolled user.
func dialPeers(t *testing.T, peers ...Peer) (*Client, *User) {
	t.Helper()
	users := t.TempDir()
	clerk := enrol(t, users, "clerk", "clerk")
	w, err := NewWallet(users, "RegistryMSP")
	require.NoError(t, err)
	u, err := w.Lookup(clerk.cert)
	require.NoError(t, err)
	c, err := Dial("civic", "civic", peers)
	require.NoError(t, err)
	t.Cleanup(func() { c.Close() })
	return c, u
}

func answer(payload string) func(context.Context, *gateway.EvaluateRequest) (*gateway.EvaluateResponse, error) {
	return func(context.Context, *gateway.EvaluateRequest) (*gateway.EvaluateResponse, error) {
		return &gateway.EvaluateResponse{Result: &peer.Response{Status: 200, Payload: []byte(payload)}}, nil
	}
}

func TestClientErrors(t *testing.T) {
	p := &fakePeer{}
	c, u := dialPeers(t, startPeer(t, p))
	ctx := context.Background()

	t.Run("an evaluation returns the chaincode's payload from the configured channel", func(t *testing.T) {
		var channel string
		p.evaluate = func(ctx context.Context, r *gateway.EvaluateRequest) (*gateway.EvaluateResponse, error) {
			channel = r.GetChannelId()
			return answer(`{"id":"X"}`)(ctx, r)
		}
		out, err := c.Evaluate(ctx, u, "Documents:Get", "RegistryMSP", "X")
		require.NoError(t, err)
		require.JSONEq(t, `{"id":"X"}`, string(out))
		require.Equal(t, "civic", channel)
	})

	t.Run("a chaincode refusal of an evaluation is a *ChaincodeError", func(t *testing.T) {
		p.evaluate = func(context.Context, *gateway.EvaluateRequest) (*gateway.EvaluateResponse, error) {
			return nil, peerError(t, codes.Unknown, "evaluate call to endorser returned error: chaincode response 500, NOT_FOUND: no document X")
		}
		_, err := c.Evaluate(ctx, u, "Documents:Get", "RegistryMSP", "X")
		var ce *ChaincodeError
		require.ErrorAs(t, err, &ce)
		require.Equal(t, ChaincodeError{Code: errcode.NotFound, Message: "no document X"}, *ce)
	})

	t.Run("a chaincode refusal while endorsing is a *ChaincodeError", func(t *testing.T) {
		p.endorse = func(context.Context, *gateway.EndorseRequest) (*gateway.EndorseResponse, error) {
			return nil, peerError(t, codes.Aborted, "failed to endorse transaction, see attached details for more info",
				"chaincode response 500, PERMISSION_DENIED: caller of RegistryMSP has role \"clerk\", requires one of [admin]")
		}
		_, err := c.Submit(ctx, u, Submission{Transaction: "Directory:SetProfile", Args: []string{"a", "b", "c"}})
		var ce *ChaincodeError
		require.ErrorAs(t, err, &ce)
		require.Equal(t, errcode.PermissionDenied, ce.Code)
	})

	for name, code := range map[string]codes.Code{
		"endorsements that cannot be collected":        codes.Aborted,
		"an endorsement policy that cannot be planned": codes.FailedPrecondition,
		"endorsing peers that are unavailable":         codes.Unavailable,
	} {
		t.Run(name+" is ErrEndorsement", func(t *testing.T) {
			p.endorse = func(context.Context, *gateway.EndorseRequest) (*gateway.EndorseResponse, error) {
				return nil, status.Error(code, "failed to collect enough transaction endorsements")
			}
			_, err := c.Submit(ctx, u, Submission{Transaction: "Directory:SetProfile"})
			require.ErrorIs(t, err, ErrEndorsement)
			require.ErrorContains(t, err, "failed to collect enough transaction endorsements")
		})
	}

	t.Run("an evaluation past its deadline is context.DeadlineExceeded", func(t *testing.T) {
		p.evaluate = func(ctx context.Context, _ *gateway.EvaluateRequest) (*gateway.EvaluateResponse, error) {
			<-ctx.Done()
			return nil, ctx.Err()
		}
		short, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
		defer cancel()
		_, err := c.Evaluate(short, u, "Documents:Get")
		require.ErrorIs(t, err, context.DeadlineExceeded)
	})
}

func TestClientFailover(t *testing.T) {
	live := startPeer(t, &fakePeer{evaluate: answer("from the live peer")})

	t.Run("a peer that cannot be reached is passed over for the next one", func(t *testing.T) {
		c, u := dialPeers(t, closedPeer(t, live.TLSRootCert), live)
		out, err := c.Evaluate(context.Background(), u, "Directory:ListProfiles")
		require.NoError(t, err)
		require.Equal(t, "from the live peer", string(out))
	})

	t.Run("when no peer can be reached the error is ErrUnavailable", func(t *testing.T) {
		c, u := dialPeers(t, closedPeer(t, live.TLSRootCert), closedPeer(t, live.TLSRootCert))
		_, err := c.Evaluate(context.Background(), u, "Directory:ListProfiles")
		require.ErrorIs(t, err, ErrUnavailable)
	})

	t.Run("a peer root that holds no certificate is refused when dialling", func(t *testing.T) {
		bad := filepath.Join(t.TempDir(), "empty.pem")
		require.NoError(t, os.WriteFile(bad, nil, 0o644))
		_, err := Dial("civic", "civic", []Peer{live, {Address: live.Address, TLSRootCert: bad}})
		require.ErrorContains(t, err, "peers[1]: "+bad+" holds no certificate")
	})
}
