package index_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/civicledger/civicledger/gateway/portal/index"
)

func TestStats(t *testing.T) {
	ctx := context.Background()

	t.Run("an empty index has no series", func(t *testing.T) {
		x := open(t, filepath.Join(t.TempDir(), "index.db"))
		defer x.Close()
		days, err := x.TransactionsPerDay(ctx, "2026-11-01")
		require.NoError(t, err)
		require.Empty(t, days)
		types, err := x.DocumentsPerType(ctx)
		require.NoError(t, err)
		require.Empty(t, types)
	})

	t.Run("transactions are counted per day and administration, documents per type and status", func(t *testing.T) {
		x := open(t, filepath.Join(t.TempDir(), "index.db"))
		defer x.Close()
		other := register("d3", "valid", "")
		other.msp = "TreasuryMSP"
		require.NoError(t, apply(t, x, 0, register("d1", "valid", ""), register("d2", "revoked", ""), other))
		days, err := x.TransactionsPerDay(ctx, "2026-11-01")
		require.NoError(t, err)
		require.Equal(t, []index.DayCount{{Day: "2026-12-01", MSPID: "RegistryMSP", Count: 2}, {Day: "2026-12-01", MSPID: "TreasuryMSP", Count: 1}}, days)
		days, err = x.TransactionsPerDay(ctx, "2026-12-02")
		require.NoError(t, err)
		require.Empty(t, days, "days before since are left out")
		types, err := x.DocumentsPerType(ctx)
		require.NoError(t, err)
		var total int
		for _, c := range types {
			total += c.Count
		}
		require.Equal(t, 3, total)
		require.Contains(t, types, index.TypeCount{Type: types[0].Type, Status: "revoked", Count: 1})
	})
}
