package subsidies_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/civicledger/civicledger/chaincode/contracts/base"
	"github.com/civicledger/civicledger/chaincode/contracts/internal/contracttest"
	"github.com/civicledger/civicledger/chaincode/spec"
)

// deMinimisWorld has one de minimis programme "DM" (EUR 10 million, 2020–2035)
// in each of the three administrations, and a non-de minimis one "OTHER" in
// the registry.
func deMinimisWorld(t *testing.T) *subsidyWorld {
	t.Helper()
	w := newSubsidyWorld(t)
	for _, msp := range []string{subsidyRegistry, subsidyTreasury, subsidyCouncil} {
		_, err := w.sc.CreateProgramme(w.as(msp, spec.RoleAdmin), subsidyProgrammeInput(t, map[string]any{
			"id": "DM", "budget": 1_000_000_000, "periodStart": "2020-01-01", "periodEnd": "2035-12-31",
		}))
		require.NoError(t, err)
	}
	_, err := w.sc.CreateProgramme(w.as(subsidyRegistry, spec.RoleAdmin), subsidyProgrammeInput(t, map[string]any{
		"id": "OTHER", "budget": 1_000_000_000, "deMinimis": false, "periodStart": "2020-01-01", "periodEnd": "2035-12-31",
	}))
	require.NoError(t, err)
	return w
}

func TestSubsidiesDeMinimisCeiling(t *testing.T) {
	t.Run("aid from several administrations may reach the ceiling exactly but not one cent beyond", func(t *testing.T) {
		w := deMinimisWorld(t)
		w.award(subsidyRegistry, "DM", "R1", "FR123", 10_000_000)
		w.award(subsidyTreasury, "DM", "T1", "fr-123", 15_000_000)
		w.propose(subsidyCouncil, "DM", "C1", "FR 123", 5_000_000)
		w.propose(subsidyCouncil, "DM", "C2", "FR.123", 1)

		_, err := w.approve(subsidyRegistry, subsidyCouncil, "C1")
		require.NoError(t, err)
		before := w.snapshot()
		_, err = w.approve(subsidyRegistry, subsidyCouncil, "C2")
		contracttest.RequireCode(t, base.CodeFailedPrecondition, err)
		require.EqualError(t, err, "FAILED_PRECONDITION: de minimis ceiling exceeded: beneficiary FR123 received EUR 300,000.00 "+
			"in the last three years; this grant of EUR 0.01 would bring it to EUR 300,000.01, above EUR 300,000.00")
		w.requireUnchanged(before)
	})

	t.Run("the refusal states what was received, the grant and the total it would reach", func(t *testing.T) {
		w := deMinimisWorld(t)
		w.award(subsidyRegistry, "DM", "R1", "FR123", 20_000_000)
		w.award(subsidyTreasury, "DM", "T1", "FR123", 8_000_000)
		w.propose(subsidyCouncil, "DM", "C1", "FR123", 2_500_000)
		_, err := w.approve(subsidyTreasury, subsidyCouncil, "C1")
		require.EqualError(t, err, "FAILED_PRECONDITION: de minimis ceiling exceeded: beneficiary FR123 received EUR 280,000.00 "+
			"in the last three years; this grant of EUR 25,000.00 would bring it to EUR 305,000.00, above EUR 300,000.00")
	})

	t.Run("other undertakings and grants outside de minimis programmes do not count", func(t *testing.T) {
		w := deMinimisWorld(t)
		w.award(subsidyRegistry, "DM", "R1", "FR123", 30_000_000)
		w.award(subsidyRegistry, "OTHER", "R2", "FR123", 50_000_000)
		w.award(subsidyTreasury, "DM", "T1", "FR1234", 30_000_000)

		aid, err := w.sc.AidReceived(w.as(subsidyCouncil, spec.RoleClerk), "FR123")
		require.NoError(t, err)
		require.Equal(t, int64(30_000_000), aid.Total)
		require.Len(t, aid.Awards, 1)
	})

	t.Run("aid approved three years or more before the approval no longer counts", func(t *testing.T) {
		first := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
		for _, tc := range []struct {
			name string
			at   time.Time
			ok   bool
		}{
			{"one nanosecond before three years have passed", first.AddDate(3, 0, 0).Add(-time.Nanosecond), false},
			{"exactly three years later", first.AddDate(3, 0, 0), true},
			{"five years later", first.AddDate(5, 0, 0), true},
		} {
			t.Run(tc.name, func(t *testing.T) {
				w := deMinimisWorld(t)
				w.at(first).award(subsidyRegistry, "DM", "R1", "FR123", 28_000_000)
				w.at(first.AddDate(1, 0, 0)).propose(subsidyTreasury, "DM", "T1", "FR123", 2_000_001)
				_, err := w.at(tc.at).approve(subsidyCouncil, subsidyTreasury, "T1")
				if tc.ok {
					require.NoError(t, err)
					return
				}
				contracttest.RequireCode(t, base.CodeFailedPrecondition, err)
				require.ErrorContains(t, err, "received EUR 280,000.00 in the last three years")
			})
		}
	})

	t.Run("the window counts the instant of each approval, not the proposal", func(t *testing.T) {
		w := deMinimisWorld(t)
		proposed := time.Date(2021, 6, 1, 0, 0, 0, 0, time.UTC)
		approved := time.Date(2022, 6, 1, 0, 0, 0, 0, time.UTC)
		w.at(proposed).propose(subsidyRegistry, "DM", "R1", "FR123", 30_000_000)
		_, err := w.at(approved).approve(subsidyTreasury, subsidyRegistry, "R1")
		require.NoError(t, err)

		w.at(approved.AddDate(3, 0, 0).Add(-time.Second)).propose(subsidyCouncil, "DM", "C1", "FR123", 1)
		_, err = w.approve(subsidyTreasury, subsidyCouncil, "C1")
		contracttest.RequireCode(t, base.CodeFailedPrecondition, err)
		_, err = w.at(approved.AddDate(3, 0, 0)).approve(subsidyTreasury, subsidyCouncil, "C1")
		require.NoError(t, err)
	})

	t.Run("aid dated after the transaction time still counts, so a back-dated approval cannot leave it out", func(t *testing.T) {
		w := deMinimisWorld(t)
		w.at(time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)).propose(subsidyTreasury, "DM", "T1", "FR123", 1)
		w.at(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)).award(subsidyRegistry, "DM", "R1", "FR123", 30_000_000)
		_, err := w.at(time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)).approve(subsidyCouncil, subsidyTreasury, "T1")
		contracttest.RequireCode(t, base.CodeFailedPrecondition, err)
		require.ErrorContains(t, err, "received EUR 300,000.00")
	})

	t.Run("a rejected grant does not count towards the ceiling", func(t *testing.T) {
		w := deMinimisWorld(t)
		w.propose(subsidyRegistry, "DM", "R1", "FR123", 30_000_000)
		_, err := w.sc.RejectGrant(w.as(subsidyTreasury, spec.RoleApprover), subsidyRegistry, "R1", "duplicate request")
		require.NoError(t, err)
		w.award(subsidyCouncil, "DM", "C1", "FR123", 30_000_000)
	})
}
