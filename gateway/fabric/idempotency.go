package fabric

import (
	"crypto/sha256"
	"encoding/binary"
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
// silently. Calls with the same key wait for one another. Failed calls are
// not remembered, so they can be retried. The cache lives in memory: after a
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
	req     request
	done    chan struct{}
	res     Result
	err     error
	expires time.Time
}

func newIdempotencyCache(ttl time.Duration) *idempotencyCache {
	return &idempotencyCache{ttl: ttl, entries: map[idemKey]*idemEntry{}}
}

// do runs f once for user, key and req, and returns its result to every
// later call with the same key and request while the entry lives.
func (c *idempotencyCache) do(user [32]byte, key string, req request, f func() (Result, error)) (Result, error) {
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
		if !ok {
			e = &idemEntry{req: req, done: make(chan struct{})}
			c.entries[k] = e
			c.mu.Unlock()
			e.res, e.err = f()
			c.mu.Lock()
			if e.err != nil {
				delete(c.entries, k)
			} else {
				e.expires = time.Now().Add(c.ttl)
			}
			close(e.done)
			c.mu.Unlock()
			return e.res, e.err
		}
		c.mu.Unlock()
		<-e.done
		if e.err == nil {
			return e.res, nil
		}
		// The first call failed and was forgotten: try again ourselves.
	}
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

// expired reports whether a finished, successful entry has outlived the TTL;
// an entry still in flight never expires.
func (e *idemEntry) expired(now time.Time) bool {
	select {
	case <-e.done:
		return e.err == nil && now.After(e.expires)
	default:
		return false
	}
}
