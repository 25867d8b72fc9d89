// Package fabric connects the gateway to its administration's Fabric peers
// through the Fabric Gateway client API: it evaluates and submits chaincode
// transactions signed by the calling user, waits for commit, retries read
// conflicts, fails over to another peer of the administration where a repeat
// is harmless (see submit.go), and turns chaincode refusals into typed errors.
package fabric

import (
	"context"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/hyperledger/fabric-gateway/pkg/client"
	"github.com/hyperledger/fabric-gateway/pkg/hash"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/status"
)

// Client is the gateway's connection to Fabric.
type Client struct {
	cfg         settings
	peers       []*grpc.ClientConn
	addrs       []string
	idempotency *idempotencyCache
	blocks      blockCache // events of recent blocks, for replays (blocks.go)
	log         *slog.Logger

	mu       sync.Mutex
	sessions map[sessionKey]*client.Gateway
	current  int // index of the peer that answered last
}

type sessionKey struct {
	user [32]byte
	peer int
}

// Dial opens a TLS connection to every peer (connections are lazy: an
// unreachable peer is only noticed when used) for the chaincode on the
// channel. Peers are tried in the order given. Channel, chaincode and at
// least one peer are required; opts override the defaults.
func Dial(channel, chaincode string, peers []Peer, opts ...Option) (*Client, error) {
	switch {
	case strings.TrimSpace(channel) == "":
		return nil, errors.New("dial fabric: a channel is required")
	case strings.TrimSpace(chaincode) == "":
		return nil, errors.New("dial fabric: a chaincode is required")
	case len(peers) == 0:
		return nil, errors.New("dial fabric: at least one peer is required")
	}
	c := &Client{cfg: defaultSettings(channel, chaincode), sessions: map[sessionKey]*client.Gateway{}, log: slog.New(slog.DiscardHandler)}
	for _, opt := range opts {
		if err := opt(c); err != nil {
			return nil, fmt.Errorf("dial fabric: %w", err)
		}
	}
	c.idempotency = newIdempotencyCache(c.cfg.IdempotencyTTL)
	for i, p := range peers {
		conn, err := dialPeer(p)
		if err != nil {
			c.Close()
			return nil, fmt.Errorf("peers[%d]: %w", i, err)
		}
		c.peers = append(c.peers, conn)
		c.addrs = append(c.addrs, p.Address)
	}
	return c, nil
}

// dialPeer opens a lazy TLS connection to p, trusting only p's TLS root.
func dialPeer(p Peer) (*grpc.ClientConn, error) {
	if strings.TrimSpace(p.Address) == "" {
		return nil, errors.New("an address is required")
	}
	pem, err := os.ReadFile(p.TLSRootCert)
	if err != nil {
		return nil, fmt.Errorf("read TLS root: %w", err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("%s holds no certificate", p.TLSRootCert)
	}
	conn, err := grpc.NewClient(p.Address, grpc.WithTransportCredentials(
		credentials.NewTLS(&tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12})))
	if err != nil {
		return nil, fmt.Errorf("dial %s: %w", p.Address, err)
	}
	return conn, nil
}

// Close closes every peer connection.
func (c *Client) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, s := range c.sessions {
		s.Close()
	}
	var errs []error
	for _, conn := range c.peers {
		errs = append(errs, conn.Close())
	}
	return errors.Join(errs...)
}

// session returns the Fabric Gateway session of user u at peer i. A
// person's session signs through their own client for one call, so it is
// opened for that call and not kept.
func (c *Client) session(u *User, i int) (*client.Gateway, error) {
	if u.personal {
		return c.connect(u, i)
	}
	k := sessionKey{sha256.Sum256(u.Cert.Raw), i}
	c.mu.Lock()
	defer c.mu.Unlock()
	if gw, ok := c.sessions[k]; ok {
		return gw, nil
	}
	gw, err := c.connect(u, i)
	if err != nil {
		return nil, err
	}
	c.sessions[k] = gw
	return gw, nil
}

// connect opens a Fabric Gateway session of user u at peer i.
func (c *Client) connect(u *User, i int) (*client.Gateway, error) {
	t := c.cfg.Timeouts
	gw, err := client.Connect(u.id,
		client.WithSign(u.sign), client.WithHash(hash.SHA256), client.WithClientConnection(c.peers[i]),
		client.WithEvaluateTimeout(t.Evaluate), client.WithEndorseTimeout(t.Endorse),
		client.WithSubmitTimeout(t.Submit), client.WithCommitStatusTimeout(t.CommitStatus))
	if err != nil {
		return nil, fmt.Errorf("open gateway session for %s: %w", u.Name, err)
	}
	return gw, nil
}

// lastPeer is the index of the peer that answered last.
func (c *Client) lastPeer() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.current
}

// tryPeers runs f against peer start and then, while next says f's error
// is worth trying elsewhere, against each other configured peer in turn.
// It returns the index of the peer that answered.
func (c *Client) tryPeers(u *User, start int, next func(error) bool, f func(i int, gw *client.Gateway) error) (int, error) {
	var err error
	for n := range c.peers {
		i := (start + n) % len(c.peers)
		gw, serr := c.session(u, i)
		if serr != nil {
			return i, serr
		}
		err = f(i, gw)
		if !next(err) {
			c.mu.Lock()
			c.current = i
			c.mu.Unlock()
			return i, err
		}
	}
	return start, fmt.Errorf("%w: %w", ErrUnavailable, err)
}

// unreachable tells a peer that cannot be reached from one that answered.
func unreachable(err error) bool {
	if err == nil {
		return false
	}
	// Only a failure to reach our own peer counts: the peer also answers
	// Unavailable when it cannot reach other administrations' peers.
	st := status.Convert(err)
	return st.Code() == codes.Unavailable && len(st.Details()) == 0 &&
		(strings.Contains(st.Message(), "connection error") || strings.Contains(st.Message(), "transport:"))
}

// Evaluate runs a read-only transaction as u and returns its result.
func (c *Client) Evaluate(ctx context.Context, u *User, tx string, args ...string) ([]byte, error) {
	return c.evaluate(ctx, u, c.cfg.Chaincode, tx, args)
}

// EvaluateSystem runs a query of a system chaincode (qscc) as u.
func (c *Client) EvaluateSystem(ctx context.Context, u *User, chaincode, tx string, args ...string) ([]byte, error) {
	return c.evaluate(ctx, u, chaincode, tx, args)
}

// evaluate runs tx of chaincode as u at the peer that answered last, or the
// next one when it cannot be reached.
func (c *Client) evaluate(ctx context.Context, u *User, chaincode, tx string, args []string) ([]byte, error) {
	var out []byte
	_, err := c.tryPeers(u, c.lastPeer(), unreachable, func(_ int, gw *client.Gateway) error {
		p, err := newProposal(gw, u, gw.GetNetwork(c.cfg.Channel).GetContract(chaincode), tx, client.WithArguments(args...))
		if err != nil {
			return err
		}
		ctx, cancel := context.WithTimeout(ctx, c.cfg.Timeouts.Evaluate)
		defer cancel()
		out, err = p.EvaluateWithContext(ctx)
		return err
	})
	return out, classify(err)
}

// Submission describes a transaction to submit.
type Submission struct {
	Transaction string
	Args        []string
	// Transient carries private inputs that are not written to the block.
	Transient map[string][]byte
	// IdempotencyKey, when set, makes a retried call with the same key and
	// the same request return the first call's result instead of submitting
	// again, or, when the first call ended with the outcome unknown, settle
	// the first call's transaction; the same key with a different request
	// is refused with an *IdempotencyKeyReusedError.
	IdempotencyKey string
}

// Result is a committed transaction's outcome.
type Result struct {
	Payload       []byte
	TransactionID string
	BlockNumber   uint64
}

// Submit endorses, orders and commits a transaction signed by u, and returns
// once its commit status is known. A transaction invalidated by a read
// conflict is endorsed and submitted again as a new transaction, up to
// MaxRetries times; any other invalid transaction is a *TxInvalidError.
// When every peer is lost once the transaction may have reached the
// orderer, the error wraps ErrUnavailable and names the transaction (it may
// still commit); with an idempotency key, a retry settles that transaction.
func (c *Client) Submit(ctx context.Context, u *User, s Submission) (Result, error) {
	if s.IdempotencyKey == "" {
		return c.submit(ctx, u, s, nil)
	}
	return c.idempotency.do(sha256.Sum256(u.Cert.Raw), s.IdempotencyKey, fingerprint(s), func(pending *pendingTx) (Result, error) {
		return c.submit(ctx, u, s, pending)
	})
}

// submit runs s; when pending is set (an earlier call with the same
// idempotency key left that transaction's outcome unknown), its first
// attempt settles pending instead of endorsing a new proposal.
func (c *Client) submit(ctx context.Context, u *User, s Submission, pending *pendingTx) (Result, error) {
	opts := []client.ProposalOption{client.WithArguments(s.Args...)}
	if len(s.Transient) > 0 {
		opts = append(opts, client.WithTransient(s.Transient))
	}
	for attempt := 0; ; attempt++ {
		var res Result
		var st *client.Status
		var err error
		if pending != nil {
			res, st, err = c.settle(ctx, u, pending, c.lastPeer())
			pending = nil
		} else {
			res, st, err = c.submitOnce(ctx, u, s.Transaction, opts)
		}
		var unknown *outcomeUnknownError
		if errors.As(err, &unknown) {
			return Result{}, &outcomeUnknownError{tx: unknown.tx, err: classify(unknown.err)}
		}
		if err != nil {
			return Result{}, classify(err)
		}
		if st.Successful {
			return res, nil
		}
		conflict := st.Code == peer.TxValidationCode_MVCC_READ_CONFLICT || st.Code == peer.TxValidationCode_PHANTOM_READ_CONFLICT
		if !conflict || attempt >= c.cfg.MaxRetries {
			return Result{}, &TxInvalidError{TransactionID: st.TransactionID, Code: st.Code, Attempts: attempt + 1}
		}
		select {
		case <-ctx.Done():
			return Result{}, ctx.Err()
		case <-time.After(time.Duration(attempt+1) * 20 * time.Millisecond):
		}
	}
}
