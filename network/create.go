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
	var services, portal *task
	var mu sync.Mutex
	enrollers := map[string]*enroller{}
	steps := []stage{
		{"write builder and package", func() error {
			if err := n.installBuilder(); err != nil {
				return err
			}
			return writePackage(pkgPath, pkg)
		}},
		// Only the identities the channel needs first (peers, orderer,
		// admins) are enrolled before the nodes start; the others while
		// the channel is made (CA enrolment is CPU-bound: bcrypt).
		{"start CAs, enrol nodes, start orderers and peers", func() error {
			return n.eachOrg(func(o Organization) error {
				if err := n.timed("start CA "+o.Name, func() error { return n.startCA(ctx, o) }); err != nil {
					return err
				}
				if err := n.timed("enrol peers, orderer, admins of "+o.Name, func() error {
					e, err := n.newEnroller(ctx, o)
					if err != nil {
						return err
					}
					mu.Lock()
					enrollers[o.MSPID] = e
					mu.Unlock()
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
				return n.startAll(n.channelNodes(o))
			})
		}},
		{"write genesis block", func() error { return n.createGenesisBlock(ctx) }},
		{"join orderers and peers, install chaincode", func() error {
			// The services' identities first, the users' after them.
			serviceIDs := bg.start(n, "enrol services", func() error {
				return n.eachOrg(func(o Organization) error {
					return n.timed("enrol services of "+o.Name, func() error { return enrollers[o.MSPID].enroll(ctx, n.membersAt(o, forServices)) })
				})
			})
			bg.start(n, "enrol users", func() error {
				if err := serviceIDs.wait(); err != nil {
					return err
				}
				return n.eachOrg(func(o Organization) error {
					return n.timed("enrol users of "+o.Name, func() error { return enrollers[o.MSPID].enroll(ctx, n.membersAt(o, forUsers)) })
				})
			})
			services = bg.start(n, "start chaincode services and gateways", func() error {
				if err := errors.Join(build.wait(), serviceIDs.wait()); err != nil {
					return err
				}
				return n.eachOrg(func(o Organization) error { return n.startListening(ctx, n.serviceNodes(o, packageID)) })
			})
			portal = bg.start(n, "start portal", func() error {
				if err := errors.Join(build.wait(), serviceIDs.wait()); err != nil {
					return err
				}
				return n.startPortal(ctx)
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
			if err := services.wait(); err != nil {
				return err
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
