package subsidies_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/civicledger/civicledger/chaincode/contracts/base"
	"github.com/civicledger/civicledger/chaincode/contracts/internal/contracttest"
	"github.com/civicledger/civicledger/chaincode/records"
	"github.com/civicledger/civicledger/chaincode/spec"
)

func TestSubsidiesQueries(t *testing.T) {
	t.Run("GetProgramme and GetGrant refuse unknown entries and malformed references", func(t *testing.T) {
		w := newSubsidyWorld(t)
		ctx := w.as(subsidyCouncil, "")
		_, err := w.sc.GetProgramme(ctx, subsidyRegistry, "P404")
		contracttest.RequireCode(t, base.CodeNotFound, err)
		_, err = w.sc.GetGrant(ctx, subsidyRegistry, "G404")
		contracttest.RequireCode(t, base.CodeNotFound, err)
		for _, ref := range [][2]string{{"", "P1"}, {"a b", "P1"}, {subsidyRegistry, ""}, {subsidyRegistry, "-P1"}} {
			_, err := w.sc.GetProgramme(ctx, ref[0], ref[1])
			contracttest.RequireCode(t, base.CodeInvalidArgument, err)
			_, err = w.sc.GetGrant(ctx, ref[0], ref[1])
			contracttest.RequireCode(t, base.CodeInvalidArgument, err)
		}
	})

	t.Run("ListGrants pages through the grants of one programme in id order", func(t *testing.T) {
		w := newSubsidyWorld(t)
		w.programme(subsidyRegistry, "P1", 100_000_000, false)
		w.programme(subsidyRegistry, "P10", 100_000_000, false)
		for i := 5; i >= 1; i-- {
			w.propose(subsidyRegistry, "P1", fmt.Sprintf("G%d", i), "FR123", 100)
		}
		w.propose(subsidyRegistry, "P10", "G9", "FR123", 100)
		ctx := w.as(subsidyTreasury, spec.RoleClerk)

		var ids []string
		bookmark := ""
		for pages := 0; ; pages++ {
			require.Less(t, pages, 3)
			page, err := w.sc.ListGrants(ctx, subsidyRegistry, "P1", "2", bookmark)
			require.NoError(t, err)
			require.LessOrEqual(t, len(page.Grants), 2)
			for _, g := range page.Grants {
				ids = append(ids, g.GrantID)
			}
			if page.Bookmark == "" {
				break
			}
			bookmark = page.Bookmark
		}
		require.Equal(t, []string{"G1", "G2", "G3", "G4", "G5"}, ids)

		page, err := w.sc.ListGrants(ctx, subsidyRegistry, "P10", "", "")
		require.NoError(t, err)
		require.Len(t, page.Grants, 1)
		require.Empty(t, page.Bookmark)
	})

	t.Run("ListGrants refuses bad page sizes, foreign bookmarks and unknown programmes", func(t *testing.T) {
		w := newSubsidyWorld(t)
		w.programme(subsidyRegistry, "P1", 100_000_000, false)
		w.programme(subsidyRegistry, "P2", 100_000_000, false)
		w.propose(subsidyRegistry, "P2", "G1", "FR123", 100)
		w.propose(subsidyRegistry, "P2", "G2", "FR123", 100)
		ctx := w.as(subsidyTreasury, "")
		p2, err := w.sc.ListGrants(ctx, subsidyRegistry, "P2", "1", "")
		require.NoError(t, err)
		require.NotEmpty(t, p2.Bookmark)

		for name, args := range map[string][4]string{
			"a page size with a sign":       {subsidyRegistry, "P1", "+5", ""},
			"a page size above 100":         {subsidyRegistry, "P1", "101", ""},
			"a page size that is no number": {subsidyRegistry, "P1", "ten", ""},
			"a bookmark of another range":   {subsidyRegistry, "P1", "10", p2.Bookmark},
			"a bookmark that is no key":     {subsidyRegistry, "P1", "10", "zzz"},
			"a malformed msp":               {"bad msp", "P1", "10", ""},
		} {
			_, err := w.sc.ListGrants(ctx, args[0], args[1], args[2], args[3])
			contracttest.RequireCode(t, base.CodeInvalidArgument, err)
			require.NotEmpty(t, name)
		}
		_, err = w.sc.ListGrants(ctx, subsidyRegistry, "P404", "10", "")
		contracttest.RequireCode(t, base.CodeNotFound, err)
	})

	t.Run("AidReceived breaks down the aid of the last three years by administration", func(t *testing.T) {
		w := deMinimisWorld(t)
		w.at(time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC)).award(subsidyCouncil, "DM", "OLD", "FR123", 5_000_000)
		w.at(time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC)).award(subsidyRegistry, "DM", "R1", "FR123", 10_000_000)
		w.at(time.Date(2023, 6, 1, 0, 0, 0, 0, time.UTC)).award(subsidyTreasury, "DM", "T1", "FR123", 2_000_000)
		w.at(time.Date(2023, 7, 1, 0, 0, 0, 0, time.UTC)).award(subsidyRegistry, "DM", "R2", "FR123", 3_000_000)
		w.award(subsidyRegistry, "OTHER", "R3", "FR123", 50_000_000)

		now := time.Date(2024, 2, 29, 12, 0, 0, 0, time.UTC)
		aid, err := w.at(now).sc.AidReceived(w.as(subsidyCouncil, ""), "fr-123")
		require.NoError(t, err)
		require.Equal(t, "FR123", aid.Beneficiary)
		require.Equal(t, "EUR", aid.Currency)
		require.Equal(t, "2021-03-01T12:00:00Z", aid.From, "29 February minus three years is 1 March")
		require.Equal(t, "2024-02-29T12:00:00Z", aid.To)
		require.Equal(t, int64(15_000_000), aid.Total)
		require.Equal(t, int64(30_000_000), aid.Ceiling)
		require.Equal(t, int64(15_000_000), aid.Remaining)
		require.Equal(t, []*records.SubsidyAidShare{
			{GrantingMSP: subsidyRegistry, Amount: 13_000_000, Grants: 2},
			{GrantingMSP: subsidyTreasury, Amount: 2_000_000, Grants: 1},
		}, aid.ByAdministration)
		var grants []string
		for _, a := range aid.Awards {
			grants = append(grants, a.GrantID)
		}
		require.Equal(t, []string{"R1", "T1", "R2"}, grants, "awards in approval order")
	})

	t.Run("AidReceived of an undertaking without aid is zero with the whole ceiling left", func(t *testing.T) {
		w := newSubsidyWorld(t)
		aid, err := w.sc.AidReceived(w.as(subsidyCouncil, ""), "DE999999999")
		require.NoError(t, err)
		require.Zero(t, aid.Total)
		require.Equal(t, spec.DeMinimisCeiling, aid.Remaining)
		require.Empty(t, aid.ByAdministration)
		require.NotNil(t, aid.ByAdministration)
		require.NotNil(t, aid.Awards)
	})

	t.Run("AidReceived refuses a malformed beneficiary", func(t *testing.T) {
		w := newSubsidyWorld(t)
		for _, b := range []string{"", "1234", "FR", "FR_1", "FR\x0012"} {
			_, err := w.sc.AidReceived(w.as(subsidyCouncil, ""), b)
			contracttest.RequireCode(t, base.CodeInvalidArgument, err)
		}
	})
}
