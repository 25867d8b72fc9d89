package testnet

import (
	"context"
	"fmt"
	"time"

	"github.com/hyperledger/fabric-gateway/pkg/client"
	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"google.golang.org/protobuf/proto"

	"github.com/civicledger/civicledger/network/connfile"
)

// A submit returns once the submitting administration's peer has committed
// the transaction; the other administrations' peers commit the same block a
// moment later. Tests that write through one administration and then read or
// act through another wait for every peer first.

// WaitForBlock waits until the peer of every administration has committed
// block number block.
func (n *Network) WaitForBlock(ctx context.Context, block uint64) error {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	for _, o := range n.Conn.Orgs {
		for {
			h, err := n.height(ctx, o)
			if err == nil && h > block {
				break
			}
			select {
			case <-ctx.Done():
				return fmt.Errorf("peer of %s has not committed block %d (height %d, %v)", o.MSPID, block, h, err)
			case <-time.After(20 * time.Millisecond):
			}
		}
	}
	return nil
}

// height asks an administration's own peer for its ledger height.
func (n *Network) height(ctx context.Context, o connfile.OrgConnection) (uint64, error) {
	gw, err := n.Gateway(o.MSPID, adminOf(o))
	if err != nil {
		return 0, err
	}
	proposal, err := gw.GetNetwork(n.Conn.Channel).GetContract("qscc").NewProposal("GetChainInfo",
		client.WithArguments(n.Conn.Channel), client.WithEndorsingOrganizations(o.MSPID))
	if err != nil {
		return 0, err
	}
	raw, err := proposal.EvaluateWithContext(ctx)
	if err != nil {
		return 0, err
	}
	var info common.BlockchainInfo
	if err := proto.Unmarshal(raw, &info); err != nil {
		return 0, err
	}
	return info.GetHeight(), nil
}

// adminOf names an administration's admin user, who reads chain heights.
func adminOf(o connfile.OrgConnection) string {
	for name, u := range o.Users {
		if u.Role == "admin" {
			return name
		}
	}
	return ""
}

// WaitForEveryPeer waits until every administration's peer has committed
// every block that any of them has: after a write through ledgerctl, whose
// answer does not say the block, a test acting through another
// administration waits for this first.
func (n *Network) WaitForEveryPeer(ctx context.Context) error {
	var top uint64
	for _, o := range n.Conn.Orgs {
		h, err := n.height(ctx, o)
		if err != nil {
			return err
		}
		top = max(top, h)
	}
	if top == 0 {
		return nil
	}
	return n.WaitForBlock(ctx, top-1)
}
