//go:build integration

package integration

import (
	"crypto/x509"
	"encoding/pem"
	"os"
	"sort"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/civicledger/civicledger/gateway/config"
	"github.com/civicledger/civicledger/gateway/fabric"
)

func TestTrustList(t *testing.T) {
	t.Run("the channel configuration lists every administration's CA certificate", func(t *testing.T) {
		org, err := tn.Conn.Org(registry)
		require.NoError(t, err)
		cfg := registryConfig(t, config.Peer{Address: org.Peer.Address, TLSRootCert: org.TLSRootCert})
		client, err := fabric.Dial(cfg.Channel, cfg.Chaincode, []fabric.Peer{{Address: org.Peer.Address, TLSRootCert: org.TLSRootCert}})
		require.NoError(t, err)
		defer client.Close()
		wallet, err := fabric.NewWallet(cfg.Users, registry)
		require.NoError(t, err)
		u, err := org.User("clerk")
		require.NoError(t, err)
		certPEM, err := os.ReadFile(u.Cert)
		require.NoError(t, err)
		block, _ := pem.Decode(certPEM)
		require.NotNil(t, block)
		cert, err := x509.ParseCertificate(block.Bytes)
		require.NoError(t, err)
		user, err := wallet.Lookup(cert)
		require.NoError(t, err)

		list, err := client.TrustList(ctx(t), user)
		require.NoError(t, err)
		var msps []string
		for msp := range list {
			msps = append(msps, msp)
		}
		sort.Strings(msps)
		require.Equal(t, []string{council, registry, treasury}, msps)
		for _, o := range tn.Conn.Orgs {
			caPEM, err := os.ReadFile(o.TLSRootCert)
			require.NoError(t, err)
			b, _ := pem.Decode(caPEM)
			require.Len(t, list[o.MSPID], 1)
			require.Equal(t, b.Bytes, list[o.MSPID][0].Raw, "CA of %s", o.MSPID)
		}
	})
}
