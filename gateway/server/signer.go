package server

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"sync"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
)

// signerService serves SignerService: a person's client keeps one Attach
// stream open, and the gateway asks it, through that stream, for every
// signature a call of theirs needs. The private key never reaches the
// gateway; a digest goes out and a signature comes back.
type signerService struct {
	apiv1.UnimplementedSignerServiceServer
	sessions *signerSessions
}

// signTimeout bounds waiting for the client's signature of one digest.
const signTimeout = 30 * time.Second

// signerSessions are the open Attach streams, by session name.
type signerSessions struct {
	mu sync.Mutex
	m  map[string]*signerSession
}

func newSignerSessions() *signerSessions { return &signerSessions{m: map[string]*signerSession{}} }

// signerSession is one Attach stream: the certificate that opened it, and
// the signatures it owes.
type signerSession struct {
	owner [32]byte // SHA-256 of the certificate that opened the stream
	done  chan struct{}

	sendMu sync.Mutex
	send   func(*apiv1.SignatureRequest) error

	mu      sync.Mutex
	next    uint64
	waiting map[uint64]chan []byte
}

// lookup returns the session name opened by the certificate whose
// fingerprint is owner.
func (ss *signerSessions) lookup(name string, owner [32]byte) (*signerSession, error) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	s, ok := ss.m[name]
	if !ok || s.owner != owner {
		return nil, status.Error(codes.FailedPrecondition,
			"no open signer session of yours by that name: open SignerService.Attach on this connection and send its session as signer-session metadata (ledgerctl does)")
	}
	return s, nil
}

// sign asks the client for the signature of digest, the SHA-256 of message
// of the given kind (fabric.MessageSigner).
func (s *signerSession) sign(ctx context.Context, kind string, message, digest []byte) ([]byte, error) {
	ch := make(chan []byte, 1)
	s.mu.Lock()
	s.next++
	id := s.next
	s.waiting[id] = ch
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		delete(s.waiting, id)
		s.mu.Unlock()
	}()
	s.sendMu.Lock()
	err := s.send(&apiv1.SignatureRequest{Id: id, Digest: digest, Kind: kind, Message: message})
	s.sendMu.Unlock()
	if err != nil {
		return nil, fmt.Errorf("ask the client to sign: %w", err)
	}
	timer := time.NewTimer(signTimeout)
	defer timer.Stop()
	select {
	case sig := <-ch:
		if len(sig) == 0 {
			return nil, errors.New("the client refused to sign")
		}
		return sig, nil
	case <-s.done:
		return nil, errors.New("the client closed its signer session")
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-timer.C:
		return nil, errors.New("the client did not sign in time")
	}
}

func (s *signerService) Attach(stream apiv1.SignerService_AttachServer) error {
	ctx := stream.Context()
	cert := personCert(ctx)
	if cert == nil {
		return status.Error(codes.FailedPrecondition, "only a person signs on their side; this identity is signed for by the gateway")
	}
	name, err := newSecret()
	if err != nil {
		return status.Error(codes.Internal, "cannot name the session")
	}
	sess := &signerSession{owner: sha256.Sum256(cert.Raw), done: make(chan struct{}), send: stream.Send,
		waiting: map[uint64]chan []byte{}}
	if err := stream.Send(&apiv1.SignatureRequest{Session: name}); err != nil {
		return err
	}
	s.sessions.mu.Lock()
	s.sessions.m[name] = sess
	s.sessions.mu.Unlock()
	defer func() {
		s.sessions.mu.Lock()
		delete(s.sessions.m, name)
		s.sessions.mu.Unlock()
		close(sess.done)
	}()
	for {
		sig, err := stream.Recv()
		if err != nil {
			return nil // the client closed its connection
		}
		sess.mu.Lock()
		ch, ok := sess.waiting[sig.GetId()]
		sess.mu.Unlock()
		if ok {
			select {
			case ch <- sig.GetSignature():
			default: // a second answer to the same request
			}
		}
	}
}

// signerSessionName is the client's "signer-session" metadata, if any.
func signerSessionName(ctx context.Context) string {
	md, _ := metadata.FromIncomingContext(ctx)
	if v := md.Get("signer-session"); len(v) > 0 {
		return v[0]
	}
	return ""
}
