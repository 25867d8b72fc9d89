package network

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/civicledger/civicledger/network/configupdate"
	"github.com/hyperledger/fabric-gateway/pkg/client"
	"github.com/hyperledger/fabric-protos-go-apiv2/common"
)

// ErrNotInChannel: the channel's latest configuration does not hold the
// administration yet; the config update adding it must be applied first.
var ErrNotInChannel = errors.New("administration is not in the channel configuration")

// JoinAdministration brings a newcomer created by CreateAdministration into
// the channel, once the config update adding it has been applied: it joins
// its orderer with the latest config block (the orderer pulls the chain
// from the others, then takes part in Raft), joins its peer with the
// genesis block (it pulls the chain from the orderers), installs and
// approves the chaincode at the current definition sequence, starts its
// chaincode service and gateway, waits until its peer endorses, publishes
// its directory profile and adds it to the connection file.
func (n *Network) JoinAdministration(ctx context.Context, mspID string) error {
	began := time.Now()
	o, st, err := n.pending(mspID)
	if err != nil {
		return err
	}
	member := st.Topology.Orgs[0]
	block := filepath.Join(n.layout.org(o), "config.block")
	nodes := n.orgNodes(o, st.PackageID) // orderer, peer, chaincode, gateway
	var cc installedChaincode            // the committed chaincode version
	n.logf("joining administration %s to channel %s", o.MSPID, n.topo.Channel)
	steps := []stage{
		{"fetch latest config block", func() error { return n.fetchNewcomerConfig(ctx, o, member, block) }},
		{"find the committed chaincode version", func() error {
			var err error
			if cc, err = n.committedChaincode(ctx, member, st); err != nil {
				return err
			}
			nodes[2] = listening{n.chaincodeService(o, cc), n.addr(o, slotPort(o, cc.Slot))}
			label := n.topo.Chaincode.Name + "_" + cc.Version
			return writeFile(filepath.Join(n.layout.chaincodeAddresses(o), label), []byte(n.addr(o, slotPort(o, cc.Slot))), 0o644)
		}},
		{"start orderer and join it to channel", func() error {
			// The CA keeps running from CreateAdministration unless the
			// machine was restarted in between.
			if _, running := n.layout.running("ca." + o.Name); !running {
				if err := n.startCA(ctx, o); err != nil {
					return err
				}
			}
			// Join at once: the channel config already names this orderer,
			// and until it has joined, the peers' gateways that pick it to
			// order a transaction are refused (BAD_REQUEST).
			if err := n.startListening(ctx, nodes[:1]); err != nil {
				return err
			}
			return n.joinOrderer(ctx, o, block)
		}},
		{"wait until its orderer has caught up", func() error { return n.waitOrdererCatchUp(ctx, o, member) }},
		{"start peer, chaincode, gateway", func() error { return n.startListening(ctx, nodes[1:]) }},
		{"join peer to channel", func() error { return n.joinPeer(ctx, o) }},
		{"install and approve chaincode", func() error {
			pkgPath := filepath.Join(n.layout.chaincodeDir(), n.topo.Chaincode.Name+"_"+cc.Version+".tar.gz")
			return n.approveAsNewcomer(ctx, o, member, pkgPath, cc.PackageID)
		}},
		{"record membership", func() error {
			st.Pending = slices.DeleteFunc(st.Pending, func(p Organization) bool { return p.MSPID == o.MSPID })
			for i := range st.Chaincodes {
				if st.Chaincodes[i].Version == cc.Version {
					st.Chaincodes[i].Orgs = append(st.Chaincodes[i].Orgs, o.MSPID)
				}
			}
			st.Topology.Orgs = append(st.Topology.Orgs, o)
			if err := n.writeState(st); err != nil {
				return err
			}
			n.topo.Orgs = append(n.topo.Orgs, o)
			return n.connection().Write(n.layout.connectionFile())
		}},
		{"wait until its peer endorses", func() error { return n.waitOwnEndorsement(ctx, o) }},
		{"publish administration profile", func() error { return n.publishProfile(ctx, n.connection(), o, time.Minute) }},
	}
	if err := n.runStages(steps); err != nil {
		return fmt.Errorf("join %s: %w", o.MSPID, err)
	}
	n.logf("%s joined in %.1fs", o.MSPID, time.Since(began).Seconds())
	return nil
}

// fetchNewcomerConfig fetches the channel's latest config block from
// member's orderer as the newcomer's admin, and checks that it holds the
// newcomer.
func (n *Network) fetchNewcomerConfig(ctx context.Context, o, member Organization, block string) error {
	args := append([]string{"channel", "fetch", "config", block, "-c", n.topo.Channel}, n.ordererFlags(member)...)
	if _, err := n.peerCLI(ctx, o, args...); err != nil {
		return fmt.Errorf("%w (has the config update adding %s been applied?): %w", ErrNotInChannel, o.MSPID, err)
	}
	raw, err := os.ReadFile(block)
	if err != nil {
		return err
	}
	cfg, err := configupdate.ConfigFromBlockBytes(raw)
	if err != nil {
		return err
	}
	if _, ok := cfg.GetChannelGroup().GetGroups()["Application"].GetGroups()[o.MSPID]; !ok {
		return fmt.Errorf("%w: %s (apply the config update adding it first)", ErrNotInChannel, o.MSPID)
	}
	return nil
}

// ChannelConfig is the channel's current configuration, read from the
// latest config block that the first administration's orderer serves.
func (n *Network) ChannelConfig(ctx context.Context) (*common.Config, error) {
	o := n.topo.Orgs[0]
	dir, err := os.MkdirTemp(n.layout.root, "config-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	block := filepath.Join(dir, "config.block")
	args := append([]string{"channel", "fetch", "config", block, "-c", n.topo.Channel}, n.ordererFlags(o)...)
	if _, err := n.peerCLI(ctx, o, args...); err != nil {
		return nil, fmt.Errorf("fetch the latest config block: %w", err)
	}
	raw, err := os.ReadFile(block)
	if err != nil {
		return nil, err
	}
	return configupdate.ConfigFromBlockBytes(raw)
}

// approveAsNewcomer installs the chaincode package on the newcomer's peer
// and approves the committed definition's sequence for it. The approval is
// retried while the peer is still catching up with the chain (until it has
// the config block that makes its admin a member, it refuses the proposal).
func (n *Network) approveAsNewcomer(ctx context.Context, o, member Organization, pkgPath, packageID string) error {
	if err := n.installChaincode(ctx, o, pkgPath); err != nil {
		return err
	}
	seq, err := n.committedSequence(ctx, member)
	if err != nil {
		return err
	}
	return retry(ctx, 90*time.Second, func() error { return n.approveChaincode(ctx, o, member, packageID, seq) })
}

// committedSequence is the sequence of the chaincode definition committed
// on the channel, as member's peer reports it.
func (n *Network) committedSequence(ctx context.Context, member Organization) (int, error) {
	def, err := n.committedDefinition(ctx, member)
	return def.Sequence, err
}

// committedDef is the part of `peer lifecycle chaincode querycommitted`
// this package reads.
type committedDef struct {
	Sequence int    `json:"sequence"`
	Version  string `json:"version"`
}

// committedDefinition is the chaincode definition committed on the
// channel, as member's peer reports it.
func (n *Network) committedDefinition(ctx context.Context, member Organization) (committedDef, error) {
	var def committedDef
	out, err := n.peerCLI(ctx, member, "lifecycle", "chaincode", "querycommitted",
		"--channelID", n.topo.Channel, "--name", n.topo.Chaincode.Name, "-O", "json")
	if err != nil {
		return def, fmt.Errorf("query the committed chaincode definition: %w", err)
	}
	if err := json.Unmarshal(out, &def); err != nil {
		return def, fmt.Errorf("read the committed chaincode definition: %w", err)
	}
	if def.Sequence < 1 {
		return def, fmt.Errorf("the committed chaincode definition has no sequence: %s", out)
	}
	return def, nil
}

// committedChaincode is the installed chaincode version whose definition
// is committed on the channel (after an upgrade, no longer the network's
// first one), which a newcomer runs and approves.
func (n *Network) committedChaincode(ctx context.Context, member Organization, st state) (installedChaincode, error) {
	def, err := n.committedDefinition(ctx, member)
	if err != nil {
		return installedChaincode{}, err
	}
	for _, ic := range n.chaincodes(st) {
		if ic.Version == def.Version {
			return ic, nil
		}
	}
	return installedChaincode{}, fmt.Errorf("the committed chaincode version %s is not installed on this machine: run civicnet chaincode install -version %s first", def.Version, def.Version)
}

// waitOwnEndorsement waits until the newcomer's peer has caught up enough
// to endorse a read-only proposal through its own Fabric Gateway.
func (n *Network) waitOwnEndorsement(ctx context.Context, o Organization) error {
	gw, err := n.connection().Connect(o.MSPID, n.adminUser(o))
	if err != nil {
		return err
	}
	defer gw.Close()
	contract := gw.GetNetwork(n.topo.Channel).GetContract(n.topo.Chaincode.Name)
	return retry(ctx, 90*time.Second, func() error {
		p, err := contract.NewProposal("Directory:ListProfiles", client.WithEndorsingOrganizations(o.MSPID))
		if err != nil {
			return err
		}
		if _, err := p.Endorse(); err != nil {
			return fmt.Errorf("the peer of %s cannot endorse yet: %w", o.MSPID, err)
		}
		return nil
	})
}
