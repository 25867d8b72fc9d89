package permissions_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/civicledger/civicledger/chaincode/contracts/base"
	"github.com/civicledger/civicledger/chaincode/contracts/directory"
	"github.com/civicledger/civicledger/chaincode/contracts/internal/contracttest"
	"github.com/civicledger/civicledger/chaincode/contracts/permissions"
	"github.com/civicledger/civicledger/chaincode/records"
	"github.com/civicledger/civicledger/chaincode/spec"
)

// TestPermissionsChaincode runs the contract through the contract API, as
// a peer would: names, argument conversion, schema checks of results.
func TestPermissionsChaincode(t *testing.T) {
	a := newPermActors(t)
	cc := contracttest.NewChaincode(t, a.ledger(t), directory.New(), permissions.New())

	t.Run("the life of a permission through Permissions:<Transaction> names", func(t *testing.T) {
		require.Contains(t, cc.OK(t, a.regApprover, "Permissions:Offer", contracttest.JSONWith(t, permOfferFields(), nil)), `"status":"offered"`)
		cc.OK(t, a.trApprover, "Permissions:Accept", "RegistryMSP", "p-1")
		require.JSONEq(t, `{"allowed":true,"permissionId":"p-1","reason":"covered by an active permission"}`,
			cc.OK(t, a.trClerk, "Permissions:Check", "RegistryMSP", "TreasuryMSP", "tax-income", permSubjectA))
		require.Contains(t, cc.OK(t, a.trClerk, "Permissions:RecordUse", contracttest.JSONWith(t, permUseFields(), nil)), `"valid":true`)
		cc.OK(t, a.regApprover, "Permissions:Revoke", "RegistryMSP", "p-1", "ended")
		require.JSONEq(t, `{"allowed":false,"permissionId":"p-1","reason":"permission revoked"}`,
			cc.OK(t, a.trClerk, "Permissions:Check", "RegistryMSP", "TreasuryMSP", "tax-income", ""))

		var page records.PermissionUsePage
		require.NoError(t, json.Unmarshal([]byte(cc.OK(t, a.trClerk, "Permissions:ListUsesBySubject", permSubjectA, "10", "")), &page))
		require.Len(t, page.Uses, 1)
		require.JSONEq(t, `{"uses":[],"bookmark":""}`, cc.OK(t, a.trClerk, "Permissions:ListInvalidUses", "10", ""))
		require.JSONEq(t, `{"permissions":[],"bookmark":""}`, cc.OK(t, a.trClerk, "Permissions:ListByOwner", "CouncilMSP", "10", ""))
		require.Contains(t, cc.OK(t, a.trClerk, "Permissions:Get", "RegistryMSP", "p-1"), `"revokeReason":"ended"`)
	})

	t.Run("errors reach the client with a code prefix", func(t *testing.T) {
		cc.RequireRefusals(t, map[string]contracttest.Refusal{
			"bad json":                {ID: a.regApprover, Fn: "Permissions:Offer", Args: []string{"{"}, Code: base.CodeInvalidArgument},
			"a third party accepting": {ID: a.coApprover, Fn: "Permissions:Accept", Args: []string{"RegistryMSP", "p-1"}, Code: base.CodePermissionDenied},
			"the grantee revoking":    {ID: a.trApprover, Fn: "Permissions:Revoke", Args: []string{"RegistryMSP", "p-1", "x"}, Code: base.CodePermissionDenied},
			"an unknown permission":   {ID: a.trClerk, Fn: "Permissions:Get", Args: []string{"RegistryMSP", "p-404"}, Code: base.CodeNotFound},
			"a page size over 100":    {ID: a.trClerk, Fn: "Permissions:ListInvalidUses", Args: []string{"101", ""}, Code: base.CodeInvalidArgument},
			"a page size in words":    {ID: a.trClerk, Fn: "Permissions:ListInvalidUses", Args: []string{"ten", ""}, Code: base.CodeInvalidArgument},
		})
	})

	t.Run("queries are marked evaluate and changes submit in the metadata", func(t *testing.T) {
		cc.RequireTxKinds(t, spec.PermissionsContract,
			[]string{"Offer", "Accept", "Revoke", "RecordUse"},
			[]string{"Check", "Get", "ListByOwner", "ListUsesBySubject", "ListInvalidUses"})
	})
}
