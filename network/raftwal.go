package network

import (
	"context"
	"fmt"
	"time"
)

// replayDeadlockWait is how long restarted orderers get to elect a leader
// before they are restarted again.
const replayDeadlockWait = 30 * time.Second

// waitRaftLeaderAfterRestart waits for a Raft leader of the channel once
// the orderers restarted from their write-ahead logs. Fabric 2.5.0's
// orderer can deadlock while it replays a WAL that holds Raft configuration
// changes (the chain waits for a WAL sync that the Raft node, itself waiting
// for the chain, never does; hyperledger/fabric#4199, fixed in 2.5.1): it
// then never answers the other orderers' votes, and with two of four stuck
// no leader is elected. Whether it happens depends on goroutine scheduling,
// so a restart clears it: the orderers are restarted up to twice when no
// leader appears in time.
func (n *Network) waitRaftLeaderAfterRestart(ctx context.Context) error {
	var err error
	for attempt := range 3 {
		if attempt > 0 {
			n.logf("  no Raft leader after %s: restarting the orderers (Fabric 2.5.0 WAL replay deadlock, hyperledger/fabric#4199)", replayDeadlockWait)
			if err := n.restartOrderers(ctx); err != nil {
				return err
			}
		}
		if err = n.waitRaftLeaderWithin(ctx, replayDeadlockWait); err == nil {
			return nil
		}
	}
	return fmt.Errorf("%w (the orderers were restarted twice)", err)
}

// restartOrderers restarts the orderers one at a time, each once the one
// before listens: replaying alone, an orderer applies its log before its
// Raft node has anything else to hand it, which is when the deadlock
// strikes.
func (n *Network) restartOrderers(ctx context.Context) error {
	for _, o := range n.topo.Orgs {
		p := n.ordererProcess(o)
		if err := n.layout.stop(ctx, p.Name, 10*time.Second); err != nil {
			return err
		}
	}
	for _, o := range n.topo.Orgs {
		p := n.ordererProcess(o)
		if err := n.layout.start(p); err != nil {
			return err
		}
		if err := n.waitPort(ctx, p.Name, n.addr(o, o.Ports.OrdererAdmin)); err != nil {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(2 * time.Second):
		}
	}
	return nil
}

// waitOrdererCatchUp waits until a newcomer's orderer, just joined, has as
// many blocks as member's orderer has once it joined, restarting it up to
// twice when it stalls: a new consenter applies the Raft configuration
// changes of the log it receives and can hit the same Fabric 2.5.0
// deadlock, after which it writes no block and the newcomer's peer, which
// pulls blocks from it, stays behind.
func (n *Network) waitOrdererCatchUp(ctx context.Context, o, member Organization) error {
	label := fmt.Sprintf(`channel="%s"`, n.topo.Channel)
	target, err := n.metric(ctx, n.addr(member, member.Ports.OrdererOps), "ledger_blockchain_height", label)
	if err != nil {
		return fmt.Errorf("read the chain height at %s's orderer: %w", member.MSPID, err)
	}
	for attempt := range 3 {
		if attempt > 0 {
			n.logf("  orderer of %s stalled below block %.0f: restarting it (Fabric 2.5.0 Raft apply deadlock, hyperledger/fabric#4199)", o.MSPID, target)
			if err := n.restartOrderer(ctx, o); err != nil {
				return err
			}
		}
		err = retry(ctx, replayDeadlockWait, func() error {
			h, err := n.metric(ctx, n.addr(o, o.Ports.OrdererOps), "ledger_blockchain_height", label)
			if err != nil {
				return err
			}
			if h < target {
				return fmt.Errorf("the orderer of %s has %.0f of %.0f blocks", o.MSPID, h, target)
			}
			return nil
		})
		if err == nil {
			return nil
		}
	}
	return err
}

// restartOrderer stops o's orderer and starts it again, and waits until it
// listens: the way out of Fabric 2.5.0's Raft apply hang
// (hyperledger/fabric#4199).
func (n *Network) restartOrderer(ctx context.Context, o Organization) error {
	p := n.ordererProcess(o)
	if err := n.layout.stop(ctx, p.Name, 10*time.Second); err != nil {
		return err
	}
	return n.startListening(ctx, []listening{{p, n.addr(o, o.Ports.OrdererAdmin)}})
}
