package fabric

import (
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"slices"
	"sync"
	"time"
)

// idempotencyCache remembers, per user and idempotency key, the request (as
// a fingerprint) and the result of a successful submission for a while, so a
// client that retries a call whose answer it did not receive gets the same
// result instead of a second transaction. The same key with a different
// request is refused (*IdempotencyKeyReusedError), as Stripe and Google's
// AIP-155 do: answering it with the first request's result would drop it
// silently. Calls with the same key wait for one another. A call that ends
// with its transaction's outcome unknown (it may have reached the orderer,
// but no peer gave its commit status) is remembered with that transaction,
// so a retry asks for the status of the same transaction instead of
// submitting a second one; other failed calls are not remembered, so they
// can be retried. The cache lives in memory: after a
// gateway restart, record ids (which the chaincode refuses to register twice)
// are what prevents duplicates.
type idempotencyCache struct {
	ttl       time.Duration
	mu        sync.Mutex
	entries   map[idemKey]*idemEntry
	lastSweep time.Time
}

// sweepInterval bounds how often expired entries are removed: a sweep walks
// every entry, so it must not run on every submission.
const sweepInterval = time.Minute

type idemKey struct {
	user [32]byte
	key  string
}

// request identifies what a submission asks for: the transaction's name
// and a digest of its name, arguments and transient data.
type request struct {
	transaction string
	digest      [32]byte
}

// fingerprint digests everything a submission asks the ledger to do, each
// part length-prefixed so that no two different requests share a digest.
func fingerprint(s Submission) request {
	h := sha256.New()
	field := func(b []byte) {
		h.Write(binary.BigEndian.AppendUint64(nil, uint64(len(b))))
		h.Write(b)
	}
	field([]byte(s.Transaction))
	h.Write(binary.BigEndian.AppendUint64(nil, uint64(len(s.Args))))
	for _, a := range s.Args {
		field([]byte(a))
	}
	keys := make([]string, 0, len(s.Transient))
	for k := range s.Transient {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	h.Write(binary.BigEndian.AppendUint64(nil, uint64(len(keys))))
	for _, k := range keys {
		field([]byte(k))
		field(s.Transient[k])
	}
	r := request{transaction: s.Transaction}
	h.Sum(r.digest[:0])
	return r
}

type idemEntry struct {
	req  request
	done chan struct{}
	res  Result
	err  error
	// pending is the transaction of a call that ended with its outcome
	// unknown (err is then an *outcomeUnknownError): the next call settles it.
	pending *pendingTx
	expires time.Time
}

func newIdempotencyCache(ttl time.Duration) *idempotencyCache {
	return &idempotencyCache{ttl: ttl, entries: map[idemKey]*idemEntry{}}
}

// do runs f once for user, key and req, and returns its result to every
// later call with the same key and request while the entry lives. When f
// ends with the outcome unknown, the next call runs f again with the
// transaction to settle, instead of nil (a new submission).
func (c *idempotencyCache) do(user [32]byte, key string, req request, f func(pending *pendingTx) (Result, error)) (Result, error) {
	k := idemKey{user, key}
	for {
		c.mu.Lock()
		c.evictLocked()
		e, ok := c.entries[k]
		if ok && e.expired(time.Now()) {
			delete(c.entries, k)
			ok = false
		}
		if ok && e.req.digest != req.digest {
			c.mu.Unlock()
			return Result{}, &IdempotencyKeyReusedError{Key: key, First: e.req.transaction, Second: req.transaction}
		}
		if ok && !e.finished() {
			c.mu.Unlock()
			<-e.done
			continue // its result, its transaction to settle, or nothing: look again
		}
		if ok && e.err == nil {
			c.mu.Unlock()
			return e.res, nil
		}
		var pending *pendingTx
		if ok {
			pending = e.pending
		}
		e = &idemEntry{req: req, done: make(chan struct{})}
		c.entries[k] = e
		c.mu.Unlock()
		return c.run(k, e, pending, f)
	}
}

// run calls f for the in-flight entry e and records its outcome: a result
// or an unknown outcome is kept for the TTL, any other failure is
// forgotten, so the key can be used again.
func (c *idempotencyCache) run(k idemKey, e *idemEntry, pending *pendingTx, f func(*pendingTx) (Result, error)) (Result, error) {
	res, err := f(pending)
	c.mu.Lock()
	defer c.mu.Unlock()
	e.res, e.err = res, err
	var unknown *outcomeUnknownError
	switch {
	case err == nil:
		e.expires = time.Now().Add(c.ttl)
	case errors.As(err, &unknown):
		e.pending = unknown.tx
		e.expires = time.Now().Add(c.ttl)
	default:
		delete(c.entries, k)
	}
	close(e.done)
	return res, err
}

func (c *idempotencyCache) evictLocked() {
	now := time.Now()
	if now.Sub(c.lastSweep) < sweepInterval {
		return
	}
	c.lastSweep = now
	for k, e := range c.entries {
		if e.expired(now) {
			delete(c.entries, k)
		}
	}
}

// finished reports whether the entry's call has returned.
func (e *idemEntry) finished() bool {
	select {
	case <-e.done:
		return true
	default:
		return false
	}
}

// expired reports whether a finished entry has outlived the TTL; an entry
// still in flight never expires.
func (e *idemEntry) expired(now time.Time) bool {
	return e.finished() && now.After(e.expires)
}
