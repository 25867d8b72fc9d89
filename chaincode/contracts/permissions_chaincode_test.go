package contracts_test

import (
	"encoding/json"
	"testing"

	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"
	"github.com/stretchr/testify/require"

	"github.com/civicledger/civicledger/chaincode/contracts"
	"github.com/civicledger/civicledger/chaincode/internal/fakestub"
)

// TestPermissionsChaincode runs the contract through the contract API, as
// a peer would: names, argument conversion, schema checks of results.
func TestPermissionsChaincode(t *testing.T) {
	a := newPermActors(t)
	cc, err := contractapi.NewChaincode(contracts.NewDirectoryContract(), contracts.NewPermissionsContract())
	require.NoError(t, err)
	stub := a.ledger(t)
	invoke := func(id fakestub.Identity, fn string, args ...string) (int32, string, string) {
		stub.As(id).SetArgs(fn, args...)
		resp := cc.Invoke(stub)
		return resp.Status, string(resp.Payload), resp.Message
	}

	t.Run("the life of a permission through Permissions:<Transaction> names", func(t *testing.T) {
		status, payload, msg := invoke(a.regApprover, "Permissions:Offer", permJSON(t, permOfferFields(), nil))
		require.EqualValues(t, 200, status, msg)
		require.Contains(t, payload, `"status":"offered"`)

		status, _, msg = invoke(a.trApprover, "Permissions:Accept", "RegistryMSP", "p-1")
		require.EqualValues(t, 200, status, msg)

		status, payload, msg = invoke(a.trClerk, "Permissions:Check", "RegistryMSP", "TreasuryMSP", "tax-income", permSubjectA)
		require.EqualValues(t, 200, status, msg)
		require.JSONEq(t, `{"allowed":true,"permissionId":"p-1","reason":"covered by an active permission"}`, payload)

		status, payload, msg = invoke(a.trClerk, "Permissions:RecordUse", permJSON(t, permUseFields(), nil))
		require.EqualValues(t, 200, status, msg)
		require.Contains(t, payload, `"valid":true`)

		status, _, msg = invoke(a.regApprover, "Permissions:Revoke", "RegistryMSP", "p-1", "ended")
		require.EqualValues(t, 200, status, msg)

		status, payload, msg = invoke(a.trClerk, "Permissions:Check", "RegistryMSP", "TreasuryMSP", "tax-income", "")
		require.EqualValues(t, 200, status, msg)
		require.JSONEq(t, `{"allowed":false,"permissionId":"p-1","reason":"permission revoked"}`, payload)

		status, payload, msg = invoke(a.trClerk, "Permissions:ListUsesBySubject", permSubjectA, "10", "")
		require.EqualValues(t, 200, status, msg)
		var page contracts.PermissionUsePage
		require.NoError(t, json.Unmarshal([]byte(payload), &page))
		require.Len(t, page.Uses, 1)

		status, payload, msg = invoke(a.trClerk, "Permissions:ListInvalidUses", "10", "")
		require.EqualValues(t, 200, status, msg)
		require.JSONEq(t, `{"uses":[],"bookmark":""}`, payload)

		status, payload, msg = invoke(a.trClerk, "Permissions:ListByOwner", "CouncilMSP", "10", "")
		require.EqualValues(t, 200, status, msg)
		require.JSONEq(t, `{"permissions":[],"bookmark":""}`, payload)

		status, payload, msg = invoke(a.trClerk, "Permissions:Get", "RegistryMSP", "p-1")
		require.EqualValues(t, 200, status, msg)
		require.Contains(t, payload, `"revokeReason":"ended"`)
	})

	t.Run("errors reach the client with a code prefix", func(t *testing.T) {
		for name, tc := range map[string]struct {
			id   fakestub.Identity
			fn   string
			args []string
			code contracts.Code
		}{
			"bad json":                {a.regApprover, "Permissions:Offer", []string{"{"}, contracts.CodeInvalidArgument},
			"a third party accepting": {a.coApprover, "Permissions:Accept", []string{"RegistryMSP", "p-1"}, contracts.CodePermissionDenied},
			"the grantee revoking":    {a.trApprover, "Permissions:Revoke", []string{"RegistryMSP", "p-1", "x"}, contracts.CodePermissionDenied},
			"an unknown permission":   {a.trClerk, "Permissions:Get", []string{"RegistryMSP", "p-404"}, contracts.CodeNotFound},
			"a page size of zero":     {a.trClerk, "Permissions:ListInvalidUses", []string{"0", ""}, contracts.CodeInvalidArgument},
		} {
			t.Run(name, func(t *testing.T) {
				status, _, msg := invoke(tc.id, tc.fn, tc.args...)
				require.EqualValues(t, 500, status)
				code, ok := contracts.ParseCode(msg)
				require.True(t, ok, "message %q", msg)
				require.Equal(t, tc.code, code)
			})
		}
	})

	t.Run("a page size that is not a number is refused by the contract api", func(t *testing.T) {
		status, _, _ := invoke(a.trClerk, "Permissions:ListInvalidUses", "ten", "")
		require.EqualValues(t, 500, status)
	})

	t.Run("queries are marked evaluate and changes submit in the metadata", func(t *testing.T) {
		status, payload, msg := invoke(a.trClerk, "org.hyperledger.fabric:GetMetadata")
		require.EqualValues(t, 200, status, msg)
		var md struct {
			Contracts map[string]struct {
				Transactions []struct {
					Name string   `json:"name"`
					Tags []string `json:"tag"`
				} `json:"transactions"`
			} `json:"contracts"`
		}
		require.NoError(t, json.Unmarshal([]byte(payload), &md))
		tags := map[string][]string{}
		for _, tx := range md.Contracts[contracts.PermissionsContractName].Transactions {
			tags[tx.Name] = tx.Tags
		}
		require.Len(t, tags, 9)
		for _, name := range []string{"Offer", "Accept", "Revoke", "RecordUse"} {
			require.Contains(t, tags[name], "submit", name)
		}
		for _, name := range []string{"Check", "Get", "ListByOwner", "ListUsesBySubject", "ListInvalidUses"} {
			require.Contains(t, tags[name], "evaluate", name)
		}
	})
}
