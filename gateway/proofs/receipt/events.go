package receipt

import (
	"fmt"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"google.golang.org/protobuf/proto"
)

// ChaincodeEvents returns the chaincode events of a block's valid
// transactions, in the order of the transactions, as a peer's
// chaincode-events stream gives them: a transaction marked invalid in the
// block's TRANSACTIONS_FILTER metadata, one that is not an endorser
// transaction, and an event without chaincode, name or transaction id are
// left out.
func ChaincodeEvents(b *common.Block) ([]*peer.ChaincodeEvent, error) {
	md := b.GetMetadata().GetMetadata()
	if len(md) <= int(common.BlockMetadataIndex_TRANSACTIONS_FILTER) {
		return nil, fmt.Errorf("block %d has no transaction validation codes", b.GetHeader().GetNumber())
	}
	flags := md[common.BlockMetadataIndex_TRANSACTIONS_FILTER]
	var events []*peer.ChaincodeEvent
	for i, data := range b.GetData().GetData() {
		if i >= len(flags) || peer.TxValidationCode(flags[i]) != peer.TxValidationCode_VALID {
			continue
		}
		ev, err := transactionEvent(data)
		if err != nil {
			// A valid transaction always decodes; the peer's own stream
			// skips what it cannot read, and so does this.
			continue
		}
		if ev.GetChaincodeId() != "" && ev.GetEventName() != "" && ev.GetTxId() != "" {
			events = append(events, ev)
		}
	}
	return events, nil
}

// transactionEvent is the chaincode event an endorser transaction set, or an
// empty one.
func transactionEvent(data []byte) (*peer.ChaincodeEvent, error) {
	env, err := decodeEnvelope(data)
	if err != nil {
		return nil, err
	}
	ev := &peer.ChaincodeEvent{}
	if common.HeaderType(env.channel.GetType()) != common.HeaderType_ENDORSER_TRANSACTION {
		return ev, nil
	}
	action, err := decodeAction(env)
	if err != nil {
		return nil, err
	}
	if err := proto.Unmarshal(action.action.GetEvents(), ev); err != nil {
		return nil, fmt.Errorf("decode chaincode event: %w", err)
	}
	return ev, nil
}
