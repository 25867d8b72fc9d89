package contracts_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"
	"github.com/stretchr/testify/require"

	"github.com/civicledger/civicledger/chaincode/contracts"
	"github.com/civicledger/civicledger/chaincode/internal/fakestub"
)

// TestSubsidiesChaincode drives the contract as a peer would: transaction
// names and string arguments in, JSON or a "CODE: message" error out.
func TestSubsidiesChaincode(t *testing.T) {
	cc, err := contractapi.NewChaincode(contracts.NewSubsidiesContract())
	require.NoError(t, err)
	stub := fakestub.New()
	invoke := func(msp, role, fn string, args ...string) (int32, string, string) {
		stub.As(subsidyWho(t, msp, role)).SetArgs(fn, args...)
		resp := cc.Invoke(stub)
		return resp.Status, string(resp.Payload), resp.Message
	}
	ok := func(msp, role, fn string, args ...string) string {
		t.Helper()
		status, payload, msg := invoke(msp, role, fn, args...)
		require.EqualValues(t, 200, status, msg)
		return payload
	}

	t.Run("a grant goes from programme to payment through the string interface", func(t *testing.T) {
		ok(subsidyRegistry, contracts.RoleAdmin, "Subsidies:CreateProgramme", subsidyProgrammeInput(t, nil))
		ok(subsidyRegistry, contracts.RoleClerk, "Subsidies:ProposeGrant", subsidyGrantInput(t, nil))

		status, _, msg := invoke(subsidyRegistry, contracts.RoleApprover, "Subsidies:ApproveGrant", subsidyRegistry, "G1")
		require.EqualValues(t, 500, status)
		require.True(t, strings.HasPrefix(msg, "PERMISSION_DENIED: an approver of RegistryMSP cannot approve"), msg)

		approved := ok(subsidyTreasury, contracts.RoleApprover, "Subsidies:ApproveGrant", subsidyRegistry, "G1")
		var g contracts.SubsidyGrant
		require.NoError(t, json.Unmarshal([]byte(approved), &g))
		require.Equal(t, contracts.SubsidyStatusApproved, g.Status)
		require.Equal(t, subsidyTreasury, g.DecidedByMSP)

		ok(subsidyRegistry, contracts.RoleClerk, "Subsidies:RecordPayment", subsidyRegistry, "G1", `{"paymentId":"PAY-1","amount":250000}`)

		var view contracts.SubsidyGrantView
		require.NoError(t, json.Unmarshal([]byte(ok(subsidyCouncil, "", "Subsidies:GetGrant", subsidyRegistry, "G1")), &view))
		require.Equal(t, int64(250_000), view.Grant.PaidTotal)
		require.Len(t, view.Payments, 1)

		var programme contracts.SubsidyProgrammeView
		require.NoError(t, json.Unmarshal([]byte(ok(subsidyCouncil, "", "Subsidies:GetProgramme", subsidyRegistry, "P1")), &programme))
		require.Equal(t, int64(1_000_000), programme.ApprovedTotal)

		var page contracts.SubsidyGrantPage
		require.NoError(t, json.Unmarshal([]byte(ok(subsidyCouncil, "", "Subsidies:ListGrants", subsidyRegistry, "P1", "10", "")), &page))
		require.Len(t, page.Grants, 1)

		var aid contracts.SubsidyAidReport
		require.NoError(t, json.Unmarshal([]byte(ok(subsidyCouncil, "", "Subsidies:AidReceived", "FR12345678901")), &aid))
		require.Equal(t, int64(1_000_000), aid.Total)
	})

	t.Run("empty lists are json arrays, not null", func(t *testing.T) {
		require.Contains(t, ok(subsidyCouncil, "", "Subsidies:AidReceived", "DE1234"), `"byAdministration":[],"awards":[]`)
		ok(subsidyRegistry, contracts.RoleAdmin, "Subsidies:CreateProgramme", subsidyProgrammeInput(t, map[string]any{"id": "EMPTY"}))
		require.Contains(t, ok(subsidyCouncil, "", "Subsidies:ListGrants", subsidyRegistry, "EMPTY", "", ""), `"grants":[]`)
	})

	t.Run("errors reach the client with their code prefix", func(t *testing.T) {
		for name, tc := range map[string]struct {
			msp, role, fn string
			args          []string
			code          contracts.Code
		}{
			"bad json":               {subsidyRegistry, contracts.RoleAdmin, "Subsidies:CreateProgramme", []string{"{"}, contracts.CodeInvalidArgument},
			"a negative payment":     {subsidyRegistry, contracts.RoleClerk, "Subsidies:RecordPayment", []string{subsidyRegistry, "G1", `{"paymentId":"X","amount":-1}`}, contracts.CodeInvalidArgument},
			"an unknown grant":       {subsidyCouncil, "", "Subsidies:GetGrant", []string{subsidyRegistry, "G404"}, contracts.CodeNotFound},
			"a payment over a grant": {subsidyRegistry, contracts.RoleClerk, "Subsidies:RecordPayment", []string{subsidyRegistry, "G1", `{"paymentId":"X","amount":750001}`}, contracts.CodeFailedPrecondition},
			"a duplicate programme":  {subsidyRegistry, contracts.RoleAdmin, "Subsidies:CreateProgramme", []string{subsidyProgrammeInput(t, nil)}, contracts.CodeAlreadyExists},
		} {
			t.Run(name, func(t *testing.T) {
				status, _, msg := invoke(tc.msp, tc.role, tc.fn, tc.args...)
				require.EqualValues(t, 500, status)
				code, found := contracts.ParseCode(msg)
				require.True(t, found, msg)
				require.Equal(t, tc.code, code, msg)
			})
		}
	})

	t.Run("queries are marked as evaluate transactions in the metadata", func(t *testing.T) {
		var meta struct {
			Contracts map[string]struct {
				Transactions []struct {
					Name string   `json:"name"`
					Tag  []string `json:"tag"`
				} `json:"transactions"`
			} `json:"contracts"`
		}
		require.NoError(t, json.Unmarshal([]byte(ok(subsidyCouncil, "", "org.hyperledger.fabric:GetMetadata")), &meta))
		evaluate := map[string]bool{}
		for _, tx := range meta.Contracts["Subsidies"].Transactions {
			evaluate[tx.Name] = strings.Contains(strings.ToLower(strings.Join(tx.Tag, " ")), "evaluate")
		}
		require.Equal(t, map[string]bool{
			"CreateProgramme": false, "ProposeGrant": false, "ApproveGrant": false, "RejectGrant": false,
			"RecordPayment": false, "GetProgramme": true, "GetGrant": true, "ListGrants": true, "AidReceived": true,
		}, evaluate)
	})
}
