package network

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"reflect"
	"time"
)

// state is what a data directory remembers of the network it holds, so that
// Up can restart the same network.
type state struct {
	Topology  Topology `json:"topology"`
	PackageID string   `json:"packageId"`
	Created   string   `json:"created"`
	// Pending are administrations created on this machine (CreateAdministration)
	// that have not joined the channel yet.
	Pending []Organization `json:"pending,omitempty"`
	// Departed are administrations StopAdministration took off this
	// machine for good.
	Departed []Organization `json:"departed,omitempty"`
	// Chaincodes are the chaincode versions installed on this machine once
	// a new one was (InstallChaincodeVersion); empty until then.
	Chaincodes []installedChaincode `json:"chaincodes,omitempty"`
}

// Up starts the network. On an empty data directory it creates everything:
// identities, channel, chaincode. On a data directory from an earlier Up it
// restarts the same network with its ledger. It returns once a transaction
// can be endorsed by a majority and committed.
func (n *Network) Up(ctx context.Context) error {
	began := time.Now()
	n.timeline.reset()
	st, err := n.readState()
	switch {
	case err == nil:
		present := withoutDeparted(n.topo, st.Departed)
		if !reflect.DeepEqual(founders(st.Topology, len(present.Orgs)), normalized(present)) {
			return fmt.Errorf("data directory %s holds network %q with another topology: stop it and remove it with down --purge, or use another dataDir", n.layout.root, st.Topology.Name)
		}
		// Administrations that joined later (JoinAdministration) restart too.
		n.topo.Orgs = st.Topology.Orgs
		err = n.restart(ctx, st)
	case errors.Is(err, os.ErrNotExist):
		if exists(n.layout.root) && !isEmptyDir(n.layout.root) {
			return fmt.Errorf("data directory %s holds an incomplete network (an earlier start failed): run down --purge first", n.layout.root)
		}
		err = n.create(ctx)
	}
	if err != nil {
		return err
	}
	if err := n.connection().Write(n.layout.connectionFile()); err != nil {
		return err
	}
	n.logf("ready in %.1fs", time.Since(began).Seconds())
	return nil
}

// founders is the stored topology with only its first count
// administrations, those it was created with, normalized.
func founders(t Topology, count int) Topology {
	t = normalized(t)
	if len(t.Orgs) > count {
		t.Orgs = t.Orgs[:count]
	}
	return t
}

// normalized drops fields that do not identify the network.
func normalized(t Topology) Topology {
	t.DataDir = ""
	return t
}

func (n *Network) readState() (state, error) {
	var st state
	data, err := os.ReadFile(n.layout.stateFile())
	if err != nil {
		return st, err
	}
	if err := json.Unmarshal(data, &st); err != nil {
		return st, fmt.Errorf("read %s: %w", n.layout.stateFile(), err)
	}
	return st, nil
}

func isEmptyDir(dir string) bool {
	entries, err := os.ReadDir(dir)
	return err == nil && len(entries) == 0
}

// checkPortsFree fails, naming the port's field, when a port is taken.
func (n *Network) checkPortsFree() error {
	var errs []error
	for i, o := range n.topo.Orgs {
		if o.Namespace != "" {
			continue // its own host: nothing else listens there
		}
		for _, p := range o.Ports.fields() {
			l, err := net.Listen("tcp", n.addr(o, *p.port))
			if err != nil {
				errs = append(errs, fmt.Errorf("organizations[%d].ports.%s: port %d is already in use", i, p.name, *p.port))
				continue
			}
			l.Close()
		}
	}
	return errors.Join(errs...)
}

// step runs one stage of start-up and reports how long it took.
func (n *Network) step(name string, f func() error) error {
	t := time.Now()
	if err := n.timed(name, f); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	n.logf("  %-44s %6.2fs", name, time.Since(t).Seconds())
	return nil
}

// create makes a new network. Work that does not depend on each other runs
// side by side (docs/benchmarks.md, "Start-up time"): the binaries build
// while the CAs enrol; each administration starts its orderer and peer as
// soon as its own identities are enrolled; each joins its orderer and its
// peer, and installs the chaincode, as soon as they listen; the chaincode
// services and gateways start once built, beside the channel's creation;
// the portal starts while the profiles are published.
func (n *Network) create(ctx context.Context) error {
	if err := n.checkPortsFree(); err != nil {
		return err
	}
	n.logf("creating network %s in %s", n.topo.Name, n.layout.root)
	pkg, packageID, err := n.chaincodePackage()
	if err != nil {
		return fmt.Errorf("package chaincode: %w", err)
	}
	pkgPath := filepath.Join(n.layout.chaincodeDir(), n.chaincodeLabel()+".tar.gz")
	var bg tasks
	defer bg.wait()
	build := bg.start(n, "build chaincode, gateway and portal", func() error { return n.buildBinaries(ctx) })
	var services *task
	steps := []struct {
		name string
		f    func() error
	}{
		{"write builder and package", func() error {
			if err := n.installBuilder(); err != nil {
				return err
			}
			return writePackage(pkgPath, pkg)
		}},
		{"start CAs, enrol, start orderers and peers", func() error {
			return n.eachOrg(func(o Organization) error {
				if err := n.timed("start CA "+o.Name, func() error { return n.startCA(ctx, o) }); err != nil {
					return err
				}
				if err := n.timed("enrol identities of "+o.Name, func() error { return n.enrollOrg(ctx, o) }); err != nil {
					return err
				}
				if err := n.writeNodeConfigs(o); err != nil {
					return err
				}
				return n.startAll(n.channelNodes(o))
			})
		}},
		{"write genesis block", func() error { return n.createGenesisBlock(ctx) }},
		{"join orderers and peers, install chaincode", func() error {
			services = bg.start(n, "start chaincode services and gateways", func() error {
				if err := build.wait(); err != nil {
					return err
				}
				return n.eachOrg(func(o Organization) error { return n.startListening(ctx, n.serviceNodes(o, packageID)) })
			})
			return n.eachOrg(func(o Organization) error {
				nodes := n.channelNodes(o)
				return concurrently(func() error {
					if err := n.waitListening(ctx, nodes[:1]); err != nil {
						return err
					}
					return n.timed("join orderer of "+o.Name, func() error { return n.joinOrderer(ctx, o, n.layout.genesisBlock()) })
				}, func() error {
					if err := n.waitListening(ctx, nodes[1:]); err != nil {
						return err
					}
					if err := n.timed("join peers of "+o.Name, func() error { return n.joinPeer(ctx, o) }); err != nil {
						return err
					}
					return n.installChaincodeTimed(ctx, o, pkgPath)
				})
			})
		}},
		{"wait for Raft leader", func() error { return n.waitRaftLeaderKnown(ctx) }},
		{"approve and commit chaincode", func() error { return n.approveAndCommit(ctx, packageID) }},
		// Each administration publishes its profile as soon as its Gateway
		// can have it endorsed, while every Gateway's reach to every peer is
		// still being waited for.
		{"wait for endorsement, publish profiles", func() error {
			if err := services.wait(); err != nil {
				return err
			}
			portal := bg.start(n, "start portal", func() error { return n.startPortal(ctx) })
			return concurrently(
				func() error {
					return n.timed("wait for endorsement by a majority", func() error { return n.waitEndorsement(ctx) })
				},
				func() error { return n.publishProfiles(ctx) },
				portal.wait)
		}},
	}
	if err := n.steps(steps); err != nil {
		return err
	}
	if err := build.wait(); err != nil {
		return err
	}
	return n.writeState(state{Topology: n.topo, PackageID: packageID, Created: time.Now().UTC().Format(time.RFC3339)})
}

func (n *Network) writeState(st state) error {
	data, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return err
	}
	return writeFile(n.layout.stateFile(), data, 0o644)
}

// restart starts the processes of an existing network and waits until it
// serves transactions again. The CAs, orderers and peers start at once;
// the chaincode services, gateways and portal once their binaries are
// built; the Raft election and the peers' discovery of each other are
// waited for side by side.
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
	build := bg.start(n, "build chaincode, gateway and portal", func() error { return n.buildBinaries(ctx) })
	services := bg.start(n, "start chaincode services and gateways", func() error {
		if err := build.wait(); err != nil {
			return err
		}
		return n.eachOrg(func(o Organization) error {
			return n.startListening(ctx, append(n.chaincodeServices(st, o), n.gatewayNode(o)))
		})
	})
	steps := []struct {
		name string
		f    func() error
	}{
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
					if err := services.wait(); err != nil {
						return err
					}
					return n.timed("wait for endorsement by a majority", func() error { return n.waitEndorsement(ctx) })
				},
				func() error {
					if err := build.wait(); err != nil {
						return err
					}
					return n.timed("start portal", func() error { return n.startPortal(ctx) })
				})
		}},
	}
	return n.steps(steps)
}

// steps runs start-up's steps one after another.
func (n *Network) steps(steps []struct {
	name string
	f    func() error
}) error {
	for _, s := range steps {
		if err := n.step(s.name, s.f); err != nil {
			return err
		}
	}
	return nil
}

// writeNodeConfigs renders the config files of an administration's
// orderer, peer and gateway.
func (n *Network) writeNodeConfigs(o Organization) error {
	if err := n.writeOrdererConfig(o); err != nil {
		return err
	}
	if err := n.writePeerConfig(o); err != nil {
		return err
	}
	return n.writeGatewayConfig(o)
}

// listening is a process and the address it listens on once ready.
type listening struct {
	p    process
	addr string
}

// channelNodes are an administration's orderer and peers, the orderer
// first.
func (n *Network) channelNodes(o Organization) []listening {
	nodes := []listening{{n.ordererProcess(o), n.addr(o, o.Ports.OrdererAdmin)}}
	for _, p := range o.peers() {
		nodes = append(nodes, listening{n.peerNodeProcess(o, p), n.addr(o, p.port)})
	}
	return nodes
}

// serviceNodes are an administration's chaincode service (the network's
// own version) and gateway.
func (n *Network) serviceNodes(o Organization, packageID string) []listening {
	return []listening{{n.chaincodeProcess(o, packageID), n.addr(o, o.Ports.Chaincode)}, n.gatewayNode(o)}
}

func (n *Network) gatewayNode(o Organization) listening {
	return listening{n.gatewayProcess(o), n.addr(o, o.Ports.Gateway)}
}

// orgNodes are an administration's orderer, peer, chaincode service and
// gateway (and second peer), in the order they start.
func (n *Network) orgNodes(o Organization, packageID string) []listening {
	nodes := []listening{
		{n.ordererProcess(o), n.addr(o, o.Ports.OrdererAdmin)},
		{n.peerProcess(o), n.addr(o, o.Ports.Peer)},
		{n.chaincodeProcess(o, packageID), n.addr(o, o.Ports.Chaincode)},
		n.gatewayNode(o),
	}
	// A second peer last, so that the positions above stay as they are.
	for _, p := range o.peers()[1:] {
		nodes = append(nodes, listening{n.peerNodeProcess(o, p), n.addr(o, p.port)})
	}
	return nodes
}

// startListening starts the processes, then waits until each listens.
func (n *Network) startListening(ctx context.Context, procs []listening) error {
	if err := n.startAll(procs); err != nil {
		return err
	}
	return n.waitListening(ctx, procs)
}

// startAll starts the processes without waiting for them.
func (n *Network) startAll(procs []listening) error {
	for _, pp := range procs {
		if err := n.layout.start(pp.p); err != nil {
			return err
		}
	}
	return nil
}

// waitListening waits until each process listens, all at once.
func (n *Network) waitListening(ctx context.Context, procs []listening) error {
	waits := make([]func() error, len(procs))
	for i, pp := range procs {
		waits[i] = func() error {
			return n.timed("listen "+pp.p.Name, func() error { return n.waitPort(ctx, pp.p.Name, pp.addr) })
		}
	}
	return concurrently(waits...)
}
