//go:build integration

package integration

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"

	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
)

// subsidies is a SubsidiesService client of mspID's gateway as user.
func subsidies(t *testing.T, mspID, user string) apiv1.SubsidiesServiceClient {
	t.Helper()
	return apiv1.NewSubsidiesServiceClient(gw(t, mspID, user))
}

// subsidyProgramme creates a programme of mspID, open from yesterday for a
// year, and returns its id.
func subsidyProgramme(t *testing.T, mspID string, budget int64, deMinimis bool) string {
	t.Helper()
	now := time.Now().UTC()
	id := uniqueID("P")
	resp, err := subsidies(t, mspID, "admin").CreateProgramme(ctx(t), &apiv1.CreateProgrammeRequest{
		ProgrammeId: id, Name: "Heritage renovation", BudgetMinor: budget, Currency: "EUR",
		LegalBasis:  "Council decision 2026-14",
		PeriodStart: now.AddDate(0, 0, -1).Format(time.DateOnly), PeriodEnd: now.AddDate(1, 0, 0).Format(time.DateOnly),
		DeMinimis: proto.Bool(deMinimis),
	})
	require.NoError(t, err)
	require.NotEmpty(t, resp.Committed.TransactionId)
	return id
}

// subsidyPropose proposes a grant under a programme of mspID as its clerk.
func subsidyPropose(t *testing.T, mspID, programme, beneficiary string, amount int64) *apiv1.SubsidyGrant {
	t.Helper()
	resp, err := subsidies(t, mspID, "clerk").ProposeGrant(ctx(t), &apiv1.ProposeGrantRequest{
		ProgrammeId: programme, GrantId: uniqueID("G"), Beneficiary: beneficiary, AmountMinor: amount, Purpose: "Roof of the old mill",
	})
	require.NoError(t, err)
	require.Equal(t, apiv1.SubsidyGrantStatus_SUBSIDY_GRANT_STATUS_PROPOSED, resp.Grant.Status)
	return resp.Grant
}

// subsidyApprove approves a grant as approverMSP's approver.
func subsidyApprove(t *testing.T, approverMSP string, g *apiv1.SubsidyGrant) {
	t.Helper()
	_, err := subsidies(t, approverMSP, "approver").ApproveGrant(ctx(t),
		&apiv1.ApproveGrantRequest{GrantingMspId: g.GrantingMspId, GrantId: g.GrantId})
	require.NoError(t, err)
}

// uniqueBeneficiary is an undertaking no other test has aided.
func uniqueBeneficiary() string { return fmt.Sprintf("FR%d", time.Now().UnixNano()) }

func TestSubsidiesService(t *testing.T) {
	const budget = 5_000_000 // EUR 50,000.00
	programme := subsidyProgramme(t, registry, budget, true)
	beneficiary := uniqueBeneficiary()

	t.Run("a programme is readable by another administration's clerk with its budget", func(t *testing.T) {
		resp, err := subsidies(t, council, "clerk").GetProgramme(ctx(t), &apiv1.GetProgrammeRequest{GrantingMspId: registry, ProgrammeId: programme})
		require.NoError(t, err)
		require.Equal(t, registry, resp.Programme.GrantingMspId)
		require.Equal(t, int64(budget), resp.Programme.BudgetMinor)
		require.True(t, resp.Programme.DeMinimis)
		require.Equal(t, int64(budget), resp.RemainingMinor)
	})

	t.Run("a clerk may not create a programme", func(t *testing.T) {
		_, err := subsidies(t, registry, "clerk").CreateProgramme(ctx(t), &apiv1.CreateProgrammeRequest{
			ProgrammeId: uniqueID("P"), Name: "x", BudgetMinor: 100, Currency: "EUR", LegalBasis: "y",
			PeriodStart: "2026-01-01", PeriodEnd: "2026-12-31", DeMinimis: proto.Bool(false),
		})
		requireCode(t, err, codes.PermissionDenied)
	})

	t.Run("a programme that does not say whether it is de minimis is refused", func(t *testing.T) {
		_, err := subsidies(t, registry, "admin").CreateProgramme(ctx(t), &apiv1.CreateProgrammeRequest{
			ProgrammeId: uniqueID("P"), Name: "x", BudgetMinor: 100, Currency: "EUR", LegalBasis: "y",
			PeriodStart: "2026-01-01", PeriodEnd: "2026-12-31",
		})
		requireCode(t, err, codes.InvalidArgument)
		require.Contains(t, status.Convert(err).Message(), "de_minimis")
	})

	t.Run("a de minimis programme in another currency is refused by the ledger", func(t *testing.T) {
		_, err := subsidies(t, registry, "admin").CreateProgramme(ctx(t), &apiv1.CreateProgrammeRequest{
			ProgrammeId: uniqueID("P"), Name: "x", BudgetMinor: 100, Currency: "CHF", LegalBasis: "y",
			PeriodStart: "2026-01-01", PeriodEnd: "2026-12-31", DeMinimis: proto.Bool(true),
		})
		requireCode(t, err, codes.InvalidArgument)
	})

	t.Run("creating the same programme twice is refused", func(t *testing.T) {
		_, err := subsidies(t, registry, "approver").CreateProgramme(ctx(t), &apiv1.CreateProgrammeRequest{
			ProgrammeId: programme, Name: "again", BudgetMinor: 100, Currency: "EUR", LegalBasis: "y",
			PeriodStart: "2026-01-01", PeriodEnd: "2026-12-31", DeMinimis: proto.Bool(true),
		})
		requireCode(t, err, codes.AlreadyExists)
	})

	t.Run("an approver may not propose a grant", func(t *testing.T) {
		_, err := subsidies(t, registry, "approver").ProposeGrant(ctx(t), &apiv1.ProposeGrantRequest{
			ProgrammeId: programme, GrantId: uniqueID("G"), Beneficiary: beneficiary, AmountMinor: 100, Purpose: "x",
		})
		requireCode(t, err, codes.PermissionDenied)
	})

	t.Run("another administration cannot propose under the programme", func(t *testing.T) {
		_, err := subsidies(t, treasury, "clerk").ProposeGrant(ctx(t), &apiv1.ProposeGrantRequest{
			ProgrammeId: programme, GrantId: uniqueID("G"), Beneficiary: beneficiary, AmountMinor: 100, Purpose: "x",
		})
		requireCode(t, err, codes.NotFound)
	})

	t.Run("a negative amount is refused before reaching the ledger", func(t *testing.T) {
		_, err := subsidies(t, registry, "clerk").ProposeGrant(ctx(t), &apiv1.ProposeGrantRequest{
			ProgrammeId: programme, GrantId: uniqueID("G"), Beneficiary: beneficiary, AmountMinor: -5, Purpose: "x",
		})
		requireCode(t, err, codes.InvalidArgument)
	})

	t.Run("a grant cannot be approved by the administration that proposed it, but can by another", func(t *testing.T) {
		g := subsidyPropose(t, registry, programme, beneficiary, 2_500_000)

		_, err := subsidies(t, registry, "approver").ApproveGrant(ctx(t), &apiv1.ApproveGrantRequest{GrantingMspId: registry, GrantId: g.GrantId})
		requireCode(t, err, codes.PermissionDenied)
		require.Contains(t, status.Convert(err).Message(), "needs an approver of another administration")
		_, err = subsidies(t, treasury, "clerk").ApproveGrant(ctx(t), &apiv1.ApproveGrantRequest{GrantingMspId: registry, GrantId: g.GrantId})
		requireCode(t, err, codes.PermissionDenied)

		got, err := subsidies(t, council, "clerk").GetGrant(ctx(t), &apiv1.GetGrantRequest{GrantingMspId: registry, GrantId: g.GrantId})
		require.NoError(t, err)
		require.Equal(t, apiv1.SubsidyGrantStatus_SUBSIDY_GRANT_STATUS_PROPOSED, got.Grant.Status)

		resp, err := subsidies(t, treasury, "approver").ApproveGrant(ctx(t), &apiv1.ApproveGrantRequest{GrantingMspId: registry, GrantId: g.GrantId})
		require.NoError(t, err)
		require.Equal(t, apiv1.SubsidyGrantStatus_SUBSIDY_GRANT_STATUS_APPROVED, resp.Grant.Status)
		require.Equal(t, treasury, resp.Grant.DecidedByMspId)
		require.NotEmpty(t, resp.Committed.TransactionId)

		_, err = subsidies(t, council, "approver").ApproveGrant(ctx(t), &apiv1.ApproveGrantRequest{GrantingMspId: registry, GrantId: g.GrantId})
		requireCode(t, err, codes.FailedPrecondition)
	})

	t.Run("approvals beyond the programme budget are refused with the figures", func(t *testing.T) {
		g := subsidyPropose(t, registry, programme, uniqueBeneficiary(), 2_600_000) // EUR 25,000.00 already approved of 50,000.00
		_, err := subsidies(t, council, "approver").ApproveGrant(ctx(t), &apiv1.ApproveGrantRequest{GrantingMspId: registry, GrantId: g.GrantId})
		requireCode(t, err, codes.FailedPrecondition)
		require.Equal(t, fmt.Sprintf("programme budget exceeded: programme %s of %s has a budget of EUR 50,000.00, of which "+
			"EUR 25,000.00 is approved; this grant of EUR 26,000.00 would bring it to EUR 51,000.00", programme, registry),
			status.Convert(err).Message())
	})

	t.Run("a rejected grant keeps its reason and cannot be decided again", func(t *testing.T) {
		g := subsidyPropose(t, registry, programme, beneficiary, 100_000)
		_, err := subsidies(t, council, "approver").RejectGrant(ctx(t), &apiv1.RejectGrantRequest{GrantingMspId: registry, GrantId: g.GrantId})
		requireCode(t, err, codes.InvalidArgument)

		resp, err := subsidies(t, council, "approver").RejectGrant(ctx(t),
			&apiv1.RejectGrantRequest{GrantingMspId: registry, GrantId: g.GrantId, Reason: "The beneficiary is not an SME"})
		require.NoError(t, err)
		require.Equal(t, apiv1.SubsidyGrantStatus_SUBSIDY_GRANT_STATUS_REJECTED, resp.Grant.Status)
		require.Equal(t, "The beneficiary is not an SME", resp.Grant.RejectionReason)

		_, err = subsidies(t, treasury, "approver").ApproveGrant(ctx(t), &apiv1.ApproveGrantRequest{GrantingMspId: registry, GrantId: g.GrantId})
		requireCode(t, err, codes.FailedPrecondition)
		_, err = subsidies(t, registry, "approver").RejectGrant(ctx(t),
			&apiv1.RejectGrantRequest{GrantingMspId: registry, GrantId: g.GrantId, Reason: "mine"})
		requireCode(t, err, codes.PermissionDenied)
	})

	t.Run("payments never exceed the grant and only the granting administration records them", func(t *testing.T) {
		g := subsidyPropose(t, registry, programme, beneficiary, 1_000_000)
		pay := func(user, mspID, id string, amount int64) (*apiv1.RecordPaymentResponse, error) {
			return subsidies(t, mspID, user).RecordPayment(ctx(t), &apiv1.RecordPaymentRequest{
				GrantingMspId: registry, GrantId: g.GrantId, PaymentId: id, AmountMinor: amount,
			})
		}
		_, err := pay("clerk", registry, "PAY-0", 1)
		requireCode(t, err, codes.FailedPrecondition) // not approved yet
		subsidyApprove(t, council, g)

		resp, err := pay("clerk", registry, "PAY-1", 600_000)
		require.NoError(t, err)
		require.Equal(t, int64(600_000), resp.Payment.PaidTotalMinor)

		_, err = pay("clerk", registry, "PAY-2", 400_001)
		requireCode(t, err, codes.FailedPrecondition)
		require.Equal(t, fmt.Sprintf("payment exceeds the grant: grant %s is EUR 10,000.00, of which EUR 6,000.00 is paid; "+
			"this payment of EUR 4,000.01 would bring it to EUR 10,000.01", g.GrantId), status.Convert(err).Message())

		_, err = pay("clerk", registry, "PAY-1", 1)
		requireCode(t, err, codes.AlreadyExists)
		_, err = pay("clerk", treasury, "PAY-3", 1)
		requireCode(t, err, codes.PermissionDenied)

		_, err = pay("approver", registry, "PAY-2", 400_000)
		require.NoError(t, err)
		got, err := subsidies(t, treasury, "clerk").GetGrant(ctx(t), &apiv1.GetGrantRequest{GrantingMspId: registry, GrantId: g.GrantId})
		require.NoError(t, err)
		require.Equal(t, int64(1_000_000), got.Grant.PaidTotalMinor)
		require.Len(t, got.Payments, 2)
		require.Equal(t, "PAY-1", got.Payments[0].PaymentId)
	})

	t.Run("the grants of a programme are listed page by page", func(t *testing.T) {
		var ids []string
		var token string
		for {
			resp, err := subsidies(t, treasury, "clerk").ListGrants(ctx(t),
				&apiv1.ListGrantsRequest{GrantingMspId: registry, ProgrammeId: programme, PageSize: 2, PageToken: token})
			require.NoError(t, err)
			require.LessOrEqual(t, len(resp.Grants), 2)
			for _, g := range resp.Grants {
				ids = append(ids, g.GrantId)
			}
			if token = resp.NextPageToken; token == "" {
				break
			}
		}
		require.Len(t, ids, 4)
		require.IsIncreasing(t, ids)
	})

	t.Run("a page token of another listing is refused", func(t *testing.T) {
		first, err := subsidies(t, registry, "clerk").ListGrants(ctx(t),
			&apiv1.ListGrantsRequest{GrantingMspId: registry, ProgrammeId: programme, PageSize: 1})
		require.NoError(t, err)
		require.NotEmpty(t, first.NextPageToken)
		other := subsidyProgramme(t, registry, 100, false)
		_, err = subsidies(t, registry, "clerk").ListGrants(ctx(t),
			&apiv1.ListGrantsRequest{GrantingMspId: registry, ProgrammeId: other, PageToken: first.NextPageToken})
		requireCode(t, err, codes.InvalidArgument)
	})

	t.Run("unknown programmes and grants are not found", func(t *testing.T) {
		c := subsidies(t, council, "clerk")
		_, err := c.GetProgramme(ctx(t), &apiv1.GetProgrammeRequest{GrantingMspId: treasury, ProgrammeId: programme})
		requireCode(t, err, codes.NotFound)
		_, err = c.GetGrant(ctx(t), &apiv1.GetGrantRequest{GrantingMspId: registry, GrantId: "no-such-grant"})
		requireCode(t, err, codes.NotFound)
		_, err = c.ListGrants(ctx(t), &apiv1.ListGrantsRequest{GrantingMspId: registry, ProgrammeId: "no-such-programme"})
		requireCode(t, err, codes.NotFound)
		_, err = subsidies(t, treasury, "approver").ApproveGrant(ctx(t), &apiv1.ApproveGrantRequest{GrantingMspId: registry, GrantId: "no-such-grant"})
		requireCode(t, err, codes.NotFound)
	})

	t.Run("a retried proposal with the same idempotency key is one transaction", func(t *testing.T) {
		req := &apiv1.ProposeGrantRequest{ProgrammeId: programme, GrantId: uniqueID("G"), Beneficiary: beneficiary, AmountMinor: 100, Purpose: "x"}
		key := uniqueID("idem")
		first, err := subsidies(t, registry, "clerk").ProposeGrant(withIdempotencyKey(ctx(t), key), req)
		require.NoError(t, err)
		second, err := subsidies(t, registry, "clerk").ProposeGrant(withIdempotencyKey(ctx(t), key), req)
		require.NoError(t, err)
		require.Equal(t, first.Committed.TransactionId, second.Committed.TransactionId)

		_, err = subsidies(t, registry, "clerk").ProposeGrant(ctx(t), req)
		requireCode(t, err, codes.AlreadyExists)
	})
}

func TestSubsidiesDeMinimis(t *testing.T) {
	const ceiling = 30_000_000 // EUR 300,000.00
	registryProgramme := subsidyProgramme(t, registry, 100_000_000, true)
	treasuryProgramme := subsidyProgramme(t, treasury, 100_000_000, true)
	beneficiary := uniqueBeneficiary()
	// The same undertaking, spelt as another administration writes it.
	spelt := "fr " + beneficiary[2:6] + "." + beneficiary[6:12] + "-" + beneficiary[12:]

	first := subsidyPropose(t, registry, registryProgramme, beneficiary, 28_000_000)
	subsidyApprove(t, treasury, first)

	t.Run("aid from two administrations' programmes for the same undertaking cannot exceed the ceiling", func(t *testing.T) {
		g := subsidyPropose(t, treasury, treasuryProgramme, spelt, 2_500_000)
		require.Equal(t, beneficiary, g.Beneficiary)
		_, err := subsidies(t, council, "approver").ApproveGrant(ctx(t), &apiv1.ApproveGrantRequest{GrantingMspId: treasury, GrantId: g.GrantId})
		requireCode(t, err, codes.FailedPrecondition)
		require.Equal(t, fmt.Sprintf("de minimis ceiling exceeded: beneficiary %s received EUR 280,000.00 in the last three years; "+
			"this grant of EUR 25,000.00 would bring it to EUR 305,000.00, above EUR 300,000.00", beneficiary),
			status.Convert(err).Message())
	})

	t.Run("aid up to the ceiling exactly is approved", func(t *testing.T) {
		g := subsidyPropose(t, treasury, treasuryProgramme, spelt, 2_000_000)
		subsidyApprove(t, registry, g)
	})

	t.Run("the aid received is reported per administration", func(t *testing.T) {
		a, err := subsidies(t, council, "clerk").AidReceived(ctx(t), &apiv1.AidReceivedRequest{Beneficiary: spelt})
		require.NoError(t, err)
		require.Equal(t, beneficiary, a.Beneficiary)
		require.Equal(t, "EUR", a.Currency)
		require.Equal(t, int64(ceiling), a.TotalMinor)
		require.Equal(t, int64(ceiling), a.CeilingMinor)
		require.Zero(t, a.RemainingMinor)
		require.Len(t, a.ByAdministration, 2)
		require.Equal(t, registry, a.ByAdministration[0].GrantingMspId)
		require.Equal(t, int64(28_000_000), a.ByAdministration[0].AmountMinor)
		require.Equal(t, treasury, a.ByAdministration[1].GrantingMspId)
		require.Equal(t, int32(1), a.ByAdministration[1].Grants)
		require.Len(t, a.Awards, 2)
		require.Equal(t, first.GrantId, a.Awards[0].GrantId)
	})

	t.Run("a grant above the ceiling on its own is refused at proposal", func(t *testing.T) {
		_, err := subsidies(t, registry, "clerk").ProposeGrant(ctx(t), &apiv1.ProposeGrantRequest{
			ProgrammeId: registryProgramme, GrantId: uniqueID("G"), Beneficiary: uniqueBeneficiary(), AmountMinor: ceiling + 1, Purpose: "x",
		})
		requireCode(t, err, codes.FailedPrecondition)
		require.Contains(t, status.Convert(err).Message(), "EUR 300,000.01")
	})

	t.Run("an undertaking without aid has the whole ceiling left, and a malformed one is refused", func(t *testing.T) {
		a, err := subsidies(t, registry, "clerk").AidReceived(ctx(t), &apiv1.AidReceivedRequest{Beneficiary: uniqueBeneficiary()})
		require.NoError(t, err)
		require.Zero(t, a.TotalMinor)
		require.Equal(t, int64(ceiling), a.RemainingMinor)
		require.Empty(t, a.Awards)

		_, err = subsidies(t, registry, "clerk").AidReceived(ctx(t), &apiv1.AidReceivedRequest{Beneficiary: "12/34"})
		requireCode(t, err, codes.InvalidArgument)
	})
}
