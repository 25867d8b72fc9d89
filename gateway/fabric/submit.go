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
//
// When every peer is lost once the transaction may have reached the orderer,
// its outcome is unknown: the call fails with an *outcomeUnknownError that
// holds the signed transaction (a pendingTx), which the idempotency cache
// keeps under the call's key so that a retry settles the same transaction.

// pendingTx is an endorsed transaction on its way to the ledger: what it
// takes to send it again (same id) and to ask for its commit status without
// a new proposal, so that a retry under the same idempotency key settles
// this transaction instead of proposing another one.
type pendingTx struct {
	id     string
	result []byte // the endorsed chaincode result, the call's payload
	// envelope and signature are the prepared transaction and its signature
	// (gw.NewSignedTransaction): every sending is the same signed envelope.
	envelope, signature []byte
	// commit is the commit-status request (gw.NewCommit), set once a peer
	// accepted the transaction for ordering.
	commit []byte
	// maybeOrdered is set once a sending ended without an answer: from then
	// on, a failure to send again does not prove it was never ordered.
	maybeOrdered bool
}

// submitOnce endorses a new proposal of the transaction name, submits it and
// waits for its commit status.
func (c *Client) submitOnce(ctx context.Context, u *User, name string, opts []client.ProposalOption) (Result, *client.Status, error) {
	txn, at, err := c.endorseAcrossSwitch(ctx, u, name, opts)
	if err != nil {
		return Result{}, nil, err
	}
	p, err := prepare(u, txn)
	if err != nil {
		return Result{}, nil, err
	}
	return c.settle(ctx, u, p, at)
}

// prepare signs the endorsed txn once as u, so that it can be sent through
// any peer and sent again unchanged.
func prepare(u *User, txn *client.Transaction) (*pendingTx, error) {
	raw, sig, err := signTransaction(u, txn)
	if err != nil {
		return nil, fmt.Errorf("sign transaction %s: %w", txn.TransactionID(), err)
	}
	return &pendingTx{id: txn.TransactionID(), result: txn.Result(), envelope: raw, signature: sig}, nil
}

// settle sends p to the orderer through peer at (or the next one), unless a
// peer already accepted it, and waits for its commit status. Once p may
// have reached the orderer, a failure is an *outcomeUnknownError holding
// p, for a later call to settle again.
func (c *Client) settle(ctx context.Context, u *User, pending *pendingTx, at int) (Result, *client.Status, error) {
	p := *pending // the caller's copy stays as it was
	if p.commit == nil {
		var err error
		if at, err = c.order(ctx, u, &p, at); err != nil {
			if !p.maybeOrdered && !unanswered(err) {
				return Result{}, nil, err // refused: it was never ordered
			}
			p.maybeOrdered = true
			return Result{}, nil, &outcomeUnknownError{tx: &p, err: err}
		}
	}
	st, err := c.commitStatus(ctx, u, &p, at)
	if err != nil {
		p.maybeOrdered = true
		return Result{}, nil, &outcomeUnknownError{tx: &p, err: err}
	}
	return Result{Payload: p.result, TransactionID: st.TransactionID, BlockNumber: st.BlockNumber}, st, nil
}

// endorse collects the endorsement of a new proposal through the peer that
// answered last, or the next one when it cannot be reached. It returns the
// endorsed transaction and the peer that endorsed it.
func (c *Client) endorse(ctx context.Context, u *User, name string, opts []client.ProposalOption) (*client.Transaction, int, error) {
	var txn *client.Transaction
	at, err := c.tryPeers(u, c.lastPeer(), unreachable, func(_ int, gw *client.Gateway) error {
		proposal, err := newProposal(gw, u, gw.GetNetwork(c.cfg.Channel).GetContract(c.cfg.Chaincode), name, opts...)
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

// order sends the signed transaction p to the orderer through peer at and,
// when the peer is lost, the same envelope (same id) through the next peer.
// It records in p the commit to wait for and returns the peer that
// accepted the transaction.
func (c *Client) order(ctx context.Context, u *User, p *pendingTx, at int) (int, error) {
	at, err := c.tryPeers(u, at, lost, func(_ int, gw *client.Gateway) error {
		txn, err := gw.NewSignedTransaction(p.envelope, p.signature)
		if err != nil {
			return fmt.Errorf("rebuild transaction %s: %w", p.id, err)
		}
		ctx, cancel := context.WithTimeout(ctx, c.cfg.Timeouts.Submit)
		defer cancel()
		commit, err := txn.SubmitWithContext(ctx)
		if err != nil {
			return err
		}
		p.commit, err = commit.Bytes()
		return err
	})
	if errors.Is(err, ErrUnavailable) {
		return at, fmt.Errorf("submit transaction %s (it may still commit): %w", p.id, err)
	}
	return at, err
}

// commitStatus waits for the commit status of the submitted transaction p at
// peer at and, when the peer is lost, asks the next peer for the status of
// the same transaction id. While no status comes it sends the same signed
// transaction again every Timeouts.Resend: an orderer can accept a
// transaction and crash before passing it on (a Raft leader's pending batch
// dies with it), and the transaction would then never commit. Sending it
// again cannot record it twice: the ledger commits a transaction id once,
// at its first occurrence, and invalidates a repeat (DUPLICATE_TXID).
func (c *Client) commitStatus(ctx context.Context, u *User, p *pendingTx, at int) (*client.Status, error) {
	ctx, cancel := context.WithTimeout(ctx, c.cfg.Timeouts.CommitStatus)
	defer cancel()
	for {
		st, err := c.awaitStatus(ctx, u, p, at)
		if err == nil {
			return st, nil
		}
		if !errors.Is(err, errResendDue) {
			return nil, fmt.Errorf("commit status of transaction %s (it may still commit): %w", p.id, err)
		}
		again := *p // order records the commit request: p's stays as it was
		if at, err = c.order(ctx, u, &again, at); err != nil {
			c.log.Warn("sending a transaction again failed; waiting on for its status", "tx", p.id, "err", err)
		} else {
			c.log.Info("no commit status yet: sent the same transaction again", "tx", p.id, "after", c.cfg.Timeouts.Resend)
		}
	}
}

// errResendDue ends one wait for a commit status when it is time to send
// the transaction again.
var errResendDue = errors.New("no commit status yet")

// awaitStatus waits for p's commit status at peer at (or the next one, when
// at is lost) for at most Timeouts.Resend, then fails with errResendDue.
func (c *Client) awaitStatus(ctx context.Context, u *User, p *pendingTx, at int) (*client.Status, error) {
	var st *client.Status
	_, err := c.tryPeers(u, at, lost, func(_ int, gw *client.Gateway) error {
		commit, err := newCommit(gw, u, p.commit)
		if err != nil {
			return fmt.Errorf("rebuild commit of transaction %s: %w", p.id, err)
		}
		wait, cancel := ctx, context.CancelFunc(func() {})
		if c.cfg.Timeouts.Resend > 0 {
			wait, cancel = context.WithTimeout(ctx, c.cfg.Timeouts.Resend)
		}
		defer cancel()
		st, err = commit.StatusWithContext(wait)
		if err != nil && ctx.Err() == nil && wait.Err() != nil {
			return errResendDue
		}
		return err
	})
	return st, err
}

// unanswered tells whether a failed sending may still have reached the
// orderer: no peer answered, or the call ended (timeout, cancellation)
// before the peer said whether the orderer accepted it. Any other error is
// the peer's answer that it did not.
func unanswered(err error) bool {
	if errors.Is(err, ErrUnavailable) || errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return true
	}
	switch status.Code(err) {
	case codes.DeadlineExceeded, codes.Canceled, codes.Unavailable:
		return true
	}
	return false
}

// lost tells whether a peer failed to carry a step that is harmless to
// repeat elsewhere (submitting the same transaction, asking for a status):
// any Unavailable, whether the peer itself or the orderer behind it cannot
// be reached.
func lost(err error) bool {
	return err != nil && status.Code(err) == codes.Unavailable
}
