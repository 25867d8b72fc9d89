package contracts

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestKeyPolicies(t *testing.T) {
	members := []string{"CouncilMSP", "RegistryMSP", "TreasuryMSP"}

	t.Run("owner plus one needs the owner and one other administration", func(t *testing.T) {
		p, err := policyOwnerPlusOne("RegistryMSP", members)
		require.NoError(t, err)
		require.True(t, satisfied(t, p, "RegistryMSP", "TreasuryMSP"))
		require.True(t, satisfied(t, p, "RegistryMSP", "CouncilMSP"))
		require.False(t, satisfied(t, p, "RegistryMSP"), "the owner alone")
		require.False(t, satisfied(t, p, "TreasuryMSP", "CouncilMSP"), "a majority without the owner")
	})

	t.Run("owner plus one with no other member needs the owner alone", func(t *testing.T) {
		p, err := policyOwnerPlusOne("RegistryMSP", []string{"RegistryMSP"})
		require.NoError(t, err)
		require.True(t, satisfied(t, p, "RegistryMSP"))
		require.False(t, satisfied(t, p, "TreasuryMSP"))
	})

	t.Run("all of needs every listed administration", func(t *testing.T) {
		p, err := policyAllOf("RegistryMSP", "TreasuryMSP")
		require.NoError(t, err)
		require.True(t, satisfied(t, p, "RegistryMSP", "TreasuryMSP"))
		require.False(t, satisfied(t, p, "RegistryMSP", "CouncilMSP"))
	})

	t.Run("an empty policy is refused", func(t *testing.T) {
		_, err := policyAllOf()
		require.Error(t, err)
	})
}
