package index_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/hyperledger/fabric-protos-go-apiv2/ledger/rwset"
	"github.com/hyperledger/fabric-protos-go-apiv2/ledger/rwset/kvrwset"
	mspproto "github.com/hyperledger/fabric-protos-go-apiv2/msp"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/timestamppb"
)

// fakeTx is a transaction of a synthetic block: the function it calls,
// its submitter, its validation code and the values it writes by key.
type fakeTx struct {
	id       string
	function string
	msp      string
	code     peer.TxValidationCode
	writes   map[string]any // composite key -> JSON value
}

// key builds a composite key as the chaincode shim does.
func key(objectType string, attrs ...string) string {
	k := "\x00" + objectType + "\x00"
	for _, a := range attrs {
		k += a + "\x00"
	}
	return k
}

func mustProto(t *testing.T, m proto.Message) []byte {
	t.Helper()
	b, err := proto.Marshal(m)
	require.NoError(t, err)
	return b
}

// makeBlock builds a committed block of txs in namespace civic.
func makeBlock(t *testing.T, number uint64, txs ...fakeTx) *common.Block {
	t.Helper()
	b := &common.Block{Header: &common.BlockHeader{Number: number}, Data: &common.BlockData{},
		Metadata: &common.BlockMetadata{Metadata: make([][]byte, 5)}}
	var flags []byte
	for _, tx := range txs {
		var kv kvrwset.KVRWSet
		for k, v := range tx.writes {
			raw, err := json.Marshal(v)
			require.NoError(t, err)
			kv.Writes = append(kv.Writes, &kvrwset.KVWrite{Key: k, Value: raw})
		}
		set := &rwset.TxReadWriteSet{NsRwset: []*rwset.NsReadWriteSet{{Namespace: "civic", Rwset: mustProto(t, &kv)}}}
		cca := &peer.ChaincodeAction{Results: mustProto(t, set), ChaincodeId: &peer.ChaincodeID{Name: "civic"}}
		prp := &peer.ProposalResponsePayload{Extension: mustProto(t, cca)}
		spec := &peer.ChaincodeInvocationSpec{ChaincodeSpec: &peer.ChaincodeSpec{Input: &peer.ChaincodeInput{
			Args: [][]byte{[]byte(tx.function), []byte("secret-argument")}}}}
		cpp := &peer.ChaincodeProposalPayload{Input: mustProto(t, spec)}
		cap := &peer.ChaincodeActionPayload{ChaincodeProposalPayload: mustProto(t, cpp),
			Action: &peer.ChaincodeEndorsedAction{ProposalResponsePayload: mustProto(t, prp)}}
		ptx := &peer.Transaction{Actions: []*peer.TransactionAction{{Payload: mustProto(t, cap)}}}
		ch := &common.ChannelHeader{Type: int32(common.HeaderType_ENDORSER_TRANSACTION), TxId: tx.id,
			Timestamp: timestamppb.New(time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC))}
		sh := &common.SignatureHeader{Creator: mustProto(t, &mspproto.SerializedIdentity{Mspid: tx.msp})}
		payload := &common.Payload{Header: &common.Header{ChannelHeader: mustProto(t, ch), SignatureHeader: mustProto(t, sh)},
			Data: mustProto(t, ptx)}
		b.Data.Data = append(b.Data.Data, mustProto(t, &common.Envelope{Payload: mustProto(t, payload)}))
		flags = append(flags, byte(tx.code))
	}
	b.Metadata.Metadata[common.BlockMetadataIndex_TRANSACTIONS_FILTER] = flags
	return b
}
