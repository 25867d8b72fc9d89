//go:build integration

package integration

import (
	"testing"

	"github.com/stretchr/testify/require"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/status"

	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
)

func statusCode(err error) codes.Code { return status.Code(err) }

func healthCheck(t *testing.T, conn *grpc.ClientConn) error {
	t.Helper()
	resp, err := healthpb.NewHealthClient(conn).Check(ctx(t), &healthpb.HealthCheckRequest{})
	if err != nil {
		return err
	}
	require.Equal(t, healthpb.HealthCheckResponse_SERVING, resp.Status)
	return nil
}

func TestLedgerService(t *testing.T) {
	ledger := apiv1.NewLedgerServiceClient(gw(t, treasury, "clerk"))
	info, err := ledger.GetChainInfo(ctx(t), &apiv1.GetChainInfoRequest{})
	require.NoError(t, err)
	require.Greater(t, info.Height, uint64(3), "genesis, chaincode approvals and profiles are on the chain")

	t.Run("the genesis block holds the channel configuration", func(t *testing.T) {
		b, err := ledger.GetBlock(ctx(t), &apiv1.GetBlockRequest{Number: 0})
		require.NoError(t, err)
		require.Equal(t, uint64(0), b.Number)
		require.Len(t, b.Transactions, 1)
	})

	t.Run("the last block lists its transactions with their validation codes", func(t *testing.T) {
		b, err := ledger.GetBlock(ctx(t), &apiv1.GetBlockRequest{Number: info.Height - 1})
		require.NoError(t, err)
		require.NotEmpty(t, b.Transactions)
		require.NotEmpty(t, b.PreviousHash)
		for _, tx := range b.Transactions {
			require.NotEmpty(t, tx.TransactionId)
			require.NotEmpty(t, tx.ValidationCode)
		}
	})

	t.Run("a block beyond the chain is not found", func(t *testing.T) {
		_, err := ledger.GetBlock(ctx(t), &apiv1.GetBlockRequest{Number: info.Height + 1000})
		requireCode(t, err, codes.NotFound)
	})

	t.Run("an unknown transaction is not found", func(t *testing.T) {
		_, err := ledger.GetTransaction(ctx(t), &apiv1.GetTransactionRequest{TransactionId: "0000000000000000000000000000000000000000000000000000000000000000"})
		requireCode(t, err, codes.NotFound)
	})

	t.Run("the history of a record lists every version with its transaction", func(t *testing.T) {
		resp, err := ledger.GetRecordHistory(ctx(t), &apiv1.GetRecordHistoryRequest{
			Kind: apiv1.RecordKind_RECORD_KIND_PROFILE, Key: []string{treasury}})
		require.NoError(t, err)
		require.NotEmpty(t, resp.Versions)
		for _, v := range resp.Versions {
			require.NotEmpty(t, v.TransactionId)
			require.Contains(t, v.ValueJson, `"mspId":"TreasuryMSP"`)
		}
	})

	t.Run("a history request with the wrong key parts is refused", func(t *testing.T) {
		_, err := ledger.GetRecordHistory(ctx(t), &apiv1.GetRecordHistoryRequest{
			Kind: apiv1.RecordKind_RECORD_KIND_DOCUMENT, Key: []string{registry}})
		requireCode(t, err, codes.InvalidArgument)
		_, err = ledger.GetRecordHistory(ctx(t), &apiv1.GetRecordHistoryRequest{Key: []string{registry}})
		requireCode(t, err, codes.InvalidArgument)
	})

	t.Run("the history of a record that never existed is not found", func(t *testing.T) {
		_, err := ledger.GetRecordHistory(ctx(t), &apiv1.GetRecordHistoryRequest{
			Kind: apiv1.RecordKind_RECORD_KIND_DOCUMENT, Key: []string{registry, uniqueID("nothing")}})
		requireCode(t, err, codes.NotFound)
	})

	t.Run("a transaction id is required", func(t *testing.T) {
		_, err := ledger.GetTransaction(ctx(t), &apiv1.GetTransactionRequest{})
		requireCode(t, err, codes.InvalidArgument)
	})
}
