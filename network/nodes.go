package network

import (
	"context"
	"fmt"
	"time"
)

// StopOrderer stops one administration's orderer, e.g. to show that the
// others still hold a Raft quorum; StartOrderer starts it again.
func (n *Network) StopOrderer(ctx context.Context, mspID string) error {
	o, err := n.org(mspID)
	if err != nil {
		return err
	}
	return n.layout.stop(ctx, n.ordererProcess(o).Name, 10*time.Second)
}

// KillOrderer ends one administration's orderer at once, as a crash or a
// power cut would (SIGKILL: no clean shutdown); StartOrderer starts it again.
func (n *Network) KillOrderer(ctx context.Context, mspID string) error {
	o, err := n.org(mspID)
	if err != nil {
		return err
	}
	return n.layout.kill(ctx, n.ordererProcess(o).Name)
}

// KillGateway ends one administration's CivicLedger gateway at once, with
// the calls it was serving; StartGateway starts it again.
func (n *Network) KillGateway(ctx context.Context, mspID string) error {
	o, err := n.org(mspID)
	if err != nil {
		return err
	}
	return n.layout.kill(ctx, n.gatewayProcess(o).Name)
}

// KillPeer ends one administration's first peer at once, as a crash
// would; with a second peer (peers: 2) its gateway fails over to it.
// StartPeer starts it again.
func (n *Network) KillPeer(ctx context.Context, mspID string) error {
	o, err := n.org(mspID)
	if err != nil {
		return err
	}
	return n.layout.kill(ctx, n.peerProcess(o).Name)
}

// StartPeer starts an administration's stopped first peer and returns once
// it listens.
func (n *Network) StartPeer(ctx context.Context, mspID string) error {
	o, err := n.org(mspID)
	if err != nil {
		return err
	}
	return n.startListening(ctx, []listening{{n.peerProcess(o), n.addr(o, o.Ports.Peer)}})
}

// StartGateway starts a stopped gateway and returns once it listens.
func (n *Network) StartGateway(ctx context.Context, mspID string) error {
	o, err := n.org(mspID)
	if err != nil {
		return err
	}
	p := n.gatewayProcess(o)
	if err := n.layout.start(p); err != nil {
		return err
	}
	return n.waitPort(ctx, p.Name, n.addr(o, o.Ports.Gateway))
}

// StartOrderer starts a stopped orderer with its ledger and waits until it
// has caught up with the others (restarting it if it stalls).
func (n *Network) StartOrderer(ctx context.Context, mspID string) error {
	o, err := n.org(mspID)
	if err != nil {
		return err
	}
	p := n.ordererProcess(o)
	if err := n.layout.start(p); err != nil {
		return err
	}
	if err := n.waitPort(ctx, p.Name, n.addr(o, o.Ports.OrdererAdmin)); err != nil {
		return err
	}
	// Replaying its log it can stall (Fabric 2.5.0, raftwal.go): wait until
	// it has caught up with another member's orderer.
	for _, member := range n.topo.Orgs {
		if member.MSPID != mspID {
			return n.waitOrdererCatchUp(ctx, o, member)
		}
	}
	return nil
}

// org is the member administration with the MSP ID.
func (n *Network) org(mspID string) (Organization, error) {
	for _, o := range n.topo.Orgs {
		if o.MSPID == mspID {
			return o, nil
		}
	}
	return Organization{}, fmt.Errorf("no administration %q in network %s", mspID, n.topo.Name)
}
