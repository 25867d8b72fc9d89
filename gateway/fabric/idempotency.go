package fabric

import (
	"sync"
	"time"
)

// idempotencyCache remembers, per user and idempotency key, the result of a
// successful submission for a while, so a client that retries a call whose
// answer it did not receive gets the same result instead of a second
// transaction. Calls with the same key wait for one another. Failed calls are
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

type idemEntry struct {
	done    chan struct{}
	res     Result
	err     error
	expires time.Time
}

func newIdempotencyCache(ttl time.Duration) *idempotencyCache {
	return &idempotencyCache{ttl: ttl, entries: map[idemKey]*idemEntry{}}
}

func (c *idempotencyCache) do(user [32]byte, key string, f func() (Result, error)) (Result, error) {
	k := idemKey{user, key}
	for {
		c.mu.Lock()
		c.evictLocked()
		e, ok := c.entries[k]
		if ok && e.expired(time.Now()) {
			delete(c.entries, k)
			ok = false
		}
		if !ok {
			e = &idemEntry{done: make(chan struct{})}
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
