package network

import (
	"context"
	"fmt"
	"net"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// profileName is the configtx.yaml profile the genesis block is made from.
const profileName = "CivicChannel"

type policy struct {
	Type string `yaml:"Type"`
	Rule string `yaml:"Rule"`
}

func signature(rule string) policy { return policy{"Signature", rule} }
func implicit(rule string) policy  { return policy{"ImplicitMeta", rule} }

// orgRule builds OR('MSP.role1','MSP.role2',...).
func orgRule(msp string, roles ...string) string {
	parts := make([]string, len(roles))
	for i, r := range roles {
		parts[i] = fmt.Sprintf("'%s.%s'", msp, r)
	}
	return "OR(" + strings.Join(parts, ",") + ")"
}

// configtxOrg is one administration in configtx.yaml; it appears both in
// the orderer group (it runs a consenter) and the application group.
func (n *Network) configtxOrg(o Organization) map[string]any {
	return map[string]any{
		"Name":   o.MSPID,
		"ID":     o.MSPID,
		"MSPDir": n.layout.orgMSP(o),
		"Policies": map[string]policy{
			"Readers":     signature(orgRule(o.MSPID, "admin", "peer", "client", "orderer")),
			"Writers":     signature(orgRule(o.MSPID, "admin", "client", "orderer")),
			"Admins":      signature(orgRule(o.MSPID, "admin")),
			"Endorsement": signature(orgRule(o.MSPID, "peer")),
		},
		"OrdererEndpoints": []string{n.addr(o, o.Ports.Orderer)},
		"AnchorPeers":      []map[string]any{{"Host": n.nodeHost(o, o.Ports.Peer), "Port": o.Ports.Peer}},
	}
}

// configtx renders configtx.yaml: etcdraft with one consenter per
// administration, MAJORITY admin and endorsement policies, V2_5
// application capability.
func (n *Network) configtx() ([]byte, error) {
	var orgs []map[string]any
	var consenters []map[string]any
	for _, o := range n.topo.Orgs {
		orgs = append(orgs, n.configtxOrg(o))
		id := n.layout.ordererID(o)
		consenters = append(consenters, map[string]any{
			"Host": n.nodeHost(o, o.Ports.Orderer), "Port": o.Ports.Orderer,
			"ClientTLSCert": id.TLSCert(), "ServerTLSCert": id.TLSCert(),
		})
	}
	common := map[string]policy{
		"Readers": implicit("ANY Readers"),
		"Writers": implicit("ANY Writers"),
		"Admins":  implicit("MAJORITY Admins"),
	}
	orderer := map[string]any{
		"OrdererType":  "etcdraft",
		"BatchTimeout": time.Duration(n.topo.Batch.Timeout).String(),
		"BatchSize": map[string]any{
			"MaxMessageCount": n.topo.Batch.MaxMessages, "AbsoluteMaxBytes": "10 MB", "PreferredMaxBytes": "2 MB",
		},
		"EtcdRaft": map[string]any{
			"Consenters": consenters,
			// A Raft snapshot every 4 KB of blocks (about every block) keeps
			// the write-ahead log an orderer replays on restart short: Fabric
			// 2.5.0 deadlocks replaying consenter changes from a long log
			// (hyperledger/fabric#4199, fixed in 2.5.1, which the Go proxy
			// here does not serve). network/raftwal.go stays as the fallback.
			"Options": map[string]any{
				"TickInterval": "100ms", "ElectionTick": 10, "HeartbeatTick": 1,
				"MaxInflightBlocks": 5, "SnapshotIntervalSize": "4 KB",
			},
		},
		"Organizations": orgs,
		"Policies": map[string]policy{
			"Readers": common["Readers"], "Writers": common["Writers"], "Admins": common["Admins"],
			"BlockValidation": implicit("ANY Writers"),
		},
		"Capabilities": map[string]bool{"V2_0": true},
	}
	application := map[string]any{
		"Organizations": orgs,
		"Policies": map[string]policy{
			"Readers": common["Readers"], "Writers": common["Writers"], "Admins": common["Admins"],
			"LifecycleEndorsement": implicit("MAJORITY Endorsement"),
			"Endorsement":          implicit("MAJORITY Endorsement"),
		},
		"Capabilities": map[string]bool{"V2_5": true},
	}
	doc := map[string]any{
		"Profiles": map[string]any{
			profileName: map[string]any{
				"Policies":     common,
				"Capabilities": map[string]bool{"V2_0": true},
				"Orderer":      orderer,
				"Application":  application,
			},
		},
	}
	return yaml.Marshal(doc)
}

// createGenesisBlock writes configtx.yaml and the channel's genesis block.
func (n *Network) createGenesisBlock(ctx context.Context) error {
	data, err := n.configtx()
	if err != nil {
		return fmt.Errorf("render configtx.yaml: %w", err)
	}
	if err := writeFile(filepath.Join(n.layout.channelDir(), "configtx.yaml"), data, 0o644); err != nil {
		return err
	}
	_, err = runTool(ctx, baseEnv(), n.bin("configtxgen"),
		"-configPath", n.layout.channelDir(), "-profile", profileName,
		"-channelID", n.topo.Channel, "-outputBlock", n.layout.genesisBlock())
	return err
}

// joinOrderer adds an orderer to the channel through its channel
// participation API, authenticated by the administration admin's TLS
// certificate. block is the genesis block for a founding member, the
// latest config block for a newcomer (its orderer then pulls the chain
// from the others before it takes part in Raft).
func (n *Network) joinOrderer(ctx context.Context, o Organization, block string) error {
	admin := n.layout.userID(o, n.adminUser(o))
	return retry(ctx, 15*time.Second, func() error {
		out, err := runTool(ctx, baseEnv(), n.bin("osnadmin"), "channel", "join",
			"--channelID", n.topo.Channel, "--config-block", block,
			"-o", n.addr(o, o.Ports.OrdererAdmin), "--ca-file", n.layout.caCert(o),
			"--client-cert", admin.TLSCert(), "--client-key", admin.TLSKey())
		if err == nil && !strings.Contains(string(out), "Status: 201") {
			return fmt.Errorf("join %s to channel: %s", o.MSPID, out)
		}
		return err
	})
}

// peerCLI runs the peer command as the administration's admin against its
// own (first) peer.
func (n *Network) peerCLI(ctx context.Context, o Organization, args ...string) ([]byte, error) {
	return n.peerCLIAt(ctx, o, o.peers()[0], args...)
}

// peerCLIAt runs the peer command as the administration's admin against
// its peer p.
func (n *Network) peerCLIAt(ctx context.Context, o Organization, p peerNode, args ...string) ([]byte, error) {
	admin := n.layout.userID(o, n.adminUser(o))
	env := append(baseEnv(),
		"FABRIC_CFG_PATH="+n.layout.peerConfigDir(o, p),
		"CORE_PEER_LOCALMSPID="+o.MSPID,
		"CORE_PEER_MSPCONFIGPATH="+admin.MSPDir(),
		"CORE_PEER_ADDRESS="+n.addr(o, p.port),
		"CORE_PEER_TLS_ENABLED=true",
		"CORE_PEER_TLS_ROOTCERT_FILE="+n.layout.caCert(o),
	)
	return runTool(ctx, env, n.bin("peer"), args...)
}

// joinPeer joins an administration's peers to the channel.
func (n *Network) joinPeer(ctx context.Context, o Organization) error {
	for _, p := range o.peers() {
		if err := retry(ctx, 15*time.Second, func() error {
			_, err := n.peerCLIAt(ctx, o, p, "channel", "join", "-b", n.layout.genesisBlock())
			return err
		}); err != nil {
			return err
		}
	}
	return nil
}

// ordererFlags are the flags a peer CLI command needs to reach an orderer.
func (n *Network) ordererFlags(o Organization) []string {
	return []string{"-o", n.addr(o, o.Ports.Orderer), "--tls", "--cafile", n.layout.caCert(o)}
}

// addr is where the node of o listening on port is reached: its
// administration's host, or its DNS name between containers.
func (n *Network) addr(o Organization, port int) string {
	return net.JoinHostPort(n.nodeHost(o, port), strconv.Itoa(port))
}

// adminUser is the first user of the administration with role admin.
func (n *Network) adminUser(o Organization) string {
	for _, u := range o.Users {
		if u.Role == "admin" {
			return u.Name
		}
	}
	return ""
}
