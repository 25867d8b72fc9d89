package fabric

import (
	"testing"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer/lifecycle"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/proto"
)

// lifecycleTx is an endorser transaction txID invoking the lifecycle's fn
// with args.
func lifecycleTx(t *testing.T, txID, fn string, args proto.Message) []byte {
	t.Helper()
	m := func(p proto.Message) []byte {
		b, err := proto.Marshal(p)
		require.NoError(t, err)
		return b
	}
	spec := &peer.ChaincodeInvocationSpec{ChaincodeSpec: &peer.ChaincodeSpec{
		ChaincodeId: &peer.ChaincodeID{Name: lifecycleChaincode},
		Input:       &peer.ChaincodeInput{Args: [][]byte{[]byte(fn), m(args)}},
	}}
	action := &peer.ChaincodeActionPayload{ChaincodeProposalPayload: m(&peer.ChaincodeProposalPayload{Input: m(spec)})}
	tx := &peer.Transaction{Actions: []*peer.TransactionAction{{Payload: m(action)}}}
	ch := &common.ChannelHeader{Type: int32(common.HeaderType_ENDORSER_TRANSACTION), TxId: txID}
	return m(&common.Envelope{Payload: m(&common.Payload{Header: &common.Header{ChannelHeader: m(ch)}, Data: m(tx)})})
}

func TestDefinitionCommitIn(t *testing.T) {
	commit := func(seq int64) proto.Message {
		return &lifecycle.CommitChaincodeDefinitionArgs{Name: "civic", Version: "2.0", Sequence: seq}
	}
	block := func(flags []peer.TxValidationCode, txs ...[]byte) *common.Block {
		f := make([]byte, len(flags))
		for i, c := range flags {
			f[i] = byte(c)
		}
		return &common.Block{Data: &common.BlockData{Data: txs}, Metadata: &common.BlockMetadata{Metadata: [][]byte{{}, {}, f}}}
	}
	valid, invalid := peer.TxValidationCode_VALID, peer.TxValidationCode_MVCC_READ_CONFLICT
	for name, tc := range map[string]struct {
		b    *common.Block
		want string
	}{
		"the valid commit of the sequence is found": {block([]peer.TxValidationCode{valid, valid},
			lifecycleTx(t, "a1", "ApproveChaincodeDefinitionForMyOrg", &lifecycle.ApproveChaincodeDefinitionForMyOrgArgs{Name: "civic", Sequence: 2}),
			lifecycleTx(t, "c2", "CommitChaincodeDefinition", commit(2))), "c2"},
		"an invalid commit is not":              {block([]peer.TxValidationCode{invalid}, lifecycleTx(t, "c2", "CommitChaincodeDefinition", commit(2))), ""},
		"the commit of another sequence is not": {block([]peer.TxValidationCode{valid}, lifecycleTx(t, "c3", "CommitChaincodeDefinition", commit(3))), ""},
		"a block of other data is not":          {block([]peer.TxValidationCode{valid}, []byte("not an envelope")), ""},
	} {
		t.Run(name, func(t *testing.T) {
			got, ok := definitionCommitIn(tc.b, "civic", 2)
			require.Equal(t, tc.want != "", ok)
			require.Equal(t, tc.want, got)
		})
	}
}
