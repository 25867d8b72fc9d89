package contracts_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/civicledger/civicledger/chaincode/contracts"
	"github.com/civicledger/civicledger/chaincode/contracts/base"
	"github.com/civicledger/civicledger/chaincode/contracts/internal/contracttest"
	"github.com/civicledger/civicledger/chaincode/internal/fakestub"
	"github.com/civicledger/civicledger/chaincode/records"
	"github.com/civicledger/civicledger/chaincode/spec"
)

func TestChaincode(t *testing.T) {
	all, err := contracts.New()
	require.NoError(t, err)
	cc := &contracttest.Chaincode{CC: all, Stub: fakestub.New()}
	admin := fakestub.NewIdentity(t, "RegistryMSP", "alice", spec.RoleAdmin)
	clerk := fakestub.NewIdentity(t, "TreasuryMSP", "dave", spec.RoleClerk)

	t.Run("an empty directory lists as a json empty array", func(t *testing.T) {
		require.Equal(t, "[]", cc.OK(t, clerk, "Directory:ListProfiles"))
	})

	t.Run("transactions are named Directory:<Transaction> and return json", func(t *testing.T) {
		var p records.Profile
		require.NoError(t, json.Unmarshal([]byte(cc.OK(t, admin, "Directory:SetProfile", "Registry", "agency", "registry@example.org")), &p))
		require.Equal(t, "RegistryMSP", p.MSPID)

		require.JSONEq(t, `{"mspId":"RegistryMSP","displayName":"Registry","kind":"agency",
			"contact":"registry@example.org","updatedAt":"2024-01-02T03:04:05Z","updatedBy":"`+admin.ID+`"}`,
			cc.OK(t, clerk, "Directory:GetProfile", "RegistryMSP"))
	})

	t.Run("errors reach the client as messages with a code prefix", func(t *testing.T) {
		cc.RequireRefusals(t, map[string]contracttest.Refusal{
			"a missing profile":       {ID: clerk, Fn: "Directory:GetProfile", Args: []string{"NobodyMSP"}, Code: base.CodeNotFound},
			"a clerk setting":         {ID: clerk, Fn: "Directory:SetProfile", Args: []string{"T", "ministry", "t@example.org"}, Code: base.CodePermissionDenied},
			"an invalid kind":         {ID: admin, Fn: "Directory:SetProfile", Args: []string{"R", "school", "r@example.org"}, Code: base.CodeInvalidArgument},
			"a malformed msp id":      {ID: clerk, Fn: "Directory:GetProfile", Args: []string{"bad id"}, Code: base.CodeInvalidArgument},
			"a blank display name":    {ID: admin, Fn: "Directory:SetProfile", Args: []string{" ", "agency", "r@example.org"}, Code: base.CodeInvalidArgument},
			"an over-long contact":    {ID: admin, Fn: "Directory:SetProfile", Args: []string{"R", "agency", strings.Repeat("x", 201)}, Code: base.CodeInvalidArgument},
			"a malformed msp id (\")": {ID: clerk, Fn: "Directory:GetProfile", Args: []string{`"`}, Code: base.CodeInvalidArgument},
		})
	})

	t.Run("read-only transactions are marked evaluate in the metadata", func(t *testing.T) {
		cc.RequireTxKinds(t, spec.DirectoryContract, []string{"SetProfile"}, []string{"GetProfile", "ListProfiles"})
	})
}
