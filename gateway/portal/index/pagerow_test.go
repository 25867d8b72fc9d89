package index_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/civicledger/civicledger/chaincode/records"
	"github.com/civicledger/civicledger/chaincode/spec"
	"github.com/civicledger/civicledger/gateway/portal/index"
)

// A register row (read from documents.page_row, its status derived in Go)
// is the document as Document reads it from its own columns (its status
// derived by SQLite), at any time and after the document changed.
func TestRegisterRowsAreTheDocumentsColumns(t *testing.T) {
	ctx := context.Background()
	x := open(t, filepath.Join(t.TempDir(), "index.db"))
	defer x.Close()
	write := func(id string, change func(d *records.Document)) fakeTx {
		tx := register(id, spec.DocumentValid, "")
		d := doc(id, spec.DocumentValid, "")
		change(&d)
		tx.writes = map[string]any{key("document", "RegistryMSP", id): d}
		return tx
	}
	require.NoError(t, apply(t, x, 0,
		write("plain", func(*records.Document) {}),
		write("ends", func(d *records.Document) { d.ValidUntil = "2026-06-01T00:00:00Z" }),
		write("begins", func(d *records.Document) { d.ValidFrom = "2027-01-01T00:00:00.5+01:00" }),
		write("é 12:3 中文 <&>", func(d *records.Document) { d.Type = "debt-extract" }),
		write("to-revoke", func(*records.Document) {})))
	revoke := write("to-revoke", func(d *records.Document) {
		d.Status, d.RevokedReason, d.StatusChangedAt = spec.DocumentRevoked, "7:issued in error, 2:x", "2026-11-02T09:00:00Z"
	})
	revoke.id = "tx-revoke"
	require.NoError(t, apply(t, x, 1, revoke))

	for _, at := range []string{"2025-01-01T00:00:00Z", "2026-03-01T00:00:00Z", "2026-06-01T00:00:00Z", "2027-01-01T00:00:00Z"} {
		now, err := time.Parse(time.RFC3339, at)
		require.NoError(t, err)
		rows, _, total, err := x.Documents(ctx, index.DocumentFilter{Now: now, Page: index.Page{Limit: 10}})
		require.NoError(t, err)
		require.Equal(t, 5, total)
		require.Len(t, rows, 5)
		for _, row := range rows {
			d, found, err := x.Document(ctx, row.Issuer, row.ID, now)
			require.NoError(t, err)
			require.True(t, found)
			d.KeyFacts, d.StatusChangedAt, d.LastBlock, d.LastTxID = nil, "", 0, ""
			require.Equal(t, d, row, "%s at %s", row.ID, at)
		}
	}
	revoked, _, err := x.Document(ctx, "RegistryMSP", "to-revoke", time.Now())
	require.NoError(t, err)
	require.Equal(t, spec.DocumentRevoked, revoked.Status)
	require.Equal(t, "7:issued in error, 2:x", revoked.RevokedReason)
	require.Equal(t, "tx-to-revoke", revoked.TxID, "the registration's transaction stays")
	require.Equal(t, "tx-revoke", revoked.LastTxID)
}

// A page_row that is not what SQLite writes is refused, not misread.
func TestMalformedPageRowsAreRefused(t *testing.T) {
	for _, row := range []string{"", "5:valid", "x:valid", "5valid", "99:valid", "12345678901:x", "-1:x"} {
		_, err := index.DecodePageRow(row)
		require.Error(t, err, row)
	}
}
