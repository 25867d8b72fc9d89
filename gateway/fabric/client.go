// Package fabric connects the gateway to its administration's Fabric peers
// through the Fabric Gateway client API: it evaluates and submits chaincode
// transactions signed by the calling user, waits for commit, retries read
// conflicts, fails over to another peer of the administration, and turns
// chaincode refusals into typed errors.
package fabric

import (
	"context"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
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

	"github.com/civicledger/civicledger/gateway/config"
)

// Client is the gateway's connection to Fabric.
type Client struct {
	cfg         config.Config
	peers       []*grpc.ClientConn
	addrs       []string
	idempotency *idempotencyCache

	mu       sync.Mutex
	sessions map[sessionKey]*client.Gateway
	current  int // index of the peer that answered last
}

type sessionKey struct {
	user [32]byte
	peer int
}

// Dial opens a TLS connection to every configured peer (connections are
// lazy: an unreachable peer is only noticed when used).
func Dial(cfg config.Config) (*Client, error) {
	c := &Client{cfg: cfg, sessions: map[sessionKey]*client.Gateway{}, idempotency: newIdempotencyCache(cfg.IdempotencyTTL)}
	for i, p := range cfg.Peers {
		pem, err := os.ReadFile(p.TLSRootCert)
		if err != nil {
			c.Close()
			return nil, fmt.Errorf("peers[%d]: read TLS root: %w", i, err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			c.Close()
			return nil, fmt.Errorf("peers[%d]: %s holds no certificate", i, p.TLSRootCert)
		}
		conn, err := grpc.NewClient(p.Address, grpc.WithTransportCredentials(
			credentials.NewTLS(&tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12})))
		if err != nil {
			c.Close()
			return nil, fmt.Errorf("peers[%d]: dial %s: %w", i, p.Address, err)
		}
		c.peers = append(c.peers, conn)
		c.addrs = append(c.addrs, p.Address)
	}
	return c, nil
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

// session returns the Fabric Gateway session of user u at peer i.
func (c *Client) session(u *User, i int) (*client.Gateway, error) {
	k := sessionKey{sha256.Sum256(u.Cert.Raw), i}
	c.mu.Lock()
	defer c.mu.Unlock()
	if gw, ok := c.sessions[k]; ok {
		return gw, nil
	}
	t := c.cfg.Timeouts
	gw, err := client.Connect(u.id,
		client.WithSign(u.sign), client.WithHash(hash.SHA256), client.WithClientConnection(c.peers[i]),
		client.WithEvaluateTimeout(t.Evaluate), client.WithEndorseTimeout(t.Endorse),
		client.WithSubmitTimeout(t.Submit), client.WithCommitStatusTimeout(t.CommitStatus))
	if err != nil {
		return nil, fmt.Errorf("open gateway session for %s: %w", u.Name, err)
	}
	c.sessions[k] = gw
	return gw, nil
}

// withPeer runs f against the peer that answered last and, when that peer
// is unreachable, against each other configured peer in turn.
func (c *Client) withPeer(u *User, f func(*client.Network) error) error {
	c.mu.Lock()
	start := c.current
	c.mu.Unlock()
	var err error
	for n := range c.peers {
		i := (start + n) % len(c.peers)
		gw, serr := c.session(u, i)
		if serr != nil {
			return serr
		}
		err = f(gw.GetNetwork(c.cfg.Channel))
		if !unreachable(err) {
			c.mu.Lock()
			c.current = i
			c.mu.Unlock()
			return err
		}
	}
	return fmt.Errorf("%w: %v", ErrUnavailable, err)
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
	var out []byte
	err := c.withPeer(u, func(nw *client.Network) error {
		var err error
		out, err = nw.GetContract(c.cfg.Chaincode).EvaluateWithContext(ctx, tx, client.WithArguments(args...))
		return err
	})
	return out, classify(err)
}

// EvaluateSystem runs a query of a system chaincode (qscc) as u.
func (c *Client) EvaluateSystem(ctx context.Context, u *User, chaincode, tx string, args ...string) ([]byte, error) {
	var out []byte
	err := c.withPeer(u, func(nw *client.Network) error {
		var err error
		out, err = nw.GetContract(chaincode).EvaluateWithContext(ctx, tx, client.WithArguments(args...))
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
	// IdempotencyKey, when set, makes a retried call with the same key
	// return the first call's result instead of submitting again.
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
// conflict is submitted again, up to MaxRetries times; any other invalid
// transaction is a *TxInvalidError.
func (c *Client) Submit(ctx context.Context, u *User, s Submission) (Result, error) {
	if s.IdempotencyKey == "" {
		return c.submit(ctx, u, s)
	}
	return c.idempotency.do(sha256.Sum256(u.Cert.Raw), s.IdempotencyKey, func() (Result, error) {
		return c.submit(ctx, u, s)
	})
}

func (c *Client) submit(ctx context.Context, u *User, s Submission) (Result, error) {
	opts := []client.ProposalOption{client.WithArguments(s.Args...)}
	if len(s.Transient) > 0 {
		opts = append(opts, client.WithTransient(s.Transient))
	}
	for attempt := 0; ; attempt++ {
		var res Result
		var st *client.Status
		err := c.withPeer(u, func(nw *client.Network) error {
			proposal, err := nw.GetContract(c.cfg.Chaincode).NewProposal(s.Transaction, opts...)
			if err != nil {
				return err
			}
			tx, err := proposal.EndorseWithContext(ctx)
			if err != nil {
				return err
			}
			commit, err := tx.SubmitWithContext(ctx)
			if err != nil {
				return err
			}
			st, err = commit.StatusWithContext(ctx)
			if err != nil {
				return err
			}
			res = Result{Payload: tx.Result(), TransactionID: st.TransactionID, BlockNumber: st.BlockNumber}
			return nil
		})
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
