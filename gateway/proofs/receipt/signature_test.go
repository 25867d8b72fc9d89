package receipt

import (
	"crypto/elliptic"
	"encoding/asn1"
	"math/big"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/civicledger/civicledger/gateway/internal/testpki"
)

func TestVerifySignature(t *testing.T) {
	ca := testpki.NewCA(t, "a")
	cfg := testConfig(t, map[string]*testpki.CA{"AMSP": ca})
	s := ca.Issue(t, "AMSP", "peer0", "peer")
	id, err := cfg.identityOf(s.Serialized, time.Now())
	require.NoError(t, err)
	msg := []byte("proposal response payload")
	sig := s.Sign(t, msg)

	t.Run("a genuine signature verifies", func(t *testing.T) {
		require.NoError(t, verifySignature(id, msg, sig))
	})
	t.Run("another message does not", func(t *testing.T) {
		require.ErrorContains(t, verifySignature(id, []byte("other"), sig), "does not match")
	})
	t.Run("the high-S twin of a genuine signature is refused, as Fabric does", func(t *testing.T) {
		var rs struct{ R, S *big.Int }
		_, err := asn1.Unmarshal(sig, &rs)
		require.NoError(t, err)
		rs.S.Sub(elliptic.P256().Params().N, rs.S)
		high, err := asn1.Marshal(rs)
		require.NoError(t, err)
		require.ErrorContains(t, verifySignature(id, msg, high), "high S")
	})
	t.Run("bytes that are not a signature are refused", func(t *testing.T) {
		require.ErrorContains(t, verifySignature(id, msg, []byte{1, 2, 3}), "not a DER ECDSA signature")
		require.ErrorContains(t, verifySignature(id, msg, append(append([]byte{}, sig...), 0)), "not a DER ECDSA signature")
	})
}
