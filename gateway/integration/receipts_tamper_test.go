//go:build integration

package integration

import (
	"testing"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/proto"

	"github.com/civicledger/civicledger/gateway/internal/testpki"
	"github.com/civicledger/civicledger/gateway/proofs/receipt"
)

// parts is a receipt's block decoded down to its transaction's endorsed
// action, so that a test can change one thing and encode it back.
type parts struct {
	rc      receipt.Receipt
	block   *common.Block
	env     *common.Envelope
	payload *common.Payload
	tx      *peer.Transaction
	action  *peer.ChaincodeActionPayload
}

func decodeParts(t *testing.T, rc *receipt.Receipt) *parts {
	t.Helper()
	p := &parts{rc: *rc, block: &common.Block{}, env: &common.Envelope{}, payload: &common.Payload{}, tx: &peer.Transaction{}, action: &peer.ChaincodeActionPayload{}}
	require.NoError(t, proto.Unmarshal(rc.Block, p.block))
	require.NoError(t, proto.Unmarshal(p.block.Data.Data[rc.TransactionIndex], p.env))
	require.NoError(t, proto.Unmarshal(p.env.Payload, p.payload))
	require.NoError(t, proto.Unmarshal(p.payload.Data, p.tx))
	require.NoError(t, proto.Unmarshal(p.tx.Actions[0].Payload, p.action))
	return p
}

// encode writes every layer back, from the action out to the block, and
// returns the changed receipt.
func (p *parts) encode(t *testing.T) *receipt.Receipt {
	t.Helper()
	marshal := func(m proto.Message) []byte {
		b, err := proto.MarshalOptions{Deterministic: true}.Marshal(m)
		require.NoError(t, err)
		return b
	}
	p.tx.Actions[0].Payload = marshal(p.action)
	p.payload.Data = marshal(p.tx)
	p.env.Payload = marshal(p.payload)
	p.block.Data.Data[p.rc.TransactionIndex] = marshal(p.env)
	out := p.rc
	out.Block = marshal(p.block)
	return &out
}

// signatures decodes the block's orderer signature metadata.
func (p *parts) signatures(t *testing.T) *common.Metadata {
	t.Helper()
	var md common.Metadata
	require.NoError(t, proto.Unmarshal(p.block.Metadata.Metadata[common.BlockMetadataIndex_SIGNATURES], &md))
	return &md
}

func (p *parts) setSignatures(t *testing.T, md *common.Metadata) {
	t.Helper()
	b, err := proto.Marshal(md)
	require.NoError(t, err)
	p.block.Metadata.Metadata[common.BlockMetadataIndex_SIGNATURES] = b
}

func flip(b []byte, i int) { b[i%len(b)] ^= 0x01 }

// foreignEndorsement is an endorsement of prp by a peer certificate that
// claims mspID but comes from a CA outside the network; its signature is
// genuine for that certificate's key.
func foreignEndorsement(t *testing.T, mspID string, prp []byte) *peer.Endorsement {
	t.Helper()
	id := testpki.NewCA(t, mspID+".foreign.example").Issue(t, mspID, "peer0", "peer")
	return &peer.Endorsement{Endorser: id.Serialized, Signature: id.Sign(t, append(append([]byte{}, prp...), id.Serialized...))}
}
