//go:build integration

package integration

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
	"github.com/civicledger/civicledger/gateway/proofs/receipt"
)

// BenchmarkReceiptVerify measures offline verification of a genuine
// receipt of a document registration on a real network, and its size:
//
//	go test -tags integration -run '^$' -bench ReceiptVerify -cpu 1 ./gateway/integration/
func BenchmarkReceiptVerify(b *testing.B) {
	c := context.Background()
	req := docRequest(uniqueID("BENCH"), apiv1.DocumentType_DOCUMENT_TYPE_PERMIT)
	resp, err := documents(b, registry, "clerk").RegisterDocument(c, req)
	require.NoError(b, err)
	exported, err := ledgerClient(b, registry).GetReceipt(c, &apiv1.GetReceiptRequest{TransactionId: resp.Committed.TransactionId})
	require.NoError(b, err)
	trustResp, err := ledgerClient(b, registry).GetTrust(c, &apiv1.GetTrustRequest{})
	require.NoError(b, err)
	trust, err := receipt.ParseTrust(trustResp.Trust)
	require.NoError(b, err)
	for b.Loop() {
		rc, err := receipt.Parse(exported.Receipt)
		if err != nil {
			b.Fatal(err)
		}
		if rep := receipt.Verify(rc, trust); !rep.Valid() {
			b.Fatal(rep.Err())
		}
	}
	rc, err := receipt.Parse(exported.Receipt)
	require.NoError(b, err)
	b.ReportMetric(float64(len(exported.Receipt)), "receipt-bytes")
	b.ReportMetric(float64(len(rc.Block)), "block-bytes")
	b.ReportMetric(float64(len(rc.ConfigBlock)), "config-block-bytes")
}
