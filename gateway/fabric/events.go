package fabric

import (
	"context"
	"fmt"

	"github.com/hyperledger/fabric-gateway/pkg/client"
	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"google.golang.org/protobuf/proto"
)

// ChaincodeEvents streams the chaincode's events, read by u, from the
// position the options give (default: the next block committed). The channel
// closes when ctx ends or the peer ends the stream; either way the peer
// stream is cancelled and nothing is left running, so a caller may stop
// reading at any time as long as it ends ctx.
func (c *Client) ChaincodeEvents(ctx context.Context, u *User, opts ...client.ChaincodeEventsOption) (<-chan *client.ChaincodeEvent, error) {
	ctx, cancel := context.WithCancel(ctx)
	var events <-chan *client.ChaincodeEvent
	_, err := c.tryPeers(u, c.lastPeer(), unreachable, func(_ int, gw *client.Gateway) error {
		req, err := newEventsRequest(gw, u, gw.GetNetwork(c.cfg.Channel), c.cfg.Chaincode, opts...)
		if err != nil {
			return err
		}
		events, err = req.Events(ctx)
		return err
	})
	if err != nil {
		cancel()
		return nil, classify(err)
	}
	return relay(ctx, cancel, events), nil
}

// relay forwards events until ctx ends or in closes. The fabric-gateway
// library sends on in without watching the context, so a reader that simply
// stops would leave the library's goroutine blocked for ever, holding the
// peer stream: relay cancels the stream and drains in until it closes.
func relay(ctx context.Context, cancel context.CancelFunc, in <-chan *client.ChaincodeEvent) <-chan *client.ChaincodeEvent {
	out := make(chan *client.ChaincodeEvent)
	go func() {
		defer close(out)
		defer func() {
			cancel()
			for range in { //nolint:revive // draining until the library closes the channel
			}
		}()
		for {
			select {
			case <-ctx.Done():
				return
			case ev, ok := <-in:
				if !ok {
					return
				}
				select {
				case out <- ev:
				case <-ctx.Done():
					return
				}
			}
		}
	}()
	return out
}

// LedgerHeight is the number of blocks on the channel's ledger at the peer
// that answers, read by u through qscc: the next block to commit has this
// number.
func (c *Client) LedgerHeight(ctx context.Context, u *User) (uint64, error) {
	raw, err := c.EvaluateSystem(ctx, u, "qscc", "GetChainInfo", c.cfg.Channel)
	if err != nil {
		return 0, err
	}
	var info common.BlockchainInfo
	if err := proto.Unmarshal(raw, &info); err != nil {
		return 0, fmt.Errorf("decode chain info: %w", err)
	}
	return info.GetHeight(), nil
}
