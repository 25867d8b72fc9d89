package fabric

import (
	"testing"

	"github.com/hyperledger/fabric-gateway/pkg/client"
	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/proto"
)

func mustMarshal(t *testing.T, m proto.Message) []byte {
	t.Helper()
	raw, err := proto.Marshal(m)
	require.NoError(t, err)
	return raw
}

// testTx is one transaction of a test block.
type testTx struct {
	id        string
	code      peer.TxValidationCode
	config    bool   // a configuration transaction, not an endorser one
	chaincode string // the event's chaincode; no event when ""
	name      string
}

// testBlock serializes a block of txs as a peer stores it.
func testBlock(t *testing.T, number uint64, txs ...testTx) []byte {
	t.Helper()
	b := &common.Block{Header: &common.BlockHeader{Number: number}, Data: &common.BlockData{}, Metadata: &common.BlockMetadata{Metadata: make([][]byte, 5)}}
	flags := make([]byte, len(txs))
	for i, tx := range txs {
		flags[i] = byte(tx.code)
		typ := common.HeaderType_ENDORSER_TRANSACTION
		if tx.config {
			typ = common.HeaderType_CONFIG
		}
		sigHeader := mustMarshal(t, &common.SignatureHeader{Creator: []byte("creator"), Nonce: []byte(tx.id)})
		action := &peer.ChaincodeAction{}
		if tx.chaincode != "" {
			action.Events = mustMarshal(t, &peer.ChaincodeEvent{ChaincodeId: tx.chaincode, TxId: tx.id, EventName: tx.name, Payload: []byte(`{"tx":"` + tx.id + `"}`)})
		}
		body := mustMarshal(t, &peer.Transaction{Actions: []*peer.TransactionAction{{
			Header: sigHeader,
			Payload: mustMarshal(t, &peer.ChaincodeActionPayload{Action: &peer.ChaincodeEndorsedAction{
				ProposalResponsePayload: mustMarshal(t, &peer.ProposalResponsePayload{Extension: mustMarshal(t, action)}),
			}}),
		}}})
		payload := &common.Payload{
			Header: &common.Header{ChannelHeader: mustMarshal(t, &common.ChannelHeader{Type: int32(typ), TxId: tx.id}), SignatureHeader: sigHeader},
			Data:   body,
		}
		b.Data.Data = append(b.Data.Data, mustMarshal(t, &common.Envelope{Payload: mustMarshal(t, payload)}))
	}
	b.Metadata.Metadata[common.BlockMetadataIndex_TRANSACTIONS_FILTER] = flags
	return mustMarshal(t, b)
}

func TestBlockEvents(t *testing.T) {
	valid := peer.TxValidationCode_VALID
	t.Run("the events of the chaincode's valid transactions come in transaction order, with their block and transaction", func(t *testing.T) {
		raw := testBlock(t, 7,
			testTx{id: "a", code: valid, chaincode: "civic", name: "documents.Registered"},
			testTx{id: "b", code: peer.TxValidationCode_MVCC_READ_CONFLICT, chaincode: "civic", name: "documents.Registered"},
			testTx{id: "c", code: valid, chaincode: "other", name: "other.Done"},
			testTx{id: "d", code: valid},
			testTx{id: "e", code: valid, config: true},
			testTx{id: "f", code: peer.TxValidationCode_ENDORSEMENT_POLICY_FAILURE, chaincode: "civic", name: "directory.ProfileSet"},
			testTx{id: "g", code: valid, chaincode: "civic", name: "directory.ProfileSet"},
		)
		events, err := blockEvents(raw, "civic")
		require.NoError(t, err)
		require.Equal(t, []*client.ChaincodeEvent{
			{BlockNumber: 7, TransactionID: "a", ChaincodeName: "civic", EventName: "documents.Registered", Payload: []byte(`{"tx":"a"}`)},
			{BlockNumber: 7, TransactionID: "g", ChaincodeName: "civic", EventName: "directory.ProfileSet", Payload: []byte(`{"tx":"g"}`)},
		}, events, "invalid transactions, other chaincodes' events, transactions without event and configuration are left out")
	})

	t.Run("a block without events gives none, and bytes that are not a block are an error", func(t *testing.T) {
		events, err := blockEvents(testBlock(t, 0, testTx{id: "cfg", code: valid, config: true}), "civic")
		require.NoError(t, err)
		require.Empty(t, events)
		_, err = blockEvents([]byte("not a block"), "civic")
		require.ErrorContains(t, err, "decode block")
	})
}

func TestBlockCache(t *testing.T) {
	t.Run("keeps the last blocks read and forgets the oldest beyond its size", func(t *testing.T) {
		var bc blockCache
		for n := range uint64(blockCacheSize + 1) {
			bc.put(n, []*client.ChaincodeEvent{{BlockNumber: n}})
		}
		_, ok := bc.get(0)
		require.False(t, ok, "the oldest block was dropped")
		events, ok := bc.get(blockCacheSize)
		require.True(t, ok)
		require.Equal(t, uint64(blockCacheSize), events[0].BlockNumber)
		require.Len(t, bc.events, blockCacheSize)
	})
}
