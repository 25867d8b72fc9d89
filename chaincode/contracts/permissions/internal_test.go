package permissions

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/civicledger/civicledger/chaincode/contracts/base"
	"github.com/civicledger/civicledger/chaincode/contracts/directory"
	"github.com/civicledger/civicledger/chaincode/contracts/internal/contracttest"
	"github.com/civicledger/civicledger/chaincode/internal/fakestub"
	"github.com/civicledger/civicledger/chaincode/spec"
	"github.com/civicledger/civicledger/chaincode/state"
)

// TestPermissionKeyPolicies follows the key-level endorsement policy of a
// permission through its life: which sets of endorsing peers a peer's
// validator would accept for the next change of the key.
func TestPermissionKeyPolicies(t *testing.T) {
	c := New()
	dir := directory.New()
	ids := map[string]fakestub.Identity{}
	for _, msp := range []string{"RegistryMSP", "TreasuryMSP", "CouncilMSP", "HealthMSP"} {
		ids[msp] = fakestub.NewIdentity(t, msp, "approver", spec.RoleApprover)
	}
	admin := func(msp string) fakestub.Identity { return fakestub.NewIdentity(t, msp, "admin", spec.RoleAdmin) }
	offer := `{"id":"p-1","grantee":"TreasuryMSP","category":"tax-income","purpose":"means test",
		"legalBasis":"art. 12","validFrom":"2024-01-01T00:00:00Z","validUntil":"2025-01-01T00:00:00Z"}`

	ledger := func(t *testing.T, members ...string) (*fakestub.Stub, string) {
		stub := fakestub.New()
		for _, m := range members {
			_, err := dir.SetProfile(contracttest.TxAs(stub, admin(m)), m, "agency", "x@example.org")
			require.NoError(t, err)
		}
		key, err := state.PermissionKey(stub, "RegistryMSP", "p-1")
		require.NoError(t, err)
		return stub, key
	}
	policyOf := func(t *testing.T, stub *fakestub.Stub, key string) []byte {
		policy, err := stub.GetStateValidationParameter(key)
		require.NoError(t, err)
		require.NotEmpty(t, policy)
		return policy
	}
	members := []string{"RegistryMSP", "TreasuryMSP", "CouncilMSP", "HealthMSP"}

	t.Run("after the offer only the peers of both owner and grantee can change the permission", func(t *testing.T) {
		stub, key := ledger(t, members...)
		_, err := c.Offer(contracttest.TxAs(stub, ids["RegistryMSP"]), offer)
		require.NoError(t, err)
		policy := policyOf(t, stub, key)
		for name, tc := range map[string]struct {
			endorsers []string
			ok        bool
		}{
			"owner and grantee":                {[]string{"RegistryMSP", "TreasuryMSP"}, true},
			"owner, grantee and a third":       {[]string{"RegistryMSP", "TreasuryMSP", "CouncilMSP"}, true},
			"the owner alone":                  {[]string{"RegistryMSP"}, false},
			"the grantee alone":                {[]string{"TreasuryMSP"}, false},
			"owner and a third party":          {[]string{"RegistryMSP", "CouncilMSP"}, false},
			"grantee and a third party":        {[]string{"TreasuryMSP", "CouncilMSP"}, false},
			"every administration but owner":   {[]string{"TreasuryMSP", "CouncilMSP", "HealthMSP"}, false},
			"every administration but grantee": {[]string{"RegistryMSP", "CouncilMSP", "HealthMSP"}, false},
		} {
			t.Run(name, func(t *testing.T) {
				require.Equal(t, tc.ok, contracttest.Satisfied(t, policy, tc.endorsers...))
			})
		}
	})

	t.Run("after acceptance the owner and any other member can change it, but not the grantee without the owner", func(t *testing.T) {
		stub, key := ledger(t, members...)
		_, err := c.Offer(contracttest.TxAs(stub, ids["RegistryMSP"]), offer)
		require.NoError(t, err)
		_, err = c.Accept(contracttest.TxAs(stub, ids["TreasuryMSP"]), "RegistryMSP", "p-1")
		require.NoError(t, err)
		policy := policyOf(t, stub, key)
		for name, tc := range map[string]struct {
			endorsers []string
			ok        bool
		}{
			"owner and grantee":              {[]string{"RegistryMSP", "TreasuryMSP"}, true},
			"owner and a third party":        {[]string{"RegistryMSP", "CouncilMSP"}, true},
			"owner and a fourth party":       {[]string{"RegistryMSP", "HealthMSP"}, true},
			"the owner alone":                {[]string{"RegistryMSP"}, false},
			"the grantee alone":              {[]string{"TreasuryMSP"}, false},
			"grantee and a third party":      {[]string{"TreasuryMSP", "CouncilMSP"}, false},
			"every administration but owner": {[]string{"TreasuryMSP", "CouncilMSP", "HealthMSP"}, false},
		} {
			t.Run(name, func(t *testing.T) {
				require.Equal(t, tc.ok, contracttest.Satisfied(t, policy, tc.endorsers...))
			})
		}
	})

	t.Run("revocation leaves the owner-plus-one policy in place", func(t *testing.T) {
		stub, key := ledger(t, members...)
		_, err := c.Offer(contracttest.TxAs(stub, ids["RegistryMSP"]), offer)
		require.NoError(t, err)
		_, err = c.Accept(contracttest.TxAs(stub, ids["TreasuryMSP"]), "RegistryMSP", "p-1")
		require.NoError(t, err)
		accepted := policyOf(t, stub, key)
		_, err = c.Revoke(contracttest.TxAs(stub, ids["RegistryMSP"]), "RegistryMSP", "p-1", "done")
		require.NoError(t, err)
		require.Equal(t, accepted, policyOf(t, stub, key))
	})

	t.Run("a withdrawn offer keeps needing both peers", func(t *testing.T) {
		stub, key := ledger(t, members...)
		_, err := c.Offer(contracttest.TxAs(stub, ids["RegistryMSP"]), offer)
		require.NoError(t, err)
		offered := policyOf(t, stub, key)
		_, err = c.Revoke(contracttest.TxAs(stub, ids["RegistryMSP"]), "RegistryMSP", "p-1", "sent by mistake")
		require.NoError(t, err)
		require.Equal(t, offered, policyOf(t, stub, key))
	})

	t.Run("with only owner and grantee as members, acceptance leaves both required", func(t *testing.T) {
		stub, key := ledger(t, "RegistryMSP", "TreasuryMSP")
		_, err := c.Offer(contracttest.TxAs(stub, ids["RegistryMSP"]), offer)
		require.NoError(t, err)
		_, err = c.Accept(contracttest.TxAs(stub, ids["TreasuryMSP"]), "RegistryMSP", "p-1")
		require.NoError(t, err)
		policy := policyOf(t, stub, key)
		require.True(t, contracttest.Satisfied(t, policy, "RegistryMSP", "TreasuryMSP"))
		require.False(t, contracttest.Satisfied(t, policy, "RegistryMSP"))
		require.False(t, contracttest.Satisfied(t, policy, "TreasuryMSP"))
	})

	t.Run("refused acceptances leave the offer's policy as it was", func(t *testing.T) {
		stub, key := ledger(t, members...)
		_, err := c.Offer(contracttest.TxAs(stub, ids["RegistryMSP"]), offer)
		require.NoError(t, err)
		offered := policyOf(t, stub, key)
		for _, msp := range []string{"RegistryMSP", "CouncilMSP"} {
			_, err := c.Accept(contracttest.TxAs(stub, ids[msp]), "RegistryMSP", "p-1")
			require.ErrorIs(t, err, base.ErrPermissionDenied)
		}
		require.Equal(t, offered, policyOf(t, stub, key))
	})

	t.Run("no other key gets a key-level policy", func(t *testing.T) {
		stub, key := ledger(t, members...)
		_, err := c.Offer(contracttest.TxAs(stub, ids["RegistryMSP"]), offer)
		require.NoError(t, err)
		_, err = c.Accept(contracttest.TxAs(stub, ids["TreasuryMSP"]), "RegistryMSP", "p-1")
		require.NoError(t, err)
		for _, k := range stub.Keys() {
			if k == key {
				continue
			}
			p, err := stub.GetStateValidationParameter(k)
			require.NoError(t, err)
			require.Empty(t, p, "key %q", k)
		}
	})
}
