package portal_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/civicledger/civicledger/chaincode/records"
	"github.com/civicledger/civicledger/chaincode/spec"
	"github.com/civicledger/civicledger/gateway/portal"
	"github.com/civicledger/civicledger/gateway/portal/index"
)

var (
	benchOnce    sync.Once
	benchHandler http.Handler
	benchErr     error
)

// benchPortal is a portal over an index of 100,000 documents, proved
// current to a fake ledger of the same height.
func benchPortal(b *testing.B) http.Handler {
	b.Helper()
	benchOnce.Do(func() {
		ctx := context.Background()
		x, err := index.Open(ctx, filepath.Join(b.TempDir(), "index.db"))
		if err != nil {
			benchErr = err
			return
		}
		const docs, perBlock = 100_000, 1000
		for n := range docs / perBlock {
			tx := index.Transaction{TxID: fmt.Sprintf("tx%d", n), Kind: "endorser", Function: spec.DocumentsRegister, MSPID: "RegistryMSP", Code: "VALID"}
			for i := range perBlock {
				k := n*perBlock + i
				status := spec.DocumentValid
				if i%10 == 0 {
					status = spec.DocumentRevoked
				}
				tx.Documents = append(tx.Documents, records.Document{Issuer: []string{"RegistryMSP", "TreasuryMSP", "CouncilMSP"}[i%3],
					ID: fmt.Sprintf("DOC-%07d", k), Type: spec.DocumentTypes[i%len(spec.DocumentTypes)], SHA256: fmt.Sprintf("%064x", k),
					ValidFrom: "2024-01-01T00:00:00Z", Status: status, RegisteredAt: "2024-01-01T00:00:00Z"})
			}
			if benchErr = x.Apply(ctx, index.Block{Number: uint64(n), Transactions: []index.Transaction{tx}}); benchErr != nil {
				return
			}
		}
		s, err := portal.New(&fakeLedger{height: docs / perBlock}, x, "civic")
		if err != nil {
			benchErr = err
			return
		}
		if benchErr = s.CheckTip(ctx); benchErr != nil {
			return
		}
		benchHandler = s.Handler()
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	return benchHandler
}

// BenchmarkPortal measures the portal's pages over an index of 100,000
// documents, in-process without a network (go test -run '^$' -bench Portal
// ./gateway/portal), from as many goroutines as GOMAXPROCS.
func BenchmarkPortal(b *testing.B) {
	h := benchPortal(b)
	random := func(r *rand.Rand) string {
		return fmt.Sprintf("/registers/documents?after=%s~DOC-%07d", []string{"CouncilMSP", "RegistryMSP", "TreasuryMSP"}[r.IntN(3)], r.IntN(99_000))
	}
	b.Run("documents random page", func(b *testing.B) {
		b.ReportAllocs()
		defer reportCPU(b)()
		b.RunParallel(func(pb *testing.PB) {
			r := rand.New(rand.NewPCG(rand.Uint64(), 0))
			for pb.Next() {
				w := httptest.NewRecorder()
				h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, random(r), nil))
				if w.Code != http.StatusOK {
					b.Errorf("%d", w.Code)
					return
				}
			}
		})
	})
	for _, c := range []struct{ name, path string }{
		{"style sheet", "/assets/style.css"},
		{"verify JSON", "/api/v1/verify?sha256=" + fmt.Sprintf("%064x", 77_777)},
		{"verify page", "/verify/hash?sha256=" + fmt.Sprintf("%064x", 77_777)},
		{"documents first page", "/registers/documents"},
		{"documents deep page", "/registers/documents?after=RegistryMSP~DOC-0050001"},
		{"documents filtered", "/registers/documents?issuer=TreasuryMSP&type=permit&status=valid&after=TreasuryMSP~DOC-0040000"},
		{"documents by type", "/registers/documents?type=permit&after=RegistryMSP~DOC-0050001"},
		{"documents by status", "/registers/documents?status=revoked&after=RegistryMSP~DOC-0050001"},
		{"documents JSON deep", "/registers/documents.json?after=RegistryMSP~DOC-0050001"},
		{"documents CSV deep", "/registers/documents.csv?after=RegistryMSP~DOC-0050001"},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			defer reportCPU(b)()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					w := httptest.NewRecorder()
					h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, c.path, nil))
					if w.Code != http.StatusOK {
						b.Errorf("%s: %d", c.path, w.Code)
						return
					}
				}
			})
		})
	}
}

// reportCPU reports the process's CPU time (user and system) per
// operation as cpu-ns/op, from now until the returned function runs: on a
// shared machine, where the wall time per operation depends on what else
// runs, the CPU time a request costs does not.
func reportCPU(b *testing.B) func() {
	start := cpuTime()
	b.ResetTimer()
	return func() {
		b.StopTimer()
		b.ReportMetric(float64(cpuTime()-start)/float64(b.N), "cpu-ns/op")
	}
}

func cpuTime() time.Duration {
	var u syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &u); err != nil {
		return 0
	}
	return time.Duration(u.Utime.Nano() + u.Stime.Nano())
}
