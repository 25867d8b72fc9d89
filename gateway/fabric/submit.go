package fabric

import (
	"context"
	"errors"
	"fmt"

	"github.com/hyperledger/fabric-gateway/pkg/client"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// A submission has three steps, and each fails over to another of the
// administration's peers only in the way that cannot put a second
// transaction on the ledger:
//
//   - endorse: nothing has reached the orderer yet, so a new proposal is
//     endorsed at the next peer;
//   - submit: the orderer may have accepted the transaction before the
//     connection broke, so the same signed transaction (same id) is sent
//     through the next peer, never a new proposal: the ledger commits a
//     transaction id once and marks a repeat invalid (DUPLICATE_TXID);
//   - commit status: a read, asked of the next peer for the same id.
//
// fabric-gateway separates Endorse, Submit and Status for this reason.

// submitOnce endorses a new proposal of the transaction name, submits it and
// waits for its commit status.
func (c *Client) submitOnce(ctx context.Context, u *User, name string, opts []client.ProposalOption) (Result, *client.Status, error) {
	txn, at, err := c.endorse(ctx, u, name, opts)
	if err != nil {
		return Result{}, nil, err
	}
	commit, at, err := c.order(ctx, u, txn, at)
	if err != nil {
		return Result{}, nil, err
	}
	st, err := c.commitStatus(ctx, u, commit, at)
	if err != nil {
		return Result{}, nil, err
	}
	return Result{Payload: txn.Result(), TransactionID: st.TransactionID, BlockNumber: st.BlockNumber}, st, nil
}

// endorse collects the endorsement of a new proposal through the peer that
// answered last, or the next one when it cannot be reached. It returns the
// endorsed transaction and the peer that endorsed it.
func (c *Client) endorse(ctx context.Context, u *User, name string, opts []client.ProposalOption) (*client.Transaction, int, error) {
	var txn *client.Transaction
	at, err := c.tryPeers(u, c.lastPeer(), unreachable, func(_ int, gw *client.Gateway) error {
		proposal, err := gw.GetNetwork(c.cfg.Channel).GetContract(c.cfg.Chaincode).NewProposal(name, opts...)
		if err != nil {
			return fmt.Errorf("build proposal %s: %w", name, err)
		}
		ctx, cancel := context.WithTimeout(ctx, c.cfg.Timeouts.Endorse)
		defer cancel()
		txn, err = proposal.EndorseWithContext(ctx)
		return err
	})
	return txn, at, err
}

// order submits txn to the orderer through peer at and, when the peer is
// lost, sends the same signed transaction through the next peer. It returns
// the commit to wait for and the peer that accepted the transaction.
func (c *Client) order(ctx context.Context, u *User, txn *client.Transaction, at int) (*client.Commit, int, error) {
	first := at
	var commit *client.Commit
	at, err := c.tryPeers(u, first, lost, func(i int, gw *client.Gateway) error {
		t := txn
		if i != first {
			// Signed by the first attempt: the same envelope, same id.
			raw, err := txn.Bytes()
			if err != nil {
				return err
			}
			if t, err = gw.NewTransaction(raw); err != nil {
				return err
			}
		}
		ctx, cancel := context.WithTimeout(ctx, c.cfg.Timeouts.Submit)
		defer cancel()
		var err error
		commit, err = t.SubmitWithContext(ctx)
		return err
	})
	if errors.Is(err, ErrUnavailable) {
		return nil, at, fmt.Errorf("submit transaction %s (it may still commit): %w", txn.TransactionID(), err)
	}
	if err != nil {
		return nil, at, err
	}
	return commit, at, nil
}

// commitStatus waits for the commit status of the submitted transaction at
// peer at and, when the peer is lost, asks the next peer for the status of
// the same transaction id.
func (c *Client) commitStatus(ctx context.Context, u *User, commit *client.Commit, at int) (*client.Status, error) {
	first := at
	var st *client.Status
	_, err := c.tryPeers(u, first, lost, func(i int, gw *client.Gateway) error {
		cm := commit
		if i != first {
			raw, err := commit.Bytes()
			if err != nil {
				return err
			}
			if cm, err = gw.NewCommit(raw); err != nil {
				return err
			}
		}
		ctx, cancel := context.WithTimeout(ctx, c.cfg.Timeouts.CommitStatus)
		defer cancel()
		var err error
		st, err = cm.StatusWithContext(ctx)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("commit status of transaction %s (it may still commit): %w", commit.TransactionID(), err)
	}
	return st, nil
}

// lost tells whether a peer failed to carry a step that is harmless to
// repeat elsewhere (submitting the same transaction, asking for a status):
// any Unavailable, whether the peer itself or the orderer behind it cannot
// be reached.
func lost(err error) bool {
	return err != nil && status.Code(err) == codes.Unavailable
}
