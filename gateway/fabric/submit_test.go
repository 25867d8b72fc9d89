package fabric

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/hyperledger/fabric-protos-go-apiv2/gateway"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
)

// fakeLedger is what fake peers share: which proposals were endorsed, which
// transaction ids reached the orderer, and the validation code each commits
// with (VALID unless codes says otherwise).
type fakeLedger struct {
	mu        sync.Mutex
	endorsed  []string
	submitted map[string]int
	asked     []string // transaction ids whose commit status was asked
	codes     []peer.TxValidationCode
}

// serve makes p endorse, order and report commits on l.
func (l *fakeLedger) serve(t *testing.T, p *fakePeer) {
	p.endorse = func(_ context.Context, r *gateway.EndorseRequest) (*gateway.EndorseResponse, error) {
		l.mu.Lock()
		l.endorsed = append(l.endorsed, r.GetTransactionId())
		l.mu.Unlock()
		return &gateway.EndorseResponse{PreparedTransaction: envelope(t, r.GetChannelId(), r.GetTransactionId(), "result")}, nil
	}
	p.submit = func(_ context.Context, r *gateway.SubmitRequest) (*gateway.SubmitResponse, error) {
		l.mu.Lock()
		defer l.mu.Unlock()
		l.submitted[r.GetTransactionId()]++
		return &gateway.SubmitResponse{}, nil
	}
	p.commitStatus = func(_ context.Context, r *gateway.SignedCommitStatusRequest) (*gateway.CommitStatusResponse, error) {
		var req gateway.CommitStatusRequest
		require.NoError(t, proto.Unmarshal(r.GetRequest(), &req))
		l.mu.Lock()
		defer l.mu.Unlock()
		l.asked = append(l.asked, req.GetTransactionId())
		if l.submitted[req.GetTransactionId()] == 0 {
			return nil, status.Error(codes.NotFound, "no such transaction")
		}
		code := peer.TxValidationCode_VALID
		if len(l.codes) > 0 {
			code, l.codes = l.codes[0], l.codes[1:]
		}
		return &gateway.CommitStatusResponse{Result: code, BlockNumber: 7}, nil
	}
}

// envelope is a prepared transaction whose chaincode result is result, as a
// peer's Endorse returns it.
func envelope(t *testing.T, channel, txID, result string) *common.Envelope {
	marshal := func(m proto.Message) []byte {
		b, err := proto.Marshal(m)
		require.NoError(t, err)
		return b
	}
	action := &peer.ChaincodeActionPayload{Action: &peer.ChaincodeEndorsedAction{
		ProposalResponsePayload: marshal(&peer.ProposalResponsePayload{Extension: marshal(
			&peer.ChaincodeAction{Response: &peer.Response{Status: 200, Payload: []byte(result)}})}),
	}}
	payload := &common.Payload{
		Header: &common.Header{ChannelHeader: marshal(&common.ChannelHeader{ChannelId: channel, TxId: txID})},
		Data:   marshal(&peer.Transaction{Actions: []*peer.TransactionAction{{Payload: marshal(action)}}}),
	}
	return &common.Envelope{Payload: marshal(payload)}
}

// cutOff makes a step of p fail as if the peer were lost, after the steps
// before it have taken effect: the caller sees a transport error.
func cutOff(p *fakePeer, step string) {
	switch step {
	case "down before commit status":
		// What grpc-go reports for a call on a connection that is down; a
		// real server stopped between two calls cannot be timed in a test.
		p.commitStatus = func(context.Context, *gateway.SignedCommitStatusRequest) (*gateway.CommitStatusResponse, error) {
			return nil, status.Error(codes.Unavailable, `connection error: desc = "transport: Error while dialing: dial tcp 127.0.0.1:1: connect: connection refused"`)
		}
	case "submit":
		submit := p.submit
		p.submit = func(ctx context.Context, r *gateway.SubmitRequest) (*gateway.SubmitResponse, error) {
			_, _ = submit(ctx, r)
			go p.stop()
			<-ctx.Done()
			return nil, ctx.Err()
		}
	case "commit status":
		p.commitStatus = func(ctx context.Context, _ *gateway.SignedCommitStatusRequest) (*gateway.CommitStatusResponse, error) {
			go p.stop()
			<-ctx.Done()
			return nil, ctx.Err()
		}
	}
}

func TestSubmitFailover(t *testing.T) {
	for _, step := range []string{"submit", "commit status", "down before commit status"} {
		t.Run("a peer lost at "+step+" leaves one transaction, whose status the next peer gives", func(t *testing.T) {
			l := &fakeLedger{submitted: map[string]int{}}
			first, second := &fakePeer{}, &fakePeer{}
			l.serve(t, first)
			l.serve(t, second)
			cutOff(first, step)
			c, u := dialPeers(t, startPeer(t, first), startPeer(t, second))

			res, err := c.Submit(context.Background(), u, Submission{Transaction: "Permissions:RecordUse", Args: []string{"a"}})
			require.NoError(t, err)
			require.Len(t, l.endorsed, 1, "one proposal only")
			txID := l.endorsed[0]
			require.Equal(t, Result{Payload: []byte("result"), TransactionID: txID, BlockNumber: 7}, res)
			for id := range l.submitted {
				require.Equal(t, txID, id, "only the endorsed transaction reached the orderer")
			}
			require.Equal(t, []string{txID}, l.asked, "the status of the same transaction was asked of the next peer")
		})
	}

	t.Run("when every peer is lost after submission the error is ErrUnavailable naming the transaction", func(t *testing.T) {
		l := &fakeLedger{submitted: map[string]int{}}
		first, second := &fakePeer{}, &fakePeer{}
		l.serve(t, first)
		l.serve(t, second)
		cutOff(first, "commit status")
		cutOff(second, "commit status")
		c, u := dialPeers(t, startPeer(t, first), startPeer(t, second))
		_, err := c.Submit(context.Background(), u, Submission{Transaction: "Permissions:RecordUse"})
		require.ErrorIs(t, err, ErrUnavailable)
		require.Len(t, l.endorsed, 1)
		require.ErrorContains(t, err, "commit status of transaction "+l.endorsed[0]+" (it may still commit)")
	})

	t.Run("a peer unreachable before endorsement is passed over for the next one", func(t *testing.T) {
		l := &fakeLedger{submitted: map[string]int{}}
		live := &fakePeer{}
		l.serve(t, live)
		addr := startPeer(t, live)
		c, u := dialPeers(t, closedPeer(t, addr.TLSRootCert), addr)
		res, err := c.Submit(context.Background(), u, Submission{Transaction: "Permissions:RecordUse"})
		require.NoError(t, err)
		require.Equal(t, l.endorsed, []string{res.TransactionID})
	})

	t.Run("a submission the peer refuses is not sent through another peer", func(t *testing.T) {
		l := &fakeLedger{submitted: map[string]int{}}
		first, second := &fakePeer{}, &fakePeer{}
		l.serve(t, first)
		l.serve(t, second)
		first.submit = func(context.Context, *gateway.SubmitRequest) (*gateway.SubmitResponse, error) {
			return nil, status.Error(codes.Aborted, "orderer refused the transaction")
		}
		c, u := dialPeers(t, startPeer(t, first), startPeer(t, second))
		_, err := c.Submit(context.Background(), u, Submission{Transaction: "Permissions:RecordUse"})
		require.ErrorContains(t, err, "orderer refused the transaction")
		require.Len(t, l.endorsed, 1)
		require.Empty(t, l.submitted)
	})

	t.Run("a read conflict is endorsed and submitted again as a new transaction", func(t *testing.T) {
		l := &fakeLedger{submitted: map[string]int{}, codes: []peer.TxValidationCode{peer.TxValidationCode_MVCC_READ_CONFLICT}}
		p := &fakePeer{}
		l.serve(t, p)
		c, u := dialPeers(t, startPeer(t, p))
		res, err := c.Submit(context.Background(), u, Submission{Transaction: "Permissions:RecordUse"})
		require.NoError(t, err)
		require.Len(t, l.endorsed, 2)
		require.NotEqual(t, l.endorsed[0], l.endorsed[1])
		require.Equal(t, l.endorsed[1], res.TransactionID)
	})

	t.Run("a read conflict after the last retry is a *TxInvalidError", func(t *testing.T) {
		l := &fakeLedger{submitted: map[string]int{}}
		for range 4 {
			l.codes = append(l.codes, peer.TxValidationCode_MVCC_READ_CONFLICT)
		}
		p := &fakePeer{}
		l.serve(t, p)
		c, u := dialPeers(t, startPeer(t, p))
		_, err := c.Submit(context.Background(), u, Submission{Transaction: "Permissions:RecordUse"})
		var ti *TxInvalidError
		require.ErrorAs(t, err, &ti)
		require.Equal(t, 4, ti.Attempts, "the first attempt and 3 retries (the default)")
	})
}

func TestSubmitSendsAgainWhenNoStatusComes(t *testing.T) {
	t.Run("a transaction the orderer lost commits once sent again, under the same id", func(t *testing.T) {
		l := &fakeLedger{submitted: map[string]int{}}
		p := &fakePeer{}
		l.serve(t, p)
		// The orderer that accepted the first sending crashed before passing
		// it on: no status comes (a real peer waits for the commit) until the
		// same transaction is sent again.
		committed := p.commitStatus
		p.commitStatus = func(ctx context.Context, r *gateway.SignedCommitStatusRequest) (*gateway.CommitStatusResponse, error) {
			l.mu.Lock()
			sent := 0
			for _, n := range l.submitted {
				sent += n
			}
			l.mu.Unlock()
			if sent < 2 {
				<-ctx.Done()
				return nil, status.FromContextError(ctx.Err()).Err()
			}
			return committed(ctx, r)
		}
		c, u := dialPeers(t, startPeer(t, p))
		c.cfg.Timeouts.Resend = 100 * time.Millisecond

		res, err := c.Submit(context.Background(), u, Submission{Transaction: "Permissions:RecordUse", Args: []string{"a"}})
		require.NoError(t, err)
		require.Len(t, l.endorsed, 1, "one proposal only")
		require.Equal(t, map[string]int{l.endorsed[0]: 2}, l.submitted, "the same transaction id, sent twice")
		require.Equal(t, l.endorsed[0], res.TransactionID)
	})

	t.Run("with resending off the wait ends at the commit status timeout, outcome unknown", func(t *testing.T) {
		l := &fakeLedger{submitted: map[string]int{}}
		p := &fakePeer{}
		l.serve(t, p)
		p.commitStatus = func(ctx context.Context, _ *gateway.SignedCommitStatusRequest) (*gateway.CommitStatusResponse, error) {
			<-ctx.Done()
			return nil, status.FromContextError(ctx.Err()).Err()
		}
		c, u := dialPeers(t, startPeer(t, p))
		c.cfg.Timeouts.Resend = 0
		c.cfg.Timeouts.CommitStatus = 300 * time.Millisecond

		_, err := c.Submit(context.Background(), u, Submission{Transaction: "Permissions:RecordUse", Args: []string{"a"}})
		var unknown *outcomeUnknownError
		require.ErrorAs(t, err, &unknown)
		require.Equal(t, map[string]int{l.endorsed[0]: 1}, l.submitted, "sent once")
	})
}
