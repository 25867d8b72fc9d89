package network

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"time"
)

// create makes a new network. Work that does not depend on each other runs
// side by side (docs/benchmarks.md, "Start-up time"): the binaries build
// while the CAs enrol; each administration starts its orderer and peer as
// soon as the identities the channel needs are enrolled, and enrols the
// others while the channel is made; each joins its orderer and its peer,
// and installs the chaincode, as soon as they listen; the chaincode
// services, gateways and portal start once built and enrolled, beside the
// channel's creation; each administration publishes its profile while
// every Gateway's reach to every peer is awaited.
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
	build := bg.start(n, "build chaincode, gateway and portal", func() error {
		_, err := n.buildBinaries(ctx)
		return err
	})
	var mu sync.Mutex
	var services []*task // each administration's chaincode service and gateway started
	var portalIDs, portal *task
	steps := []stage{
		{"write builder and package", func() error {
			if err := n.installBuilder(); err != nil {
				return err
			}
			return writePackage(pkgPath, pkg)
		}},
		// Only the identities the channel needs first (peers, orderer,
		// admins) are enrolled before the nodes start; then, in the
		// background, the services' (whose chaincode service is slow to
		// start) and last the users' (CA enrolment is CPU-bound: bcrypt).
		{"start CAs, enrol nodes, start orderers and peers", func() error {
			return n.eachOrg(func(o Organization) error {
				if err := n.timed("start CA "+o.Name, func() error { return n.startCA(ctx, o) }); err != nil {
					return err
				}
				var e *enroller
				if err := n.timed("enrol peers, orderer, admins of "+o.Name, func() error {
					var err error
					if e, err = n.newEnroller(ctx, o); err != nil {
						return err
					}
					if err := e.enroll(ctx, n.membersAt(o, forChannel)); err != nil {
						return err
					}
					return writeOrgMSP(n.layout.orgMSP(o), n.layout.caCert(o))
				}); err != nil {
					return err
				}
				if err := n.writeNodeConfigs(o); err != nil {
					return err
				}
				if err := n.startAll(n.channelNodes(o)); err != nil {
					return err
				}
				ids := bg.start(n, "enrol services of "+o.Name, func() error { return e.enroll(ctx, n.membersAt(o, forServices)) })
				bg.start(n, "enrol users of "+o.Name, func() error {
					if err := ids.wait(); err != nil {
						return err
					}
					return e.enroll(ctx, n.membersAt(o, forUsers))
				})
				started := bg.start(n, "start services of "+o.Name, func() error {
					if err := errors.Join(build.wait(), ids.wait()); err != nil {
						return err
					}
					return n.startListening(ctx, n.serviceNodes(o, packageID))
				})
				mu.Lock()
				defer mu.Unlock()
				services = append(services, started)
				if o.MSPID == n.portalHost().MSPID {
					portalIDs = ids
				}
				return nil
			})
		}},
		{"write genesis block", func() error { return n.createGenesisBlock(ctx) }},
		{"join orderers and peers, install chaincode", func() error {
			portal = bg.start(n, "start portal", func() error {
				if err := errors.Join(build.wait(), portalIDs.wait()); err != nil {
					return err
				}
				return n.startPortal(ctx)
			})
			// The orderers join together, once all listen: one that joins
			// while the others' first leader is being elected can hang
			// applying the channel's initial Raft membership (Fabric 2.5.0,
			// hyperledger/fabric#4199; waitRaftLeaderKnown restarts it).
			var orderers []listening
			for _, o := range n.topo.Orgs {
				orderers = append(orderers, n.channelNodes(o)[0])
			}
			return concurrently(func() error {
				if err := n.waitListening(ctx, orderers); err != nil {
					return err
				}
				return n.eachOrg(func(o Organization) error {
					return n.timed("join orderer of "+o.Name, func() error { return n.joinOrderer(ctx, o, n.layout.genesisBlock()) })
				})
			}, func() error {
				return n.eachOrg(func(o Organization) error {
					nodes := n.channelNodes(o)
					if err := n.waitListening(ctx, nodes[1:]); err != nil {
						return err
					}
					// Installing is the peer's own business: it needs no channel.
					return concurrently(
						func() error { return n.timed("join peers of "+o.Name, func() error { return n.joinPeer(ctx, o) }) },
						func() error { return n.installChaincodeTimed(ctx, o, pkgPath) })
				})
			})
		}},
		{"wait for Raft leader", func() error { return n.waitRaftLeaderKnown(ctx) }},
		{"approve and commit chaincode", func() error { return n.approveAndCommit(ctx, packageID) }},
		// Each administration publishes its profile as soon as its Gateway
		// can have it endorsed, while every Gateway's reach to every peer is
		// still being waited for.
		{"wait for endorsement, publish profiles", func() error {
			for _, t := range services {
				if err := t.wait(); err != nil {
					return err
				}
			}
			return concurrently(
				func() error {
					return n.timed("wait for endorsement by a majority", func() error { return n.waitEndorsement(ctx) })
				},
				func() error { return n.publishProfiles(ctx) },
				portal.wait)
		}},
	}
	if err := n.runStages(steps); err != nil {
		return err
	}
	if err := bg.wait(); err != nil {
		return err
	}
	return n.writeState(state{Topology: n.topo, PackageID: packageID, Created: time.Now().UTC().Format(time.RFC3339)})
}
