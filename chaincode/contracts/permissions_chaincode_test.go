package contracts_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/civicledger/civicledger/chaincode/contracts"
	"github.com/civicledger/civicledger/chaincode/records"
)

// TestPermissionsChaincode runs the contract through the contract API, as
// a peer would: names, argument conversion, schema checks of results.
func TestPermissionsChaincode(t *testing.T) {
	a := newPermActors(t)
	cc := newChaincode(t, a.ledger(t), contracts.NewDirectoryContract(), contracts.NewPermissionsContract())

	t.Run("the life of a permission through Permissions:<Transaction> names", func(t *testing.T) {
		require.Contains(t, cc.ok(t, a.regApprover, "Permissions:Offer", jsonWith(t, permOfferFields(), nil)), `"status":"offered"`)
		cc.ok(t, a.trApprover, "Permissions:Accept", "RegistryMSP", "p-1")
		require.JSONEq(t, `{"allowed":true,"permissionId":"p-1","reason":"covered by an active permission"}`,
			cc.ok(t, a.trClerk, "Permissions:Check", "RegistryMSP", "TreasuryMSP", "tax-income", permSubjectA))
		require.Contains(t, cc.ok(t, a.trClerk, "Permissions:RecordUse", jsonWith(t, permUseFields(), nil)), `"valid":true`)
		cc.ok(t, a.regApprover, "Permissions:Revoke", "RegistryMSP", "p-1", "ended")
		require.JSONEq(t, `{"allowed":false,"permissionId":"p-1","reason":"permission revoked"}`,
			cc.ok(t, a.trClerk, "Permissions:Check", "RegistryMSP", "TreasuryMSP", "tax-income", ""))

		var page records.PermissionUsePage
		require.NoError(t, json.Unmarshal([]byte(cc.ok(t, a.trClerk, "Permissions:ListUsesBySubject", permSubjectA, "10", "")), &page))
		require.Len(t, page.Uses, 1)
		require.JSONEq(t, `{"uses":[],"bookmark":""}`, cc.ok(t, a.trClerk, "Permissions:ListInvalidUses", "10", ""))
		require.JSONEq(t, `{"permissions":[],"bookmark":""}`, cc.ok(t, a.trClerk, "Permissions:ListByOwner", "CouncilMSP", "10", ""))
		require.Contains(t, cc.ok(t, a.trClerk, "Permissions:Get", "RegistryMSP", "p-1"), `"revokeReason":"ended"`)
	})

	t.Run("errors reach the client with a code prefix", func(t *testing.T) {
		cc.requireRefusals(t, map[string]refusal{
			"bad json":                {a.regApprover, "Permissions:Offer", []string{"{"}, contracts.CodeInvalidArgument},
			"a third party accepting": {a.coApprover, "Permissions:Accept", []string{"RegistryMSP", "p-1"}, contracts.CodePermissionDenied},
			"the grantee revoking":    {a.trApprover, "Permissions:Revoke", []string{"RegistryMSP", "p-1", "x"}, contracts.CodePermissionDenied},
			"an unknown permission":   {a.trClerk, "Permissions:Get", []string{"RegistryMSP", "p-404"}, contracts.CodeNotFound},
			"a page size over 100":    {a.trClerk, "Permissions:ListInvalidUses", []string{"101", ""}, contracts.CodeInvalidArgument},
			"a page size in words":    {a.trClerk, "Permissions:ListInvalidUses", []string{"ten", ""}, contracts.CodeInvalidArgument},
		})
	})

	t.Run("queries are marked evaluate and changes submit in the metadata", func(t *testing.T) {
		cc.requireTxKinds(t, contracts.PermissionsContractName,
			[]string{"Offer", "Accept", "Revoke", "RecordUse"},
			[]string{"Check", "Get", "ListByOwner", "ListUsesBySubject", "ListInvalidUses"})
	})
}
