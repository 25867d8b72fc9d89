package fabric

import (
	"context"
	"crypto/x509"

	"github.com/civicledger/civicledger/gateway/proofs/receipt"
)

// TrustList reads the member administrations' root and intermediate CA
// certificates from the channel's current configuration block, keyed by MSP
// ID: the certificates a seal from a member must chain to. It asks the
// peer's cscc as u.
func (c *Client) TrustList(ctx context.Context, u *User) (map[string][]*x509.Certificate, error) {
	raw, err := c.EvaluateSystem(ctx, u, "cscc", "GetConfigBlock", c.cfg.Channel)
	if err != nil {
		return nil, err
	}
	return trustListFromConfigBlock(raw)
}

// trustListFromConfigBlock collects the CA certificates of every
// application organization's MSP in a configuration block.
func trustListFromConfigBlock(raw []byte) (map[string][]*x509.Certificate, error) {
	cfg, err := receipt.ParseConfigBlock(raw)
	if err != nil {
		return nil, err
	}
	out := map[string][]*x509.Certificate{}
	for _, id := range cfg.MemberIDs() {
		m := cfg.MSPs[id]
		out[id] = append(append([]*x509.Certificate{}, m.Roots...), m.Intermediates...)
	}
	return out, nil
}
