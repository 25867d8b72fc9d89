package network

import (
	"context"
	"fmt"
	"slices"
	"time"
)

// restart starts the processes of an existing network and waits until it
// serves transactions again. The CAs, orderers and peers start at once,
// the chaincode services and gateways too, from the data directory's
// programs, while the build checks the sources; the Raft election and the
// peers' discovery of each other are waited for side by side.
func (n *Network) restart(ctx context.Context, st state) error {
	if err := n.checkPortsFree(); err != nil {
		return fmt.Errorf("network %s may already be running (see status): %w", n.topo.Name, err)
	}
	n.logf("restarting network %s from %s", n.topo.Name, n.layout.root)
	// Administrations on hosts of their own need them before anything
	// starts (after a reboot they are gone).
	if err := n.eachOrg(func(o Organization) error { return n.setUpHost(ctx, o) }); err != nil {
		return err
	}
	var bg tasks
	defer bg.wait()
	services := func(o Organization) []listening { return append(n.chaincodeServices(st, o), n.gatewayNode(o)) }
	// The chaincode services and gateways start from the data directory's
	// programs while the build checks the sources; if it replaced one,
	// the processes running it are restarted before the network is said
	// to be up. A program missing from the data directory is waited for.
	built := make(chan struct{})
	missing := slices.ContainsFunc(n.topo.Orgs, func(o Organization) bool {
		return slices.ContainsFunc(services(o), func(l listening) bool { return !exists(l.p.Bin) })
	})
	started := bg.start(n, "start chaincode services and gateways", func() error {
		if missing {
			<-built
		}
		return n.eachOrg(func(o Organization) error { return n.startListening(ctx, services(o)) })
	})
	var replaced []string
	build := bg.start(n, "build chaincode, gateway and portal", func() error {
		var err error
		replaced, err = n.buildBinaries(ctx)
		close(built)
		if err != nil || len(replaced) == 0 || missing {
			return err
		}
		if err := started.wait(); err != nil {
			return err
		}
		return n.eachOrg(func(o Organization) error { return n.restartRunning(ctx, services(o), replaced) })
	})
	steps := []stage{
		{"start CAs, orderers and peers", func() error {
			return n.eachOrg(func(o Organization) error {
				return concurrently(
					func() error { return n.timed("start CA "+o.Name, func() error { return n.startCA(ctx, o) }) },
					func() error { return n.startListening(ctx, n.channelNodes(o)) })
			})
		}},
		{"wait for Raft leader and endorsement", func() error {
			return concurrently(
				func() error {
					return n.timed("wait for Raft leader", func() error { return n.waitRaftLeaderAfterRestart(ctx) })
				},
				func() error {
					if err := started.wait(); err != nil {
						return err
					}
					if err := n.timed("wait for endorsement by a majority", func() error { return n.waitEndorsement(ctx) }); err != nil {
						return err
					}
					if err := build.wait(); err != nil || len(replaced) == 0 || missing {
						return err
					}
					return n.timed("wait for endorsement by the rebuilt programs", func() error { return n.waitEndorsement(ctx) })
				},
				func() error {
					if err := build.wait(); err != nil {
						return err
					}
					return n.timed("start portal", func() error { return n.startPortal(ctx) })
				})
		}},
	}
	return n.runStages(steps)
}

// restartRunning restarts those of procs whose program is one of bins,
// and waits until they listen again.
func (n *Network) restartRunning(ctx context.Context, procs []listening, bins []string) error {
	procs = slices.DeleteFunc(slices.Clone(procs), func(l listening) bool { return !slices.Contains(bins, l.p.Bin) })
	for _, l := range procs {
		if err := n.layout.stop(ctx, l.p.Name, 10*time.Second); err != nil {
			return err
		}
	}
	return n.startListening(ctx, procs)
}
