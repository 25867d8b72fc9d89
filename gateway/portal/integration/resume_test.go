//go:build integration

package integration

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/civicledger/civicledger/gateway/portal/index"
)

// indexState reads the stopped portal's index: its checkpoint and counts.
func indexState(t *testing.T) (uint64, index.Counts) {
	t.Helper()
	ctx := context.Background()
	x, err := index.Open(ctx, tn.PortalIndex())
	require.NoError(t, err)
	defer x.Close()
	next, err := x.NextBlock(ctx)
	require.NoError(t, err)
	c, err := x.Count(ctx)
	require.NoError(t, err)
	return next, c
}

func TestIndexResumesAfterRestart(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	var before []string
	for range 3 {
		id := uniqueID("RES")
		register(t, id, "resume "+id, "Resume Test")
		before = append(before, id)
	}
	waitIndexed(t, before...)

	require.NoError(t, tn.StopPortal(ctx))
	stoppedAt, counts := indexState(t)
	require.Equal(t, int(stoppedAt), counts.Blocks, "every block from 0 to the checkpoint is indexed once")

	var after []string
	var last uint64
	for range 3 {
		id := uniqueID("RES")
		last = register(t, id, "resume "+id, "Resume Test")
		after = append(after, id)
	}
	require.GreaterOrEqual(t, last, stoppedAt, "the new documents are in blocks the stopped portal has not read")

	require.NoError(t, tn.StartPortal(ctx))
	waitIndexed(t, after...)
	require.NoError(t, tn.StopPortal(ctx))
	next, c := indexState(t)
	require.NoError(t, tn.StartPortal(ctx))

	t.Run("the checkpoint advanced past the blocks written while it was stopped", func(t *testing.T) {
		require.Greater(t, next, last)
	})
	t.Run("no block was missed or counted twice", func(t *testing.T) {
		require.Equal(t, int(next), c.Blocks)
		require.Equal(t, counts.Documents+3, c.Documents, "exactly the three new documents were added")
		require.Greater(t, c.Transactions, counts.Transactions)
	})
}
