package index_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/civicledger/civicledger/chaincode/records"
	"github.com/civicledger/civicledger/chaincode/spec"
	"github.com/civicledger/civicledger/gateway/portal/index"
)

// BenchmarkRegister measures a register page and a lookup by hash over an
// index of 100,000 documents (go test -run '^$' -bench Register ./gateway/portal/index).
func BenchmarkRegister(b *testing.B) {
	ctx := context.Background()
	x, err := index.Open(ctx, filepath.Join(b.TempDir(), "index.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer x.Close()
	const docs, perBlock = 100_000, 1000
	began := time.Now()
	for n := range docs / perBlock {
		blk := index.Block{Number: uint64(n)}
		tx := index.Transaction{TxID: fmt.Sprintf("tx%d", n), Kind: "endorser", Function: spec.DocumentsRegister, MSPID: "RegistryMSP", Code: "VALID"}
		for i := range perBlock {
			id := fmt.Sprintf("DOC-%07d", n*perBlock+i)
			status := spec.DocumentValid
			if i%10 == 0 {
				status = spec.DocumentRevoked
			}
			tx.Documents = append(tx.Documents, records.Document{Issuer: []string{"RegistryMSP", "TreasuryMSP", "CouncilMSP"}[i%3],
				ID: id, Type: spec.DocumentTypes[i%len(spec.DocumentTypes)], SHA256: fmt.Sprintf("%064x", n*perBlock+i),
				ValidFrom: "2024-01-01T00:00:00Z", Status: status, RegisteredAt: "2024-01-01T00:00:00Z"})
		}
		blk.Transactions = []index.Transaction{tx}
		if err := x.Apply(ctx, blk); err != nil {
			b.Fatal(err)
		}
	}
	b.Logf("indexed %d documents in %s", docs, time.Since(began))
	now := time.Now()
	deep, _, err := x.DocumentKeyBefore(ctx, index.DocumentFilter{Now: now}, 49_950)
	if err != nil {
		b.Fatal(err)
	}
	for name, f := range map[string]index.DocumentFilter{
		"first page":              {Now: now, Page: index.Page{Limit: 50}},
		"page 1000 (keyset)":      {Now: now, Page: index.Page{After: deep, Limit: 50}},
		"issuer, type and status": {Issuer: "TreasuryMSP", Type: "permit", Status: spec.DocumentRevoked, Now: now, Page: index.Page{Limit: 50}},
		// Valid depends on the time: its count is kept for a second only.
		"issuer, type and valid": {Issuer: "TreasuryMSP", Type: "permit", Status: spec.DocumentValid, Now: now, Page: index.Page{Limit: 50}},
	} {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				if _, _, _, err := x.Documents(ctx, f); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	b.Run("by hash", func(b *testing.B) {
		for b.Loop() {
			if _, err := x.DocumentsByHash(ctx, fmt.Sprintf("%064x", 77_777), now); err != nil {
				b.Fatal(err)
			}
		}
	})
}
