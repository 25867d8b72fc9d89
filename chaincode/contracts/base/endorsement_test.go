package base_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/civicledger/civicledger/chaincode/contracts/base"
	"github.com/civicledger/civicledger/chaincode/contracts/internal/contracttest"
)

func TestKeyPolicies(t *testing.T) {
	members := []string{"CouncilMSP", "RegistryMSP", "TreasuryMSP"}

	t.Run("owner plus one needs the owner and one other administration", func(t *testing.T) {
		p, err := base.PolicyOwnerPlusOne("RegistryMSP", members)
		require.NoError(t, err)
		require.True(t, contracttest.Satisfied(t, p, "RegistryMSP", "TreasuryMSP"))
		require.True(t, contracttest.Satisfied(t, p, "RegistryMSP", "CouncilMSP"))
		require.False(t, contracttest.Satisfied(t, p, "RegistryMSP"), "the owner alone")
		require.False(t, contracttest.Satisfied(t, p, "TreasuryMSP", "CouncilMSP"), "a majority without the owner")
	})

	t.Run("owner plus one with no other member needs the owner alone", func(t *testing.T) {
		p, err := base.PolicyOwnerPlusOne("RegistryMSP", []string{"RegistryMSP"})
		require.NoError(t, err)
		require.True(t, contracttest.Satisfied(t, p, "RegistryMSP"))
		require.False(t, contracttest.Satisfied(t, p, "TreasuryMSP"))
	})

	t.Run("all of needs every listed administration", func(t *testing.T) {
		p, err := base.PolicyAllOf("RegistryMSP", "TreasuryMSP")
		require.NoError(t, err)
		require.True(t, contracttest.Satisfied(t, p, "RegistryMSP", "TreasuryMSP"))
		require.False(t, contracttest.Satisfied(t, p, "RegistryMSP", "CouncilMSP"))
	})

	t.Run("an empty policy is refused", func(t *testing.T) {
		_, err := base.PolicyAllOf()
		require.Error(t, err)
	})
}
