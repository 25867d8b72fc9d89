package fabric

import (
	"context"
	"testing"

	"github.com/hyperledger/fabric-protos-go-apiv2/gateway"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// goDown makes step of p answer as a peer that cannot be reached (the
// server keeps running, so the test can bring the peer back with
// fakeLedger.serve): "submit" after the orderer got the transaction,
// "commit status" when the status is asked.
func goDown(p *fakePeer, step string) {
	down := status.Error(codes.Unavailable, `connection error: desc = "transport: Error while dialing: dial tcp 127.0.0.1:1: connect: connection refused"`)
	switch step {
	case "submit":
		submit := p.submit
		p.submit = func(ctx context.Context, r *gateway.SubmitRequest) (*gateway.SubmitResponse, error) {
			_, _ = submit(ctx, r)
			return nil, down
		}
	case "commit status":
		p.commitStatus = func(context.Context, *gateway.SignedCommitStatusRequest) (*gateway.CommitStatusResponse, error) {
			return nil, down
		}
	}
}

func TestSubmitOutcomeUnknown(t *testing.T) {
	for _, step := range []string{"submit", "commit status"} {
		t.Run("after every peer was lost at "+step+", a retry with the same key settles the same transaction", func(t *testing.T) {
			l := &fakeLedger{submitted: map[string]int{}}
			first, second := &fakePeer{}, &fakePeer{}
			for _, p := range []*fakePeer{first, second} {
				l.serve(t, p)
				goDown(p, step)
			}
			c, u := dialPeers(t, startPeer(t, first), startPeer(t, second))
			ctx := context.Background()
			s := Submission{Transaction: "Permissions:RecordUse", Args: []string{"a"}, IdempotencyKey: "k"}

			_, err := c.Submit(ctx, u, s)
			require.ErrorIs(t, err, ErrUnavailable)
			require.Len(t, l.endorsed, 1)
			txID := l.endorsed[0]
			require.ErrorContains(t, err, "transaction "+txID+" (it may still commit)")

			_, err = c.Submit(ctx, u, s)
			require.ErrorIs(t, err, ErrUnavailable, "still no peer: still unknown")
			require.ErrorContains(t, err, txID)
			require.Len(t, l.endorsed, 1, "no new proposal while the first transaction's outcome is unknown")

			other := s
			other.Args = []string{"b"}
			_, err = c.Submit(ctx, u, other)
			var reused *IdempotencyKeyReusedError
			require.ErrorAs(t, err, &reused, "the key still belongs to the first request")

			l.serve(t, first)
			l.serve(t, second)
			res, err := c.Submit(ctx, u, s)
			require.NoError(t, err)
			require.Equal(t, Result{Payload: []byte("result"), TransactionID: txID, BlockNumber: 7}, res)
			require.Len(t, l.endorsed, 1, "one proposal only")
			for id := range l.submitted {
				require.Equal(t, txID, id, "only the first transaction reached the orderer")
			}
			if step == "commit status" {
				require.Equal(t, 1, l.submitted[txID], "an accepted transaction is not sent again")
			}

			asked := len(l.asked)
			again, err := c.Submit(ctx, u, s)
			require.NoError(t, err)
			require.Equal(t, res, again)
			require.Len(t, l.asked, asked, "a settled key answers from memory")
		})
	}

	t.Run("a retry that finds the transaction invalid reports its invalidation and forgets the key", func(t *testing.T) {
		l := &fakeLedger{submitted: map[string]int{}}
		p := &fakePeer{}
		l.serve(t, p)
		goDown(p, "commit status")
		c, u := dialPeers(t, startPeer(t, p))
		s := Submission{Transaction: "Permissions:RecordUse", IdempotencyKey: "k"}
		_, err := c.Submit(context.Background(), u, s)
		require.ErrorIs(t, err, ErrUnavailable)

		l.serve(t, p)
		l.codes = []peer.TxValidationCode{peer.TxValidationCode_ENDORSEMENT_POLICY_FAILURE}
		_, err = c.Submit(context.Background(), u, s)
		var ti *TxInvalidError
		require.ErrorAs(t, err, &ti)
		require.Equal(t, l.endorsed[0], ti.TransactionID, "the first transaction's invalidation")
		require.Len(t, l.endorsed, 1)

		res, err := c.Submit(context.Background(), u, s)
		require.NoError(t, err, "an invalid transaction wrote nothing: the key may be used again")
		require.Len(t, l.endorsed, 2)
		require.Equal(t, l.endorsed[1], res.TransactionID)
	})

	t.Run("a submission refused by the peer is not kept under the key", func(t *testing.T) {
		l := &fakeLedger{submitted: map[string]int{}}
		p := &fakePeer{}
		l.serve(t, p)
		p.submit = func(context.Context, *gateway.SubmitRequest) (*gateway.SubmitResponse, error) {
			return nil, status.Error(codes.Aborted, "orderer refused the transaction")
		}
		c, u := dialPeers(t, startPeer(t, p))
		s := Submission{Transaction: "Permissions:RecordUse", IdempotencyKey: "k"}
		_, err := c.Submit(context.Background(), u, s)
		require.ErrorContains(t, err, "orderer refused the transaction")

		l.serve(t, p)
		res, err := c.Submit(context.Background(), u, s)
		require.NoError(t, err)
		require.Len(t, l.endorsed, 2, "never ordered, so the retry is a new proposal")
		require.Equal(t, l.endorsed[1], res.TransactionID)
	})
}
