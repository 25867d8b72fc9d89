package server

import (
	"context"
	"errors"
	"testing"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"

	"github.com/civicledger/civicledger/chaincode/spec"
	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
)

func TestLedgerHandlers(t *testing.T) {
	ledgerSvc := func(l *fakeLedger) *ledgerService { return &ledgerService{ledger: l, system: l, channel: "civic"} }
	info, err := proto.Marshal(&common.BlockchainInfo{Height: 12, CurrentBlockHash: []byte{1}, PreviousBlockHash: []byte{2}})
	require.NoError(t, err)

	t.Run("a valid request runs the contract's transaction and converts its result", func(t *testing.T) {
		runHandlerCases(t, map[string]handlerCase{
			"GetRecordHistory sends the chaincode's record kind and the key parts as JSON": {
				call: func(c context.Context, l *fakeLedger) (proto.Message, error) {
					return msg(ledgerSvc(l).GetRecordHistory(c, &apiv1.GetRecordHistoryRequest{Kind: apiv1.RecordKind_RECORD_KIND_GRANT, Key: []string{"RegistryMSP", "G1"}}))
				},
				want:   ledgerCall{Kind: "evaluate", Tx: spec.HistoryRecord, Args: []string{"grant", `["RegistryMSP","G1"]`}},
				answer: `[{"txId":"t1","timestamp":"2026-01-01T10:00:00Z","isDelete":false,"value":"{\"a\":1}"}]`,
				resp: &apiv1.GetRecordHistoryResponse{Versions: []*apiv1.RecordVersion{
					{TransactionId: "t1", Timestamp: "2026-01-01T10:00:00Z", ValueJson: `{"a":1}`}}},
			},
			"GetChainInfo asks qscc about the gateway's channel": {
				call: func(c context.Context, l *fakeLedger) (proto.Message, error) {
					return msg(ledgerSvc(l).GetChainInfo(c, &apiv1.GetChainInfoRequest{}))
				},
				want:   ledgerCall{Kind: "system", Tx: "qscc:GetChainInfo", Args: []string{"civic"}},
				answer: string(info),
				resp:   &apiv1.ChainInfo{Height: 12, CurrentBlockHash: []byte{1}, PreviousBlockHash: []byte{2}},
			},
		})
	})

	t.Run("a chaincode refusal reaches the client with its gRPC code", func(t *testing.T) {
		runRefusalCases(t, map[string]refusalCase{
			"a history of an unknown record is NotFound": {
				call: func(c context.Context, l *fakeLedger) (proto.Message, error) {
					return msg(ledgerSvc(l).GetRecordHistory(c, &apiv1.GetRecordHistoryRequest{Kind: apiv1.RecordKind_RECORD_KIND_DOCUMENT, Key: []string{"RegistryMSP", "X"}}))
				},
				tx: spec.HistoryRecord, refusal: "NOT_FOUND: no document RegistryMSP/X", want: codes.NotFound,
			},
		})
	})

	t.Run("a transaction qscc does not know is NotFound", func(t *testing.T) {
		l := &fakeLedger{errs: map[string]error{"qscc:GetTransactionByID": errors.New("no such transaction ID [abc] in index")}}
		_, err := ledgerSvc(l).GetTransaction(asClerk(), &apiv1.GetTransactionRequest{TransactionId: "abc"})
		require.Equal(t, codes.NotFound, status.Code(err), err)
		require.Equal(t, "transaction abc is not on the ledger", status.Convert(err).Message())
		require.Equal(t, []ledgerCall{{Kind: "system", Tx: "qscc:GetTransactionByID", Args: []string{"civic", "abc"}}}, l.recorded())
	})

	t.Run("an invalid request never reaches the ledger", func(t *testing.T) {
		runInvalidCases(t, map[string]invalidCase{
			"a history without a record kind": {field: "kind", call: func(c context.Context, l *fakeLedger) (proto.Message, error) {
				return msg(ledgerSvc(l).GetRecordHistory(c, &apiv1.GetRecordHistoryRequest{Key: []string{"x"}}))
			}},
			"a history without a key": {field: "key", call: func(c context.Context, l *fakeLedger) (proto.Message, error) {
				return msg(ledgerSvc(l).GetRecordHistory(c, &apiv1.GetRecordHistoryRequest{Kind: apiv1.RecordKind_RECORD_KIND_GRANT}))
			}},
			"a transaction without an id": {field: "transaction_id", call: func(c context.Context, l *fakeLedger) (proto.Message, error) {
				return msg(ledgerSvc(l).GetTransaction(c, &apiv1.GetTransactionRequest{}))
			}},
			"a receipt without a transaction id": {field: "transaction_id", call: func(c context.Context, l *fakeLedger) (proto.Message, error) {
				return msg(ledgerSvc(l).GetReceipt(c, &apiv1.GetReceiptRequest{}))
			}},
		})
	})
}
