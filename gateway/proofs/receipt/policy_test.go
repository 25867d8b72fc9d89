package receipt

import (
	"testing"
	"time"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/stretchr/testify/require"

	"github.com/civicledger/civicledger/gateway/internal/testpki"
)

func TestEndorsementPolicy(t *testing.T) {
	cas := map[string]*testpki.CA{"AMSP": testpki.NewCA(t, "a"), "BMSP": testpki.NewCA(t, "b"), "CMSP": testpki.NewCA(t, "c")}
	cfg := testConfig(t, cas)
	now := time.Now()
	id := func(mspID, ou string) *Identity {
		i, err := cfg.identityOf(cas[mspID].Issue(t, mspID, "node", ou).Serialized, now)
		require.NoError(t, err)
		return i
	}
	majority := func(ids ...*Identity) bool {
		ok, err := cfg.satisfied(cfg.group("Application"), "Endorsement", ids)
		require.NoError(t, err)
		return ok
	}

	t.Run("peers of two of three organizations satisfy MAJORITY", func(t *testing.T) {
		require.True(t, majority(id("AMSP", "peer"), id("BMSP", "peer")))
	})
	t.Run("one organization's peer alone does not", func(t *testing.T) {
		require.False(t, majority(id("AMSP", "peer")))
	})
	t.Run("two peers of the same organization count once", func(t *testing.T) {
		require.False(t, majority(id("AMSP", "peer"), id("AMSP", "peer")))
	})
	t.Run("a client is not a peer", func(t *testing.T) {
		require.False(t, majority(id("AMSP", "peer"), id("BMSP", "client")))
	})
	t.Run("a certificate from another CA claiming a member's MSP is refused", func(t *testing.T) {
		foreign := testpki.NewCA(t, "a-impostor").Issue(t, "AMSP", "peer0", "peer")
		_, err := cfg.identityOf(foreign.Serialized, now)
		require.ErrorIs(t, err, errNotMember)
		require.ErrorContains(t, err, "does not chain to AMSP's CA")
	})
	t.Run("an MSP that is not in the configuration is refused", func(t *testing.T) {
		_, err := cfg.identityOf(testpki.NewCA(t, "z").Issue(t, "ZMSP", "peer0", "peer").Serialized, now)
		require.ErrorContains(t, err, `names MSP "ZMSP", which is not in the channel configuration`)
	})
	t.Run("a certificate is judged at the transaction's time", func(t *testing.T) {
		_, err := cfg.identityOf(cas["AMSP"].Issue(t, "AMSP", "peer0", "peer").Serialized, now.Add(48*time.Hour))
		require.ErrorIs(t, err, errNotMember)
	})
	t.Run("a missing policy is an error, not a pass", func(t *testing.T) {
		_, err := cfg.satisfied(cfg.group("Application"), "Writers", nil)
		require.ErrorContains(t, err, `no policy "Writers"`)
	})
}

func TestThreshold(t *testing.T) {
	for rule, want := range map[string][4]int{"ANY": {1, 1, 1, 1}, "ALL": {0, 1, 2, 3}, "MAJORITY": {1, 1, 2, 2}} {
		t.Run(rule+" needs the right count for 0 to 3 organizations", func(t *testing.T) {
			for n := range 4 {
				require.Equal(t, want[n], threshold(ruleValue(rule), n), "n=%d", n)
			}
		})
	}
}

func ruleValue(name string) common.ImplicitMetaPolicy_Rule {
	return common.ImplicitMetaPolicy_Rule(common.ImplicitMetaPolicy_Rule_value[name])
}
