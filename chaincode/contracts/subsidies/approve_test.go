package subsidies_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/civicledger/civicledger/chaincode/contracts/base"
	"github.com/civicledger/civicledger/chaincode/contracts/internal/contracttest"
	"github.com/civicledger/civicledger/chaincode/records"
	"github.com/civicledger/civicledger/chaincode/spec"
)

func TestSubsidiesApproveGrant(t *testing.T) {
	t.Run("an approver of another administration approves a proposed grant", func(t *testing.T) {
		w := newSubsidyWorld(t)
		w.programme(subsidyRegistry, "P1", 100_000_000, true)
		proposed := w.propose(subsidyRegistry, "P1", "G1", "FR12345678901", 2_500_000)
		approvedAt := time.Date(2024, 3, 4, 5, 6, 7, 8, time.UTC)
		g, err := w.at(approvedAt).approve(subsidyTreasury, subsidyRegistry, "G1")
		require.NoError(t, err)

		want := *proposed
		want.Status = spec.GrantApproved
		want.DecidedAt = "2024-03-04T05:06:07.000000008Z"
		want.DecidedBy = subsidyWho(t, subsidyTreasury, spec.RoleApprover).ID
		want.DecidedByMSP = subsidyTreasury
		require.Equal(t, &want, g)
		require.Equal(t, &want, w.grant(subsidyRegistry, "G1").Grant)

		var fromEvent records.SubsidyGrant
		w.lastEvent(spec.EventSubsidyGrantApproved, &fromEvent)
		require.Equal(t, want, fromEvent)

		view, err := w.sc.GetProgramme(w.as(subsidyCouncil, ""), subsidyRegistry, "P1")
		require.NoError(t, err)
		require.Equal(t, int64(2_500_000), view.ApprovedTotal)
		require.Equal(t, 1, view.ApprovedGrants)
		require.Equal(t, int64(97_500_000), view.Remaining)

		aid, err := w.sc.AidReceived(w.as(subsidyCouncil, ""), "FR12345678901")
		require.NoError(t, err)
		require.Equal(t, []*records.SubsidyAidRecord{{
			Beneficiary: "FR12345678901", GrantingMSP: subsidyRegistry, ProgrammeID: "P1", GrantID: "G1",
			Amount: 2_500_000, ApprovedAt: "2024-03-04T05:06:07.000000008Z",
		}}, aid.Awards)
	})

	t.Run("the administration that proposed a grant cannot approve it, even with an approver", func(t *testing.T) {
		w := newSubsidyWorld(t)
		w.programme(subsidyRegistry, "P1", 100_000_000, true)
		w.propose(subsidyRegistry, "P1", "G1", "FR12345678901", 100)
		before := w.snapshot()
		_, err := w.approve(subsidyRegistry, subsidyRegistry, "G1")
		contracttest.RequireCode(t, base.CodePermissionDenied, err)
		require.ErrorContains(t, err, "an approver of RegistryMSP cannot approve a grant proposed by RegistryMSP: it needs an approver of another administration")
		w.requireUnchanged(before)
		require.Equal(t, spec.GrantProposed, w.grant(subsidyRegistry, "G1").Grant.Status)

		_, err = w.approve(subsidyCouncil, subsidyRegistry, "G1")
		require.NoError(t, err)
	})

	t.Run("only approvers may approve", func(t *testing.T) {
		for _, role := range []string{spec.RoleClerk, spec.RoleAdmin, ""} {
			w := newSubsidyWorld(t)
			w.programme(subsidyRegistry, "P1", 100_000_000, true)
			w.propose(subsidyRegistry, "P1", "G1", "FR12345678901", 100)
			before := w.snapshot()
			_, err := w.sc.ApproveGrant(w.as(subsidyTreasury, role), subsidyRegistry, "G1")
			contracttest.RequireCode(t, base.CodePermissionDenied, err)
			w.requireUnchanged(before)
		}
	})

	t.Run("a grant is decided once", func(t *testing.T) {
		w := newSubsidyWorld(t)
		w.programme(subsidyRegistry, "P1", 100_000_000, true)
		w.award(subsidyRegistry, "P1", "G1", "FR12345678901", 100)
		w.propose(subsidyRegistry, "P1", "G2", "FR12345678901", 100)
		_, err := w.sc.RejectGrant(w.as(subsidyCouncil, spec.RoleApprover), subsidyRegistry, "G2", "incomplete file")
		require.NoError(t, err)
		before := w.snapshot()
		for grant, status := range map[string]string{"G1": "approved", "G2": "rejected"} {
			_, err := w.approve(subsidyCouncil, subsidyRegistry, grant)
			contracttest.RequireCode(t, base.CodeFailedPrecondition, err)
			require.ErrorContains(t, err, "grant "+grant+" of RegistryMSP is "+status+" already")
			_, err = w.sc.RejectGrant(w.as(subsidyCouncil, spec.RoleApprover), subsidyRegistry, grant, "late")
			contracttest.RequireCode(t, base.CodeFailedPrecondition, err)
		}
		w.requireUnchanged(before)
	})

	t.Run("unknown grants are not found and malformed references are invalid", func(t *testing.T) {
		w := newSubsidyWorld(t)
		_, err := w.approve(subsidyTreasury, subsidyRegistry, "G404")
		contracttest.RequireCode(t, base.CodeNotFound, err)
		for _, ref := range [][2]string{{"", "G1"}, {"Registry MSP", "G1"}, {subsidyRegistry, ""}, {subsidyRegistry, "G\x001"}} {
			_, err := w.sc.ApproveGrant(w.as(subsidyTreasury, spec.RoleApprover), ref[0], ref[1])
			contracttest.RequireCode(t, base.CodeInvalidArgument, err)
		}
	})

	t.Run("an approval cannot be dated before the proposal", func(t *testing.T) {
		w := newSubsidyWorld(t)
		w.programme(subsidyRegistry, "P1", 100_000_000, true)
		w.at(subsidyDay(2024, 5, 1)).propose(subsidyRegistry, "P1", "G1", "FR12345678901", 100)
		before := w.snapshot()
		_, err := w.at(subsidyDay(2024, 5, 1).Add(-time.Nanosecond)).approve(subsidyTreasury, subsidyRegistry, "G1")
		contracttest.RequireCode(t, base.CodeFailedPrecondition, err)
		require.ErrorContains(t, err, "is before the proposal of grant G1")
		w.requireUnchanged(before)
	})
}

func TestSubsidiesBudget(t *testing.T) {
	t.Run("approved grants may reach the budget exactly but not one cent beyond", func(t *testing.T) {
		w := newSubsidyWorld(t)
		w.programme(subsidyRegistry, "P1", 100_000_000, false)
		w.award(subsidyRegistry, "P1", "G1", "FR11111111", 60_000_000)
		w.propose(subsidyRegistry, "P1", "G2", "FR22222222", 40_000_000)
		w.propose(subsidyRegistry, "P1", "G3", "FR33333333", 1)

		_, err := w.approve(subsidyTreasury, subsidyRegistry, "G2")
		require.NoError(t, err)
		before := w.snapshot()
		_, err = w.approve(subsidyTreasury, subsidyRegistry, "G3")
		contracttest.RequireCode(t, base.CodeFailedPrecondition, err)
		require.EqualError(t, err, "FAILED_PRECONDITION: programme budget exceeded: programme P1 of RegistryMSP has a budget of "+
			"EUR 1,000,000.00, of which EUR 1,000,000.00 is approved; this grant of EUR 0.01 would bring it to EUR 1,000,000.01")
		w.requireUnchanged(before)
		require.Equal(t, spec.GrantProposed, w.grant(subsidyRegistry, "G3").Grant.Status)
	})

	t.Run("proposed and rejected grants do not use the budget", func(t *testing.T) {
		w := newSubsidyWorld(t)
		w.programme(subsidyRegistry, "P1", 1_000, false)
		w.propose(subsidyRegistry, "P1", "G1", "FR11111111", 1_000)
		w.propose(subsidyRegistry, "P1", "G2", "FR22222222", 1_000)
		_, err := w.sc.RejectGrant(w.as(subsidyCouncil, spec.RoleApprover), subsidyRegistry, "G1", "not eligible")
		require.NoError(t, err)
		_, err = w.approve(subsidyCouncil, subsidyRegistry, "G2")
		require.NoError(t, err)
	})

	t.Run("the budgets of different programmes are independent", func(t *testing.T) {
		w := newSubsidyWorld(t)
		w.programme(subsidyRegistry, "P1", 1_000, false)
		w.programme(subsidyRegistry, "P2", 1_000, false)
		w.programme(subsidyTreasury, "P1", 1_000, false)
		w.award(subsidyRegistry, "P1", "G1", "FR11111111", 1_000)
		w.award(subsidyTreasury, "P1", "G1", "FR11111111", 1_000)
		w.award(subsidyRegistry, "P2", "G2", "FR11111111", 1_000)
	})
}
