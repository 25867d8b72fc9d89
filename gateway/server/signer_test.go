package server

import (
	"context"
	"crypto/sha256"
	"testing"

	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"

	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
)

// answering is a session whose client answers every request with answer(digest).
func answering(owner [32]byte, answer func([]byte) []byte) *signerSession {
	s := &signerSession{owner: owner, done: make(chan struct{}), waiting: map[uint64]chan []byte{}}
	s.send = func(r *apiv1.SignatureRequest) error {
		go func() {
			s.mu.Lock()
			ch := s.waiting[r.Id]
			s.mu.Unlock()
			ch <- answer(r.Digest)
		}()
		return nil
	}
	return s
}

func TestSignerSessions(t *testing.T) {
	owner := sha256.Sum256([]byte("person's certificate"))
	ss := newSignerSessions()
	ss.m["s1"] = answering(owner, func(d []byte) []byte { return append([]byte("sig:"), d...) })

	t.Run("the owner's session signs through the client", func(t *testing.T) {
		s, err := ss.lookup("s1", owner)
		require.NoError(t, err)
		sig, err := s.sign(context.Background(), "proposal", []byte("m"), []byte("digest"))
		require.NoError(t, err)
		require.Equal(t, "sig:digest", string(sig))
	})
	t.Run("another certificate cannot use the session", func(t *testing.T) {
		_, err := ss.lookup("s1", sha256.Sum256([]byte("someone else")))
		requireStatus(t, err, codes.FailedPrecondition, "no open signer session of yours")
		_, err = ss.lookup("s2", owner)
		requireStatus(t, err, codes.FailedPrecondition, "no open signer session of yours")
	})
	t.Run("an empty answer is a refusal", func(t *testing.T) {
		s := answering(owner, func([]byte) []byte { return nil })
		_, err := s.sign(context.Background(), "proposal", []byte("m"), []byte("digest"))
		require.ErrorContains(t, err, "refused to sign")
	})
	t.Run("a closed session or an ended call stops the wait", func(t *testing.T) {
		s := &signerSession{owner: owner, done: make(chan struct{}), waiting: map[uint64]chan []byte{},
			send: func(*apiv1.SignatureRequest) error { return nil }}
		close(s.done)
		_, err := s.sign(context.Background(), "proposal", []byte("m"), []byte("digest"))
		require.ErrorContains(t, err, "closed its signer session")
		s.done = make(chan struct{})
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_, err = s.sign(ctx, "proposal", []byte("m"), []byte("digest"))
		require.ErrorIs(t, err, context.Canceled)
	})
}
