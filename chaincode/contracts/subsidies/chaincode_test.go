package subsidies_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/civicledger/civicledger/chaincode/contracts/base"
	"github.com/civicledger/civicledger/chaincode/contracts/internal/contracttest"
	"github.com/civicledger/civicledger/chaincode/contracts/subsidies"
	"github.com/civicledger/civicledger/chaincode/internal/fakestub"
	"github.com/civicledger/civicledger/chaincode/records"
	"github.com/civicledger/civicledger/chaincode/spec"
)

// TestSubsidiesChaincode drives the contract as a peer would: transaction
// names and string arguments in, JSON or a "CODE: message" error out.
func TestSubsidiesChaincode(t *testing.T) {
	cc := contracttest.NewChaincode(t, fakestub.New(), subsidies.New())
	invoke := func(msp, role, fn string, args ...string) (int32, string, string) {
		return cc.Invoke(subsidyWho(t, msp, role), fn, args...)
	}
	ok := func(msp, role, fn string, args ...string) string {
		t.Helper()
		return cc.OK(t, subsidyWho(t, msp, role), fn, args...)
	}

	t.Run("a grant goes from programme to payment through the string interface", func(t *testing.T) {
		ok(subsidyRegistry, spec.RoleAdmin, "Subsidies:CreateProgramme", subsidyProgrammeInput(t, nil))
		ok(subsidyRegistry, spec.RoleClerk, "Subsidies:ProposeGrant", subsidyGrantInput(t, nil))

		status, _, msg := invoke(subsidyRegistry, spec.RoleApprover, "Subsidies:ApproveGrant", subsidyRegistry, "G1")
		require.EqualValues(t, 500, status)
		require.True(t, strings.HasPrefix(msg, "PERMISSION_DENIED: an approver of RegistryMSP cannot approve"), msg)

		approved := ok(subsidyTreasury, spec.RoleApprover, "Subsidies:ApproveGrant", subsidyRegistry, "G1")
		var g records.SubsidyGrant
		require.NoError(t, json.Unmarshal([]byte(approved), &g))
		require.Equal(t, spec.GrantApproved, g.Status)
		require.Equal(t, subsidyTreasury, g.DecidedByMSP)

		ok(subsidyRegistry, spec.RoleClerk, "Subsidies:RecordPayment", subsidyRegistry, "G1", `{"paymentId":"PAY-1","amount":250000}`)

		var view records.SubsidyGrantView
		require.NoError(t, json.Unmarshal([]byte(ok(subsidyCouncil, "", "Subsidies:GetGrant", subsidyRegistry, "G1")), &view))
		require.Equal(t, int64(250_000), view.Grant.PaidTotal)
		require.Len(t, view.Payments, 1)

		var programme records.SubsidyProgrammeView
		require.NoError(t, json.Unmarshal([]byte(ok(subsidyCouncil, "", "Subsidies:GetProgramme", subsidyRegistry, "P1")), &programme))
		require.Equal(t, int64(1_000_000), programme.ApprovedTotal)

		var page records.SubsidyGrantPage
		require.NoError(t, json.Unmarshal([]byte(ok(subsidyCouncil, "", "Subsidies:ListGrants", subsidyRegistry, "P1", "10", "")), &page))
		require.Len(t, page.Grants, 1)

		var aid records.SubsidyAidReport
		require.NoError(t, json.Unmarshal([]byte(ok(subsidyCouncil, "", "Subsidies:AidReceived", "FR12345678901")), &aid))
		require.Equal(t, int64(1_000_000), aid.Total)
	})

	t.Run("empty lists are json arrays, not null", func(t *testing.T) {
		require.Contains(t, ok(subsidyCouncil, "", "Subsidies:AidReceived", "DE1234"), `"byAdministration":[],"awards":[]`)
		ok(subsidyRegistry, spec.RoleAdmin, "Subsidies:CreateProgramme", subsidyProgrammeInput(t, map[string]any{"id": "EMPTY"}))
		require.Contains(t, ok(subsidyCouncil, "", "Subsidies:ListGrants", subsidyRegistry, "EMPTY", "", ""), `"grants":[]`)
	})

	t.Run("errors reach the client with their code prefix", func(t *testing.T) {
		who := func(msp, role string) fakestub.Identity { return subsidyWho(t, msp, role) }
		cc.RequireRefusals(t, map[string]contracttest.Refusal{
			"bad json":               {ID: who(subsidyRegistry, spec.RoleAdmin), Fn: "Subsidies:CreateProgramme", Args: []string{"{"}, Code: base.CodeInvalidArgument},
			"a negative payment":     {ID: who(subsidyRegistry, spec.RoleClerk), Fn: "Subsidies:RecordPayment", Args: []string{subsidyRegistry, "G1", `{"paymentId":"X","amount":-1}`}, Code: base.CodeInvalidArgument},
			"an unknown grant":       {ID: who(subsidyCouncil, ""), Fn: "Subsidies:GetGrant", Args: []string{subsidyRegistry, "G404"}, Code: base.CodeNotFound},
			"a payment over a grant": {ID: who(subsidyRegistry, spec.RoleClerk), Fn: "Subsidies:RecordPayment", Args: []string{subsidyRegistry, "G1", `{"paymentId":"X","amount":750001}`}, Code: base.CodeFailedPrecondition},
			"a duplicate programme":  {ID: who(subsidyRegistry, spec.RoleAdmin), Fn: "Subsidies:CreateProgramme", Args: []string{subsidyProgrammeInput(t, nil)}, Code: base.CodeAlreadyExists},
		})
	})

	t.Run("queries are marked as evaluate transactions in the metadata", func(t *testing.T) {
		cc.RequireTxKinds(t, spec.SubsidiesContract,
			[]string{"CreateProgramme", "ProposeGrant", "ApproveGrant", "RejectGrant", "RecordPayment"},
			[]string{"GetProgramme", "GetGrant", "ListGrants", "AidReceived"})
	})
}
