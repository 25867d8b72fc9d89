//go:build integration

package integration

import (
	"testing"
	"time"

	"github.com/hyperledger/fabric-gateway/pkg/client"
	"github.com/stretchr/testify/require"

	"github.com/civicledger/civicledger/chaincode/records"
)

func TestSubsidies(t *testing.T) {
	now := time.Now().UTC()
	programme := uniqueID("P")
	mustSubmit(t, contract(t, registry, "admin"), "Subsidies:CreateProgramme", jsonArg(t, map[string]any{
		"id": programme, "name": "Heritage renovation", "budget": 5_000_000, "currency": "EUR",
		"legalBasis":  "Council decision 2026-14",
		"periodStart": now.AddDate(0, 0, -1).Format(time.DateOnly),
		"periodEnd":   now.AddDate(1, 0, 0).Format(time.DateOnly),
		"deMinimis":   true,
	}))
	propose := func(t *testing.T, grant string, amount int64) {
		t.Helper()
		mustSubmit(t, contract(t, registry, "clerk"), "Subsidies:ProposeGrant", jsonArg(t, map[string]any{
			"programmeId": programme, "grantId": grant, "beneficiary": "FR12345678901",
			"amount": amount, "purpose": "Roof of the old mill",
		}))
	}

	t.Run("a grant cannot be approved by the administration that proposed it, but can by another", func(t *testing.T) {
		grant := uniqueID("G")
		propose(t, grant, 2_500_000)

		_, _, err := submit(t, contract(t, registry, "approver"), "Subsidies:ApproveGrant", client.WithArguments(registry, grant))
		requireRefused(t, err, "PERMISSION_DENIED")
		view := decode[records.SubsidyGrantView](t, mustEvaluate(t, council, "clerk", "Subsidies:GetGrant", registry, grant))
		require.Equal(t, "proposed", view.Grant.Status)

		approved := decode[records.SubsidyGrant](t, mustSubmit(t, contract(t, treasury, "approver"), "Subsidies:ApproveGrant", registry, grant))
		require.Equal(t, "approved", approved.Status)
		require.Equal(t, treasury, approved.DecidedByMSP)
	})

	t.Run("approvals beyond the programme budget are refused with the figures", func(t *testing.T) {
		grant := uniqueID("G")
		propose(t, grant, 2_600_000) // 2,500,000 already approved of 5,000,000
		_, _, err := submit(t, contract(t, council, "approver"), "Subsidies:ApproveGrant", client.WithArguments(registry, grant))
		requireRefused(t, err, "FAILED_PRECONDITION")
		require.Contains(t, errorText(err), "budget")
	})

	t.Run("payments never exceed the grant", func(t *testing.T) {
		grant := uniqueID("G")
		propose(t, grant, 1_000_000)
		mustSubmit(t, contract(t, council, "approver"), "Subsidies:ApproveGrant", registry, grant)
		mustSubmit(t, contract(t, registry, "clerk"), "Subsidies:RecordPayment", registry, grant, `{"paymentId":"PAY-1","amount":600000}`)
		_, _, err := submit(t, contract(t, registry, "clerk"), "Subsidies:RecordPayment",
			client.WithArguments(registry, grant, `{"paymentId":"PAY-2","amount":400001}`))
		requireRefused(t, err, "FAILED_PRECONDITION")
	})

	t.Run("negative amounts are refused", func(t *testing.T) {
		_, _, err := submit(t, contract(t, registry, "clerk"), "Subsidies:ProposeGrant", client.WithArguments(jsonArg(t, map[string]any{
			"programmeId": programme, "grantId": uniqueID("G"), "beneficiary": "FR12345678901", "amount": -5, "purpose": "x",
		})))
		requireRefused(t, err, "INVALID_ARGUMENT")
	})
}
