package fabric

import (
	"context"
	"fmt"
	"strconv"
	"sync"

	"github.com/hyperledger/fabric-gateway/pkg/client"
	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"google.golang.org/protobuf/proto"

	"github.com/civicledger/civicledger/gateway/proofs/receipt"
)

// blockCacheSize is how many blocks' events BlockEvents keeps: replays
// from the same past block (a client resuming, or many clients starting at
// block 1) then read each block from the peer once.
const blockCacheSize = 512

// BlockEvents returns the chaincode's events in committed block number, read
// by u with one qscc GetBlockByNumber call that finishes: unlike a
// chaincode-events stream, it holds none of the peer's Gateway slots once it
// returns. Blocks never change once committed and their events are readable
// by every member of the channel, so the events of recent blocks are kept
// and shared by every caller.
func (c *Client) BlockEvents(ctx context.Context, u *User, number uint64) ([]*client.ChaincodeEvent, error) {
	if events, ok := c.blocks.get(number); ok {
		return events, nil
	}
	raw, err := c.EvaluateSystem(ctx, u, "qscc", "GetBlockByNumber", c.cfg.Channel, strconv.FormatUint(number, 10))
	if err != nil {
		return nil, err
	}
	events, err := blockEvents(raw, c.cfg.Chaincode)
	if err != nil {
		return nil, err
	}
	c.blocks.put(number, events)
	return events, nil
}

// blockEvents decodes a serialized block and returns the events of its valid
// transactions that chaincode set, as the peer's chaincode-events stream
// gives them.
func blockEvents(raw []byte, chaincode string) ([]*client.ChaincodeEvent, error) {
	var b common.Block
	if err := proto.Unmarshal(raw, &b); err != nil {
		return nil, fmt.Errorf("decode block: %w", err)
	}
	all, err := receipt.ChaincodeEvents(&b)
	if err != nil {
		return nil, err
	}
	events := []*client.ChaincodeEvent{}
	for _, ev := range all {
		if ev.GetChaincodeId() != chaincode {
			continue
		}
		events = append(events, &client.ChaincodeEvent{
			BlockNumber: b.GetHeader().GetNumber(), TransactionID: ev.GetTxId(),
			ChaincodeName: ev.GetChaincodeId(), EventName: ev.GetEventName(), Payload: ev.GetPayload(),
		})
	}
	return events, nil
}

// blockCache keeps the events of the blockCacheSize blocks read last.
type blockCache struct {
	mu     sync.Mutex
	events map[uint64][]*client.ChaincodeEvent
	order  []uint64 // oldest first
}

func (bc *blockCache) get(number uint64) ([]*client.ChaincodeEvent, bool) {
	bc.mu.Lock()
	defer bc.mu.Unlock()
	events, ok := bc.events[number]
	return events, ok
}

func (bc *blockCache) put(number uint64, events []*client.ChaincodeEvent) {
	bc.mu.Lock()
	defer bc.mu.Unlock()
	if bc.events == nil {
		bc.events = map[uint64][]*client.ChaincodeEvent{}
	}
	if _, ok := bc.events[number]; ok {
		return
	}
	if len(bc.order) >= blockCacheSize {
		delete(bc.events, bc.order[0])
		bc.order = bc.order[1:]
	}
	bc.events[number] = events
	bc.order = append(bc.order, number)
}
