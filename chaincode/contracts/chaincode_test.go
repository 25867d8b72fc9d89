package contracts_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/civicledger/civicledger/chaincode/contracts"
	"github.com/civicledger/civicledger/chaincode/internal/fakestub"
	"github.com/civicledger/civicledger/chaincode/records"
)

func TestChaincode(t *testing.T) {
	all, err := contracts.New()
	require.NoError(t, err)
	cc := &chaincode{cc: all, stub: fakestub.New()}
	admin := fakestub.NewIdentity(t, "RegistryMSP", "alice", contracts.RoleAdmin)
	clerk := fakestub.NewIdentity(t, "TreasuryMSP", "dave", contracts.RoleClerk)

	t.Run("an empty directory lists as a json empty array", func(t *testing.T) {
		require.Equal(t, "[]", cc.ok(t, clerk, "Directory:ListProfiles"))
	})

	t.Run("transactions are named Directory:<Transaction> and return json", func(t *testing.T) {
		var p records.Profile
		require.NoError(t, json.Unmarshal([]byte(cc.ok(t, admin, "Directory:SetProfile", "Registry", "agency", "registry@example.org")), &p))
		require.Equal(t, "RegistryMSP", p.MSPID)

		require.JSONEq(t, `{"mspId":"RegistryMSP","displayName":"Registry","kind":"agency",
			"contact":"registry@example.org","updatedAt":"2024-01-02T03:04:05Z","updatedBy":"`+admin.ID+`"}`,
			cc.ok(t, clerk, "Directory:GetProfile", "RegistryMSP"))
	})

	t.Run("errors reach the client as messages with a code prefix", func(t *testing.T) {
		cc.requireRefusals(t, map[string]refusal{
			"a missing profile":       {clerk, "Directory:GetProfile", []string{"NobodyMSP"}, contracts.CodeNotFound},
			"a clerk setting":         {clerk, "Directory:SetProfile", []string{"T", "ministry", "t@example.org"}, contracts.CodePermissionDenied},
			"an invalid kind":         {admin, "Directory:SetProfile", []string{"R", "school", "r@example.org"}, contracts.CodeInvalidArgument},
			"a malformed msp id":      {clerk, "Directory:GetProfile", []string{"bad id"}, contracts.CodeInvalidArgument},
			"a blank display name":    {admin, "Directory:SetProfile", []string{" ", "agency", "r@example.org"}, contracts.CodeInvalidArgument},
			"an over-long contact":    {admin, "Directory:SetProfile", []string{"R", "agency", strings.Repeat("x", 201)}, contracts.CodeInvalidArgument},
			"a malformed msp id (\")": {clerk, "Directory:GetProfile", []string{`"`}, contracts.CodeInvalidArgument},
		})
	})

	t.Run("read-only transactions are marked evaluate in the metadata", func(t *testing.T) {
		cc.requireTxKinds(t, contracts.DirectoryContractName, []string{"SetProfile"}, []string{"GetProfile", "ListProfiles"})
	})
}
