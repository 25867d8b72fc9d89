package index_test

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/civicledger/civicledger/chaincode/records"
	"github.com/civicledger/civicledger/chaincode/spec"
	"github.com/civicledger/civicledger/gateway/portal/index"
)

func doc(id, status, until string) records.Document {
	return records.Document{Issuer: "RegistryMSP", ID: id, Type: "permit", SHA256: "ab" + id,
		KeyFacts: map[string]string{"kind": "parking"}, ValidFrom: "2026-01-01T00:00:00Z", ValidUntil: until,
		SubjectRef: "salted-subject-hash", Status: status, RegisteredAt: "2026-01-01T00:00:00Z", RegisteredBy: "x509::CN=clerk"}
}

// register is a valid transaction registering document id.
func register(id, status, until string) fakeTx {
	return fakeTx{id: "tx-" + id, function: spec.DocumentsRegister, msp: "RegistryMSP", code: peer.TxValidationCode_VALID,
		writes: map[string]any{key("document", "RegistryMSP", id): doc(id, status, until), key("document~sha256", "ab"+id, "RegistryMSP", id): 0}}
}

func open(t *testing.T, path string) *index.Index {
	t.Helper()
	x, err := index.Open(context.Background(), path)
	require.NoError(t, err)
	return x
}

func apply(t *testing.T, x *index.Index, number uint64, txs ...fakeTx) error {
	t.Helper()
	b, err := index.DecodeBlock(makeBlock(t, number, txs...), "civic")
	require.NoError(t, err)
	return x.Apply(context.Background(), b)
}

func TestApply(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)

	t.Run("a block's documents, members and transactions are indexed and the checkpoint moves past it", func(t *testing.T) {
		x := open(t, filepath.Join(t.TempDir(), "index.db"))
		defer x.Close()
		profile := fakeTx{id: "tx-p", function: spec.DirectorySetProfile, msp: "RegistryMSP", code: peer.TxValidationCode_VALID,
			writes: map[string]any{key("profile", "RegistryMSP"): records.Profile{MSPID: "RegistryMSP", DisplayName: "Registry", Kind: "agency"}}}
		require.NoError(t, apply(t, x, 0, register("d1", "valid", ""), profile))
		next, err := x.NextBlock(ctx)
		require.NoError(t, err)
		require.Equal(t, uint64(1), next)
		c, err := x.Count(ctx)
		require.NoError(t, err)
		require.Equal(t, index.Counts{Blocks: 1, Transactions: 2, Documents: 1, Members: 1}, c)
		d, found, err := x.Document(ctx, "RegistryMSP", "d1", now)
		require.NoError(t, err)
		require.True(t, found)
		require.Equal(t, "tx-d1", d.TxID)
		require.Equal(t, map[string]string{"kind": "parking"}, d.KeyFacts)
		txs, err := x.RecentTransactions(ctx, 10)
		require.NoError(t, err)
		require.Equal(t, spec.DirectorySetProfile, txs[0].Function)
		require.Equal(t, "VALID", txs[0].Code)
	})

	t.Run("a block other than the next one is refused and changes nothing", func(t *testing.T) {
		x := open(t, filepath.Join(t.TempDir(), "index.db"))
		defer x.Close()
		require.NoError(t, apply(t, x, 0, register("d1", "valid", "")))
		require.ErrorIs(t, apply(t, x, 0, register("d2", "valid", "")), index.ErrOutOfOrder)
		require.ErrorIs(t, apply(t, x, 2, register("d3", "valid", "")), index.ErrOutOfOrder)
		c, err := x.Count(ctx)
		require.NoError(t, err)
		require.Equal(t, index.Counts{Blocks: 1, Transactions: 1, Documents: 1}, c)
	})

	t.Run("the checkpoint survives a reopening", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "index.db")
		x := open(t, path)
		require.NoError(t, apply(t, x, 0, register("d1", "valid", "")))
		require.NoError(t, apply(t, x, 1, register("d2", "valid", "")))
		require.NoError(t, x.Close())
		x = open(t, path)
		defer x.Close()
		next, err := x.NextBlock(ctx)
		require.NoError(t, err)
		require.Equal(t, uint64(2), next)
	})

	t.Run("an invalid transaction is listed but its writes are not indexed", func(t *testing.T) {
		x := open(t, filepath.Join(t.TempDir(), "index.db"))
		defer x.Close()
		bad := register("d1", "valid", "")
		bad.code = peer.TxValidationCode_MVCC_READ_CONFLICT
		require.NoError(t, apply(t, x, 0, bad))
		c, err := x.Count(ctx)
		require.NoError(t, err)
		require.Equal(t, index.Counts{Blocks: 1, Transactions: 1}, c)
	})

	t.Run("statuses are derived at the given time and filter the register", func(t *testing.T) {
		x := open(t, filepath.Join(t.TempDir(), "index.db"))
		defer x.Close()
		require.NoError(t, apply(t, x, 0, register("d1", "valid", ""), register("d2", "valid", "2026-06-01T00:00:00Z"),
			register("d3", "revoked", "")))
		want := map[string][]string{"": {"d1", "d2", "d3"}, spec.DocumentValid: {"d1"}, spec.DocumentExpired: {"d2"},
			spec.DocumentRevoked: {"d3"}, spec.DocumentNotYetValid: nil}
		for status, ids := range want {
			docs, _, total, err := x.Documents(ctx, index.DocumentFilter{Status: status, Now: now, Page: index.Page{Limit: 10}})
			require.NoError(t, err)
			require.Equal(t, len(ids), total, status)
			var got []string
			for _, d := range docs {
				got = append(got, d.ID)
			}
			require.Equal(t, ids, got, status)
		}
	})

	t.Run("the documents register pages by keyset, forward and back, and finds an old page's key", func(t *testing.T) {
		x := open(t, filepath.Join(t.TempDir(), "index.db"))
		defer x.Close()
		require.NoError(t, apply(t, x, 0, register("d1", "valid", ""), register("d2", "valid", "2026-06-01T00:00:00Z"),
			register("d3", "revoked", ""), register("d4", "valid", "")))
		ids := func(docs []index.Document) (out []string) {
			for _, d := range docs {
				out = append(out, d.ID)
			}
			return out
		}
		f := index.DocumentFilter{Now: now, Page: index.Page{Limit: 2}}
		p1, i1, total, err := x.Documents(ctx, f)
		require.NoError(t, err)
		require.Equal(t, 4, total)
		require.Equal(t, []string{"d1", "d2"}, ids(p1))
		require.Equal(t, index.PageInfo{First: []string{"RegistryMSP", "d1"}, Last: []string{"RegistryMSP", "d2"}, HasNext: true}, i1)

		f.Page.After = i1.Last
		p2, i2, _, err := x.Documents(ctx, f)
		require.NoError(t, err)
		require.Equal(t, []string{"d3", "d4"}, ids(p2))
		require.True(t, i2.HasPrev)
		require.False(t, i2.HasNext)

		f.Page = index.Page{Before: i2.First, Limit: 2}
		back, ib, _, err := x.Documents(ctx, f)
		require.NoError(t, err)
		require.Equal(t, []string{"d1", "d2"}, ids(back))
		require.False(t, ib.HasPrev)

		// Filtered on a status derived at Now, with the keyset after it.
		f = index.DocumentFilter{Status: spec.DocumentValid, Now: now, Page: index.Page{After: []string{"RegistryMSP", "d1"}, Limit: 2}}
		valid, _, total, err := x.Documents(ctx, f)
		require.NoError(t, err)
		require.Equal(t, 2, total)
		require.Equal(t, []string{"d4"}, ids(valid))

		key, ok, err := x.DocumentKeyBefore(ctx, index.DocumentFilter{Now: now}, 2)
		require.NoError(t, err)
		require.True(t, ok)
		require.Equal(t, []string{"RegistryMSP", "d2"}, key, "the third row (offset 2) comes after d2")
		key, ok, err = x.DocumentKeyBefore(ctx, index.DocumentFilter{Status: spec.DocumentValid, Now: now}, 1)
		require.NoError(t, err)
		require.True(t, ok)
		require.Equal(t, []string{"RegistryMSP", "d1"}, key)
		_, ok, err = x.DocumentKeyBefore(ctx, index.DocumentFilter{Now: now}, 4)
		require.NoError(t, err)
		require.False(t, ok, "no row at the offset: past the end")
	})
}

// TestConcurrentCounts asks a count that depends on the time from many
// callers at once: one counts, the others wait for its answer, and all get
// the same total; a block applied meanwhile is counted afterwards.
func TestConcurrentCounts(t *testing.T) {
	ctx := context.Background()
	x := open(t, filepath.Join(t.TempDir(), "index.db"))
	defer x.Close()
	now := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	require.NoError(t, apply(t, x, 0, register("d1", "valid", ""), register("d2", "valid", ""), register("d3", "revoked", "")))
	totals := make(chan int, 50)
	var wg sync.WaitGroup
	for range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, _, total, err := x.Documents(ctx, index.DocumentFilter{Status: spec.DocumentValid, Now: now, Page: index.Page{Limit: 1}})
			assert.NoError(t, err)
			totals <- total
		}()
	}
	wg.Wait()
	close(totals)
	for total := range totals {
		require.Equal(t, 2, total)
	}
	require.NoError(t, apply(t, x, 1, register("d4", "valid", "")))
	_, _, total, err := x.Documents(ctx, index.DocumentFilter{Status: spec.DocumentValid, Now: now, Page: index.Page{Limit: 1}})
	require.NoError(t, err)
	require.Equal(t, 3, total)
}

// An issuer's register pages by the id alone once the cursor is in that
// issuer's rows; a cursor of another issuer still means "after (or before)
// that key" in the whole register's order.
func TestDocumentsOfOneIssuerPageByKeyset(t *testing.T) {
	ctx := context.Background()
	x := open(t, filepath.Join(t.TempDir(), "index.db"))
	defer x.Close()
	tx := index.Transaction{TxID: "tx0"}
	for i := range 12 {
		tx.Documents = append(tx.Documents, records.Document{Issuer: []string{"AMSP", "BMSP", "CMSP"}[i%3], ID: fmt.Sprintf("D%02d", i),
			Type: []string{"permit", "civil-status"}[i%2], SHA256: fmt.Sprintf("%064x", i), ValidFrom: "2024-01-01T00:00:00Z",
			Status: spec.DocumentValid, RegisteredAt: "2024-01-01T00:00:00Z"})
	}
	require.NoError(t, x.Apply(ctx, index.Block{Number: 0, Transactions: []index.Transaction{tx}}))
	now := time.Now()
	ids := func(f index.DocumentFilter) ([]string, index.PageInfo) {
		docs, info, _, err := x.Documents(ctx, f)
		require.NoError(t, err)
		out := []string{}
		for _, d := range docs {
			out = append(out, d.Issuer+"/"+d.ID)
		}
		return out, info
	}
	f := index.DocumentFilter{Issuer: "BMSP", Now: now, Page: index.Page{Limit: 2}}
	p1, i1 := ids(f)
	require.Equal(t, []string{"BMSP/D01", "BMSP/D04"}, p1)
	f.Page.After = i1.Last
	p2, i2 := ids(f)
	require.Equal(t, []string{"BMSP/D07", "BMSP/D10"}, p2)
	require.True(t, i2.HasPrev)
	require.False(t, i2.HasNext)
	f.Page = index.Page{Before: i2.First, Limit: 2}
	back, _ := ids(f)
	require.Equal(t, p1, back)

	// With the type too (the documents_filter index).
	f = index.DocumentFilter{Issuer: "BMSP", Type: "civil-status", Status: spec.DocumentValid, Now: now,
		Page: index.Page{After: []string{"BMSP", "D01"}, Limit: 5}}
	p, _ := ids(f)
	require.Equal(t, []string{"BMSP/D07"}, p)

	// Cursors of other issuers.
	f = index.DocumentFilter{Issuer: "BMSP", Now: now, Page: index.Page{After: []string{"AMSP", "D99"}, Limit: 5}}
	p, _ = ids(f)
	require.Equal(t, []string{"BMSP/D01", "BMSP/D04", "BMSP/D07", "BMSP/D10"}, p)
	f.Page = index.Page{After: []string{"CMSP", "D00"}, Limit: 5}
	p, _ = ids(f)
	require.Empty(t, p)
	f.Page = index.Page{Before: []string{"CMSP", "D00"}, Limit: 3}
	p, _ = ids(f)
	require.Equal(t, []string{"BMSP/D04", "BMSP/D07", "BMSP/D10"}, p)
}

// A count of a status derived from the time is kept until a selected
// document's validity begins or ends, then counted again, with no block
// applied in between.
func TestCountsFollowTheTime(t *testing.T) {
	ctx := context.Background()
	x := open(t, filepath.Join(t.TempDir(), "index.db"))
	defer x.Close()
	doc := func(id, from, until string) records.Document {
		return records.Document{Issuer: "RegistryMSP", ID: id, Type: "permit", SHA256: fmt.Sprintf("%064s", id), ValidFrom: from,
			ValidUntil: until, Status: spec.DocumentValid, RegisteredAt: "2026-01-01T00:00:00Z"}
	}
	require.NoError(t, x.Apply(ctx, index.Block{Number: 0, Transactions: []index.Transaction{{TxID: "t", Documents: []records.Document{
		doc("always", "2026-01-01T00:00:00Z", ""),
		doc("ends", "2026-01-01T00:00:00Z", "2026-06-01T00:00:00Z"),
		doc("begins", "2026-09-01T00:00:00Z", ""),
	}}}}))
	counts := func(at string) (valid, expired, notYet int) {
		now, err := time.Parse(time.RFC3339Nano, at)
		require.NoError(t, err)
		for status, n := range map[string]*int{spec.DocumentValid: &valid, spec.DocumentExpired: &expired, spec.DocumentNotYetValid: &notYet} {
			_, _, total, err := x.Documents(ctx, index.DocumentFilter{Issuer: "RegistryMSP", Status: status, Now: now, Page: index.Page{Limit: 1}})
			require.NoError(t, err)
			*n = total
		}
		return valid, expired, notYet
	}
	for _, c := range []struct {
		at                     string
		valid, expired, notYet int
	}{
		{"2026-03-01T00:00:00Z", 2, 0, 1},
		{"2026-05-31T23:59:59.999999999Z", 2, 0, 1},
		{"2026-06-01T00:00:00Z", 1, 1, 1},
		{"2026-08-31T23:59:59Z", 1, 1, 1},
		{"2026-09-01T00:00:00Z", 2, 1, 0},
		{"2027-01-01T00:00:00Z", 2, 1, 0},
		{"2026-03-01T00:00:00Z", 2, 0, 1}, // back in time: counted again
	} {
		valid, expired, notYet := counts(c.at)
		require.Equal(t, []int{c.valid, c.expired, c.notYet}, []int{valid, expired, notYet}, c.at)
	}
}
