package fabric

import (
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var (
	alice = [32]byte{1}
	bob   = [32]byte{2}
	req   = fingerprint(Submission{Transaction: "Directory:SetProfile", Args: []string{"Registry", "agency", "x@example.org"}})
)

// counted returns a call that counts its runs and returns the transaction
// named by the run.
func counted(calls *atomic.Int32) func(*pendingTx) (Result, error) {
	return func(*pendingTx) (Result, error) {
		n := calls.Add(1)
		return Result{TransactionID: "tx" + string(rune('0'+n)), BlockNumber: uint64(n)}, nil
	}
}

func TestIdempotencyCache(t *testing.T) {
	t.Run("a retried key returns the first result without calling again", func(t *testing.T) {
		c := newIdempotencyCache(time.Hour)
		var calls atomic.Int32
		first, err := c.do(alice, "k", req, counted(&calls))
		require.NoError(t, err)
		again, err := c.do(alice, "k", req, counted(&calls))
		require.NoError(t, err)
		require.Equal(t, first, again)
		require.Equal(t, int32(1), calls.Load())
	})

	t.Run("different keys and different users with the same key are independent", func(t *testing.T) {
		c := newIdempotencyCache(time.Hour)
		var calls atomic.Int32
		a1, _ := c.do(alice, "k1", req, counted(&calls))
		a2, _ := c.do(alice, "k2", req, counted(&calls))
		b1, _ := c.do(bob, "k1", req, counted(&calls))
		require.Equal(t, int32(3), calls.Load())
		require.NotEqual(t, a1, a2)
		require.NotEqual(t, a1, b1)
		again, _ := c.do(bob, "k1", req, counted(&calls))
		require.Equal(t, b1, again)
	})

	t.Run("a failed call is not remembered, so it can be retried", func(t *testing.T) {
		c := newIdempotencyCache(time.Hour)
		boom := errors.New("endorsement failed")
		_, err := c.do(alice, "k", req, func(*pendingTx) (Result, error) { return Result{}, boom })
		require.ErrorIs(t, err, boom)
		var calls atomic.Int32
		res, err := c.do(alice, "k", req, counted(&calls))
		require.NoError(t, err)
		require.Equal(t, "tx1", res.TransactionID)
		require.Equal(t, int32(1), calls.Load())
	})

	t.Run("an entry expires after the TTL", func(t *testing.T) {
		c := newIdempotencyCache(time.Millisecond)
		var calls atomic.Int32
		first, _ := c.do(alice, "k", req, counted(&calls))
		time.Sleep(10 * time.Millisecond)
		second, _ := c.do(alice, "k", req, counted(&calls))
		require.Equal(t, int32(2), calls.Load())
		require.NotEqual(t, first, second)
		c.mu.Lock()
		require.Len(t, c.entries, 1, "the expired entry was evicted")
		c.mu.Unlock()
	})

	t.Run("concurrent callers with one key wait for the first and share its result", func(t *testing.T) {
		c := newIdempotencyCache(time.Hour)
		var calls atomic.Int32
		release := make(chan struct{})
		started := make(chan struct{})
		results := make(chan Result, 10)
		go func() {
			res, err := c.do(alice, "k", req, func(*pendingTx) (Result, error) {
				close(started)
				<-release
				return counted(&calls)(nil)
			})
			assert.NoError(t, err)
			results <- res
		}()
		<-started
		var wg sync.WaitGroup
		for range 9 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				res, err := c.do(alice, "k", req, counted(&calls))
				assert.NoError(t, err)
				results <- res
			}()
		}
		time.Sleep(20 * time.Millisecond)
		require.Empty(t, results, "no caller returns before the first call ends")
		close(release)
		wg.Wait()
		for range 10 {
			require.Equal(t, "tx1", (<-results).TransactionID)
		}
		require.Equal(t, int32(1), calls.Load())
	})

	t.Run("a caller waiting on a call that fails makes the call itself", func(t *testing.T) {
		c := newIdempotencyCache(time.Hour)
		release := make(chan struct{})
		started := make(chan struct{})
		boom := errors.New("conflict")
		firstErr := make(chan error, 1)
		go func() {
			_, err := c.do(alice, "k", req, func(*pendingTx) (Result, error) {
				close(started)
				<-release
				return Result{}, boom
			})
			firstErr <- err
		}()
		<-started
		var calls atomic.Int32
		done := make(chan Result, 1)
		go func() {
			res, err := c.do(alice, "k", req, counted(&calls))
			assert.NoError(t, err)
			done <- res
		}()
		close(release)
		require.ErrorIs(t, <-firstErr, boom)
		require.Equal(t, "tx1", (<-done).TransactionID)
		require.Equal(t, int32(1), calls.Load())
	})

	t.Run("the same key with a different request is refused and does not run", func(t *testing.T) {
		c := newIdempotencyCache(time.Hour)
		var calls atomic.Int32
		first, err := c.do(alice, "k", req, counted(&calls))
		require.NoError(t, err)
		for name, other := range map[string]Submission{
			"another transaction":   {Transaction: "Permissions:Accept", Args: []string{"Registry", "agency", "x@example.org"}},
			"other arguments":       {Transaction: "Directory:SetProfile", Args: []string{"Registry", "agency", "y@example.org"}},
			"other transient data":  {Transaction: "Directory:SetProfile", Args: []string{"Registry", "agency", "x@example.org"}, Transient: map[string][]byte{"subject": []byte("a")}},
			"arguments split apart": {Transaction: "Directory:SetProfile", Args: []string{"Registryagency", "", "x@example.org"}},
		} {
			_, err := c.do(alice, "k", fingerprint(other), counted(&calls))
			var reused *IdempotencyKeyReusedError
			require.ErrorAs(t, err, &reused, name)
			require.Equal(t, IdempotencyKeyReusedError{Key: "k", First: "Directory:SetProfile", Second: other.Transaction}, *reused, name)
			require.ErrorContains(t, err, `idempotency key "k" was already used for a different request`, name)
			require.ErrorContains(t, err, "use a new key for a new request", name)
		}
		require.Equal(t, int32(1), calls.Load(), "no refused request ran")
		again, err := c.do(alice, "k", req, counted(&calls))
		require.NoError(t, err)
		require.Equal(t, first, again, "the first request still gets its result")
	})

	t.Run("the fingerprint ignores the order of transient keys but not of arguments", func(t *testing.T) {
		a := Submission{Transaction: "T", Args: []string{"1", "2"}, Transient: map[string][]byte{"x": {1}, "y": {2}}}
		b := Submission{Transaction: "T", Args: []string{"1", "2"}, Transient: map[string][]byte{"y": {2}, "x": {1}}}
		require.Equal(t, fingerprint(a), fingerprint(b))
		b.Args = []string{"2", "1"}
		require.NotEqual(t, fingerprint(a), fingerprint(b))
	})

	t.Run("a different request arriving while the first is in flight is refused at once", func(t *testing.T) {
		c := newIdempotencyCache(time.Hour)
		release := make(chan struct{})
		started := make(chan struct{})
		done := make(chan error, 1)
		go func() {
			_, err := c.do(alice, "k", req, func(*pendingTx) (Result, error) {
				close(started)
				<-release
				return Result{TransactionID: "tx1"}, nil
			})
			done <- err
		}()
		<-started
		_, err := c.do(alice, "k", fingerprint(Submission{Transaction: "Permissions:Accept"}), func(*pendingTx) (Result, error) {
			t.Error("the refused request ran")
			return Result{}, nil
		})
		var reused *IdempotencyKeyReusedError
		require.ErrorAs(t, err, &reused)
		close(release)
		require.NoError(t, <-done)
	})

	t.Run("a call whose outcome is unknown is kept with its transaction, which the next call settles", func(t *testing.T) {
		c := newIdempotencyCache(time.Hour)
		tx := &pendingTx{id: "tx1"}
		unknown := func(*pendingTx) (Result, error) {
			return Result{}, &outcomeUnknownError{tx: tx, err: ErrUnavailable}
		}
		_, err := c.do(alice, "k", req, unknown)
		require.ErrorIs(t, err, ErrUnavailable)

		_, err = c.do(alice, "k", fingerprint(Submission{Transaction: "Permissions:Accept"}), counted(new(atomic.Int32)))
		var reused *IdempotencyKeyReusedError
		require.ErrorAs(t, err, &reused, "a different request is refused while the outcome is unknown")

		var got []*pendingTx
		settle := func(p *pendingTx) (Result, error) {
			got = append(got, p)
			if len(got) == 1 {
				return unknown(p) // still no peer
			}
			return Result{TransactionID: p.id, BlockNumber: 9}, nil
		}
		_, err = c.do(alice, "k", req, settle)
		require.ErrorIs(t, err, ErrUnavailable)
		res, err := c.do(alice, "k", req, settle)
		require.NoError(t, err)
		require.Equal(t, []*pendingTx{tx, tx}, got, "each retry settles the first transaction")
		require.Equal(t, Result{TransactionID: "tx1", BlockNumber: 9}, res)

		again, err := c.do(alice, "k", req, counted(new(atomic.Int32)))
		require.NoError(t, err)
		require.Equal(t, res, again, "then the key answers with the settled result")
	})

	t.Run("an unknown outcome is forgotten after the TTL", func(t *testing.T) {
		c := newIdempotencyCache(time.Millisecond)
		_, err := c.do(alice, "k", req, func(*pendingTx) (Result, error) {
			return Result{}, &outcomeUnknownError{tx: &pendingTx{id: "tx1"}, err: ErrUnavailable}
		})
		require.ErrorIs(t, err, ErrUnavailable)
		time.Sleep(10 * time.Millisecond)
		var pending *pendingTx
		_, err = c.do(alice, "k", req, func(p *pendingTx) (Result, error) { pending = p; return Result{}, nil })
		require.NoError(t, err)
		require.Nil(t, pending, "a new submission")
	})

	t.Run("callers waiting on a call that ends unknown settle its transaction one at a time", func(t *testing.T) {
		c := newIdempotencyCache(time.Hour)
		release := make(chan struct{})
		started := make(chan struct{})
		go func() {
			_, _ = c.do(alice, "k", req, func(*pendingTx) (Result, error) {
				close(started)
				<-release
				return Result{}, &outcomeUnknownError{tx: &pendingTx{id: "tx1"}, err: ErrUnavailable}
			})
		}()
		<-started
		var fresh, settles atomic.Int32
		var wg sync.WaitGroup
		for range 5 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				res, err := c.do(alice, "k", req, func(p *pendingTx) (Result, error) {
					if p == nil {
						fresh.Add(1)
						return Result{}, nil
					}
					settles.Add(1)
					return Result{TransactionID: p.id}, nil
				})
				assert.NoError(t, err)
				assert.Equal(t, "tx1", res.TransactionID)
			}()
		}
		close(release)
		wg.Wait()
		require.Zero(t, fresh.Load(), "no caller submitted anew")
		require.Equal(t, int32(1), settles.Load(), "the first to settle answers the others")
	})
}
