package server

import (
	"context"
	"crypto"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"os"
	"sync"
	"time"

	"github.com/civicledger/civicledger/gateway/config"
	"github.com/civicledger/civicledger/gateway/fabric"
	"github.com/civicledger/civicledger/gateway/proofs/seal"
)

// trustTTL is how long the channel's trust list is reused before it is read
// again: short enough that a new or removed administration shows soon, long
// enough that verifying seals costs no ledger round trip for the trust list.
const trustTTL = time.Minute

// loadSealSigner reads the administration's seal certificate and key; it
// returns nil when none is configured (the gateway then issues no seals).
func loadSealSigner(c config.Seal) (*seal.Signer, error) {
	if c.Cert == "" && c.Key == "" {
		return nil, nil
	}
	certPEM, err := os.ReadFile(c.Cert)
	if err != nil {
		return nil, fmt.Errorf("read seal certificate: %w", err)
	}
	block, _ := pem.Decode(certPEM)
	if block == nil {
		return nil, fmt.Errorf("seal certificate %s is not PEM", c.Cert)
	}
	cert, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("parse seal certificate %s: %w", c.Cert, err)
	}
	keyPEM, err := os.ReadFile(c.Key)
	if err != nil {
		return nil, fmt.Errorf("read seal key: %w", err)
	}
	key, err := parseSealKey(keyPEM)
	if err != nil {
		return nil, fmt.Errorf("seal key %s: %w", c.Key, err)
	}
	signer, err := seal.NewSigner(cert, key)
	if err != nil {
		return nil, fmt.Errorf("seal signer: %w", err)
	}
	return signer, nil
}

// parseSealKey accepts the PKCS#8 key Fabric CA writes, or a SEC 1 EC key.
func parseSealKey(data []byte) (crypto.Signer, error) {
	block, _ := pem.Decode(data)
	if block == nil {
		return nil, fmt.Errorf("not PEM")
	}
	if k, err := x509.ParseECPrivateKey(block.Bytes); err == nil {
		return k, nil
	}
	k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("parse key: %w", err)
	}
	s, ok := k.(crypto.Signer)
	if !ok {
		return nil, fmt.Errorf("key of type %T cannot sign", k)
	}
	return s, nil
}

// trustCache holds the channel's trust list for ttl; concurrent callers of
// an expired entry wait for one refresh. A failed refresh is not cached.
type trustCache struct {
	ttl  time.Duration
	load func(context.Context, *fabric.User) (map[string][]*x509.Certificate, error)
	now  func() time.Time

	mu      sync.Mutex
	list    seal.TrustList
	fetched time.Time
}

func newTrustCache(ttl time.Duration, load func(context.Context, *fabric.User) (map[string][]*x509.Certificate, error)) *trustCache {
	return &trustCache{ttl: ttl, load: load, now: time.Now}
}

// get returns the cached trust list, reading it again as u when it is older
// than the TTL.
func (c *trustCache) get(ctx context.Context, u *fabric.User) (seal.TrustList, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.list != nil && c.now().Sub(c.fetched) < c.ttl {
		return c.list, nil
	}
	list, err := c.load(ctx, u)
	if err != nil {
		return nil, fmt.Errorf("read trust list: %w", err)
	}
	c.list, c.fetched = seal.TrustList(list), c.now()
	return c.list, nil
}
