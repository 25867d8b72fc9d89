package subsidies_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/civicledger/civicledger/chaincode/contracts/base"
	"github.com/civicledger/civicledger/chaincode/contracts/internal/contracttest"
	"github.com/civicledger/civicledger/chaincode/records"
	"github.com/civicledger/civicledger/chaincode/spec"
)

// paymentWorld has grant G1 of EUR 10,000.00 approved, G2 proposed and G3
// rejected, all of the registry.
func paymentWorld(t *testing.T) *subsidyWorld {
	t.Helper()
	w := newSubsidyWorld(t)
	w.programme(subsidyRegistry, "P1", 100_000_000, true)
	w.award(subsidyRegistry, "P1", "G1", "FR123", 1_000_000)
	w.propose(subsidyRegistry, "P1", "G2", "FR123", 1_000_000)
	w.propose(subsidyRegistry, "P1", "G3", "FR123", 1_000_000)
	_, err := w.sc.RejectGrant(w.as(subsidyTreasury, spec.RoleApprover), subsidyRegistry, "G3", "not eligible")
	require.NoError(t, err)
	return w
}

// pay records a payment of amount on grantID of the registry, as role.
func (w *subsidyWorld) pay(role, grantID, paymentID string, amount int64) (*records.SubsidyPayment, error) {
	return w.sc.RecordPayment(w.as(subsidyRegistry, role), subsidyRegistry, grantID,
		contracttest.JSONWith(w.t, map[string]any{"paymentId": paymentID, "amount": amount}, nil))
}

func TestSubsidiesRecordPayment(t *testing.T) {
	t.Run("payments of the granting administration add up to exactly the grant, not one cent more", func(t *testing.T) {
		w := paymentWorld(t)
		first, err := w.pay(spec.RoleClerk, "G1", "PAY-1", 400_000)
		require.NoError(t, err)
		require.Equal(t, &records.SubsidyPayment{
			GrantingMSP: subsidyRegistry, GrantID: "G1", PaymentID: "PAY-1", Amount: 400_000, PaidTotal: 400_000,
			RecordedAt: "2024-01-02T03:04:05Z", RecordedBy: subsidyWho(t, subsidyRegistry, spec.RoleClerk).ID,
		}, first)
		var fromEvent records.SubsidyPayment
		w.lastEvent(spec.EventSubsidyPaymentRecorded, &fromEvent)
		require.Equal(t, *first, fromEvent)

		second, err := w.pay(spec.RoleApprover, "G1", "PAY-2", 600_000)
		require.NoError(t, err)
		require.Equal(t, int64(1_000_000), second.PaidTotal)

		before := w.snapshot()
		_, err = w.pay(spec.RoleAdmin, "G1", "PAY-3", 1)
		contracttest.RequireCode(t, base.CodeFailedPrecondition, err)
		require.EqualError(t, err, "FAILED_PRECONDITION: payment exceeds the grant: grant G1 is EUR 10,000.00, of which "+
			"EUR 10,000.00 is paid; this payment of EUR 0.01 would bring it to EUR 10,000.01")
		w.requireUnchanged(before)

		view := w.grant(subsidyRegistry, "G1")
		require.Equal(t, int64(1_000_000), view.Grant.PaidTotal)
		require.Equal(t, []*records.SubsidyPayment{first, second}, view.Payments)
	})

	t.Run("a single payment above the grant is refused", func(t *testing.T) {
		w := paymentWorld(t)
		_, err := w.pay(spec.RoleClerk, "G1", "PAY-1", 1_000_001)
		contracttest.RequireCode(t, base.CodeFailedPrecondition, err)
	})

	t.Run("only approved grants can be paid", func(t *testing.T) {
		w := paymentWorld(t)
		before := w.snapshot()
		for grant, status := range map[string]string{"G2": "proposed", "G3": "rejected"} {
			_, err := w.pay(spec.RoleClerk, grant, "PAY-1", 1)
			contracttest.RequireCode(t, base.CodeFailedPrecondition, err)
			require.ErrorContains(t, err, "grant "+grant+" of RegistryMSP is "+status+": payments need an approved grant")
		}
		_, err := w.pay(spec.RoleClerk, "G404", "PAY-1", 1)
		contracttest.RequireCode(t, base.CodeNotFound, err)
		w.requireUnchanged(before)
	})

	t.Run("a payment id is recorded once per grant", func(t *testing.T) {
		w := paymentWorld(t)
		_, err := w.pay(spec.RoleClerk, "G1", "PAY-1", 1)
		require.NoError(t, err)
		before := w.snapshot()
		_, err = w.pay(spec.RoleClerk, "G1", "PAY-1", 1)
		contracttest.RequireCode(t, base.CodeAlreadyExists, err)
		w.requireUnchanged(before)
	})

	t.Run("another administration cannot record payments, whatever its role", func(t *testing.T) {
		w := paymentWorld(t)
		before := w.snapshot()
		for _, role := range []string{spec.RoleClerk, spec.RoleApprover, spec.RoleAdmin} {
			_, err := w.sc.RecordPayment(w.as(subsidyTreasury, role), subsidyRegistry, "G1", `{"paymentId":"X","amount":1}`)
			contracttest.RequireCode(t, base.CodePermissionDenied, err)
			require.ErrorContains(t, err, "only RegistryMSP, the granting administration, may record payments of its grants, not TreasuryMSP")
		}
		_, err := w.pay("", "G1", "PAY-1", 1)
		contracttest.RequireCode(t, base.CodePermissionDenied, err)
		w.requireUnchanged(before)
	})

	t.Run("malformed payments are refused as invalid arguments", func(t *testing.T) {
		for name, input := range map[string]string{
			"an empty input":           "",
			"broken json":              `{"paymentId":"P1","amount":}`,
			"an unknown field":         `{"paymentId":"P1","amount":1,"currency":"EUR"}`,
			"a negative amount":        `{"paymentId":"P1","amount":-1}`,
			"a zero amount":            `{"paymentId":"P1","amount":0}`,
			"a missing amount":         `{"paymentId":"P1"}`,
			"a huge amount":            `{"paymentId":"P1","amount":1000000000000001}`,
			"an amount beyond int64":   `{"paymentId":"P1","amount":99999999999999999999}`,
			"an amount with decimals":  `{"paymentId":"P1","amount":1.5}`,
			"an amount as a string":    `{"paymentId":"P1","amount":"1"}`,
			"a missing payment id":     `{"amount":1}`,
			"a payment id as a number": `{"paymentId":7,"amount":1}`,
			"a payment id too long":    `{"paymentId":"` + strings.Repeat("p", 65) + `","amount":1}`,
			"two objects":              `{"paymentId":"P1","amount":1}{"paymentId":"P2","amount":1}`,
		} {
			t.Run(name, func(t *testing.T) {
				w := paymentWorld(t)
				before := w.snapshot()
				_, err := w.sc.RecordPayment(w.as(subsidyRegistry, spec.RoleClerk), subsidyRegistry, "G1", input)
				contracttest.RequireCode(t, base.CodeInvalidArgument, err)
				w.requireUnchanged(before)
			})
		}
		w := paymentWorld(t)
		_, err := w.sc.RecordPayment(w.as(subsidyRegistry, spec.RoleClerk), "bad msp", "G1", `{"paymentId":"P1","amount":1}`)
		contracttest.RequireCode(t, base.CodeInvalidArgument, err)
		_, err = w.sc.RecordPayment(w.as(subsidyRegistry, spec.RoleClerk), subsidyRegistry, "", `{"paymentId":"P1","amount":1}`)
		contracttest.RequireCode(t, base.CodeInvalidArgument, err)
	})
}

func TestSubsidiesRejectGrant(t *testing.T) {
	t.Run("a rejected grant carries its reason, who rejected it and when", func(t *testing.T) {
		w := newSubsidyWorld(t)
		w.programme(subsidyRegistry, "P1", 100_000_000, true)
		w.propose(subsidyRegistry, "P1", "G1", "FR123", 100)
		g, err := w.sc.RejectGrant(w.as(subsidyCouncil, spec.RoleApprover), subsidyRegistry, "G1", "  Beneficiary is not an SME  ")
		require.NoError(t, err)
		require.Equal(t, spec.GrantRejected, g.Status)
		require.Equal(t, "Beneficiary is not an SME", g.RejectionReason)
		require.Equal(t, subsidyCouncil, g.DecidedByMSP)
		require.Equal(t, subsidyWho(t, subsidyCouncil, spec.RoleApprover).ID, g.DecidedBy)
		require.Equal(t, "2024-01-02T03:04:05Z", g.DecidedAt)
		require.Equal(t, g, w.grant(subsidyRegistry, "G1").Grant)

		var fromEvent records.SubsidyGrant
		w.lastEvent(spec.EventSubsidyGrantRejected, &fromEvent)
		require.Equal(t, *g, fromEvent)
	})

	t.Run("a rejection needs a reason and an approver of another administration", func(t *testing.T) {
		for name, tc := range map[string]struct {
			msp, role, reason string
			code              base.Code
		}{
			"no reason":                         {subsidyCouncil, spec.RoleApprover, "", base.CodeInvalidArgument},
			"a blank reason":                    {subsidyCouncil, spec.RoleApprover, " \t", base.CodeInvalidArgument},
			"a reason over 1000 characters":     {subsidyCouncil, spec.RoleApprover, strings.Repeat("r", 1001), base.CodeInvalidArgument},
			"a reason with a control character": {subsidyCouncil, spec.RoleApprover, "no\x00", base.CodeInvalidArgument},
			"the proposing administration":      {subsidyRegistry, spec.RoleApprover, "mine", base.CodePermissionDenied},
			"a clerk":                           {subsidyCouncil, spec.RoleClerk, "no", base.CodePermissionDenied},
			"an admin":                          {subsidyCouncil, spec.RoleAdmin, "no", base.CodePermissionDenied},
		} {
			t.Run(name, func(t *testing.T) {
				w := newSubsidyWorld(t)
				w.programme(subsidyRegistry, "P1", 100_000_000, true)
				w.propose(subsidyRegistry, "P1", "G1", "FR123", 100)
				before := w.snapshot()
				_, err := w.sc.RejectGrant(w.as(tc.msp, tc.role), subsidyRegistry, "G1", tc.reason)
				contracttest.RequireCode(t, tc.code, err)
				w.requireUnchanged(before)
			})
		}
	})
}
