package seal

import (
	"crypto/sha256"
	"crypto/x509"
	"encoding/binary"
	"sync"
	"time"
)

// verifiedChains remembers certificate chains that x509 verification
// accepted. The same few seal certificates sign every seal, so checking the
// CA's signature over them on every Verify would double its cost; a hit skips
// that signature check but still checks every certificate's validity at the
// requested time. The key hashes every certificate involved, so a changed
// trust list or chain never meets a stale entry, and only successes are kept.
var verifiedChains = &chainCache{m: make(map[[32]byte][]*x509.Certificate)}

// chainCacheSize bounds the cache; it is emptied when full.
const chainCacheSize = 256

type chainCache struct {
	mu sync.Mutex
	m  map[[32]byte][]*x509.Certificate
}

func (c *chainCache) get(key [32]byte) ([]*x509.Certificate, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	chain, ok := c.m[key]
	return chain, ok
}

func (c *chainCache) put(key [32]byte, chain []*x509.Certificate) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.m) >= chainCacheSize {
		clear(c.m)
	}
	c.m[key] = chain
}

// chainKey hashes the signer certificate, the intermediates and the trust
// anchors, each length-prefixed, with a marker between the groups.
func chainKey(cert *x509.Certificate, intermediates, cas []*x509.Certificate) [32]byte {
	h := sha256.New()
	write := func(group byte, certs []*x509.Certificate) {
		h.Write([]byte{group})
		for _, c := range certs {
			if c != nil {
				h.Write(binary.BigEndian.AppendUint32(nil, uint32(len(c.Raw))))
				h.Write(c.Raw)
			}
		}
	}
	write('L', []*x509.Certificate{cert})
	write('I', intermediates)
	write('R', cas)
	var key [32]byte
	h.Sum(key[:0])
	return key
}

// validAt reports whether every certificate of chain is valid at t, as
// x509.Certificate.Verify checks it.
func validAt(chain []*x509.Certificate, t time.Time) bool {
	for _, c := range chain {
		if t.Before(c.NotBefore) || t.After(c.NotAfter) {
			return false
		}
	}
	return true
}
