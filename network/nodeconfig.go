package network

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"gopkg.in/yaml.v3"
)

// nodeConfig is a Fabric config file (core.yaml or orderer.yaml) loaded from
// Fabric's own sample as the one template, with this network's settings
// written over it key by key.
type nodeConfig map[string]any

func loadNodeConfig(path string) (nodeConfig, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read Fabric config template: %w", err)
	}
	// Decode into a plain map: yaml.v3 gives nested maps the type of the
	// outer one, and set relies on them being map[string]any.
	var m map[string]any
	if err := yaml.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("parse Fabric config template %s: %w", path, err)
	}
	return nodeConfig(m), nil
}

// set assigns a value at a dotted key path such as "peer.tls.enabled",
// creating intermediate maps.
func (c nodeConfig) set(path string, v any) {
	m := map[string]any(c)
	keys := strings.Split(path, ".")
	for _, k := range keys[:len(keys)-1] {
		next, ok := m[k].(map[string]any)
		if !ok {
			next = map[string]any{}
			m[k] = next
		}
		m = next
	}
	m[keys[len(keys)-1]] = v
}

func (c nodeConfig) setAll(values map[string]any) {
	for k, v := range values {
		c.set(k, v)
	}
}

func (c nodeConfig) write(path string) error {
	data, err := yaml.Marshal(map[string]any(c))
	if err != nil {
		return fmt.Errorf("encode %s: %w", path, err)
	}
	return writeFile(path, data, 0o644)
}

// writePeerConfig writes core.yaml for each of an administration's peers.
func (n *Network) writePeerConfig(o Organization) error {
	for _, p := range o.peers() {
		if err := n.writePeerNodeConfig(o, p); err != nil {
			return err
		}
	}
	return nil
}

// writePeerNodeConfig writes core.yaml for one peer; a second peer finds
// the first through gossip.
func (n *Network) writePeerNodeConfig(o Organization, p peerNode) error {
	c, err := loadNodeConfig(filepath.Join(n.fabricHome, "config", "core.yaml"))
	if err != nil {
		return err
	}
	id := n.layout.peerNodeID(o, p)
	dir := n.layout.peerNodeDir(o, p)
	addr := n.addr(o, p.port)
	c.setAll(map[string]any{
		"peer.id":                       p.name + "." + o.Name,
		"peer.networkId":                n.topo.Name,
		"peer.listenAddress":            n.listenAddr(o, p.port),
		"peer.address":                  addr,
		"peer.chaincodeListenAddress":   n.listenAddr(o, p.chaincode),
		"peer.chaincodeAddress":         n.addr(o, p.chaincode),
		"peer.gossip.bootstrap":         n.addr(o, o.Ports.Peer),
		"peer.gossip.externalEndpoint":  addr,
		"peer.gossip.useLeaderElection": false,
		"peer.gossip.orgLeader":         true,
		// Gossip timings for nodes on one host: peers learn of each other,
		// and of the chaincode each runs, in about a second instead of the
		// 25 s reconnect interval of the sample config.
		"peer.gossip.aliveTimeInterval":      "1s",
		"peer.gossip.aliveExpirationTimeout": "5s",
		// A peer that opens the channel (on join, and on every start)
		// probes the other administrations' anchor peers before it has
		// added their TLS roots to its trust pool (Fabric 2.5.0 runs the
		// gossip config callback before the trusted-roots one,
		// core/peer/peer.go createChannel), and gRPC retries that dial with
		// the roots it began with: the probe fails with "certificate
		// signed by unknown authority" after dialTimeout, and is tried
		// again reconnectInterval later. With Fabric's 3 s and our former
		// 2 s, that race cost up to 5 s before a Gateway could plan a
		// cross-administration endorsement; 500 ms each bounds it to 1 s.
		// On one host, or hosts on one network, a TLS dial takes
		// milliseconds.
		"peer.gossip.dialTimeout":               "500ms",
		"peer.gossip.reconnectInterval":         "500ms",
		"peer.gossip.publishStateInfoInterval":  "1s",
		"peer.gossip.requestStateInfoInterval":  "1s",
		"peer.gossip.pullInterval":              "1s",
		"peer.gossip.membershipTrackerInterval": "1s",
		"peer.tls.enabled":                      true,
		"peer.tls.clientAuthRequired":           false,
		"peer.tls.cert.file":                    id.TLSCert(),
		"peer.tls.key.file":                     id.TLSKey(),
		"peer.tls.rootcert.file":                id.TLSCA(),
		"peer.fileSystemPath":                   filepath.Join(dir, "data"),
		"peer.mspConfigPath":                    id.MSPDir(),
		"peer.localMspId":                       o.MSPID,
		"peer.gateway.enabled":                  true,
		// An administration cut off answers nothing (no reset, the packets
		// are lost): give up on each of its peers after 6 s, not Fabric's
		// 30 s, so that the Gateway, having tried both of its peers, asks
		// another administration's while the CivicLedger gateway's call
		// (timeouts.endorse, 20 s) still waits.
		"peer.gateway.endorsementTimeout": "6s",
		"ledger.state.stateDatabase":      "goleveldb",
		"ledger.snapshots.rootDir":        filepath.Join(dir, "data", "snapshots"),
		"vm.endpoint":                     "",
		"chaincode.externalBuilders": []map[string]any{{
			"name":                 "civic-ccaas",
			"path":                 n.layout.builderDir(),
			"propagateEnvironment": []string{"CIVIC_CHAINCODE_ADDRESS", "CIVIC_CHAINCODE_ADDRESSES", "CIVIC_CHAINCODE_TLS_DIR"},
		}},
		"operations.listenAddress": n.listenAddr(o, p.ops),
		"metrics.provider":         "prometheus",
	})
	return c.write(filepath.Join(dir, "config", "core.yaml"))
}

// writeOrdererConfig writes orderer.yaml for an administration's orderer:
// no system channel, channel participation API on its own admin port.
func (n *Network) writeOrdererConfig(o Organization) error {
	c, err := loadNodeConfig(filepath.Join(n.fabricHome, "config", "orderer.yaml"))
	if err != nil {
		return err
	}
	id := n.layout.ordererID(o)
	dir := n.layout.node(o, "orderer")
	c.setAll(map[string]any{
		"General.ListenAddress":             n.listenHost(o),
		"General.ListenPort":                o.Ports.Orderer,
		"General.TLS.Enabled":               true,
		"General.TLS.PrivateKey":            id.TLSKey(),
		"General.TLS.Certificate":           id.TLSCert(),
		"General.TLS.RootCAs":               []string{id.TLSCA()},
		"General.TLS.ClientAuthRequired":    false,
		"General.Cluster.ClientCertificate": id.TLSCert(),
		"General.Cluster.ClientPrivateKey":  id.TLSKey(),
		"General.BootstrapMethod":           "none",
		"General.LocalMSPDir":               id.MSPDir(),
		"General.LocalMSPID":                o.MSPID,
		"FileLedger.Location":               filepath.Join(dir, "data", "ledger"),
		"Consensus.WALDir":                  filepath.Join(dir, "data", "etcdraft", "wal"),
		"Consensus.SnapDir":                 filepath.Join(dir, "data", "etcdraft", "snapshot"),
		"Operations.ListenAddress":          n.listenAddr(o, o.Ports.OrdererOps),
		"Metrics.Provider":                  "prometheus",
		"Admin.ListenAddress":               n.listenAddr(o, o.Ports.OrdererAdmin),
		"Admin.TLS.Enabled":                 true,
		"Admin.TLS.Certificate":             id.TLSCert(),
		"Admin.TLS.PrivateKey":              id.TLSKey(),
		"Admin.TLS.ClientAuthRequired":      true,
		"Admin.TLS.ClientRootCAs":           []string{n.layout.caCert(o)},
		"ChannelParticipation.Enabled":      true,
	})
	return c.write(filepath.Join(dir, "config", "orderer.yaml"))
}

func (n *Network) peerProcess(o Organization) process { return n.peerNodeProcess(o, o.peers()[0]) }

// peerNodeProcess runs one of an administration's peers.
func (n *Network) peerNodeProcess(o Organization, p peerNode) process {
	dir := n.layout.peerNodeDir(o, p)
	env := append(baseEnv(),
		"FABRIC_CFG_PATH="+filepath.Join(dir, "config"),
		"CIVIC_CHAINCODE_ADDRESS="+n.addr(o, o.Ports.Chaincode),
		"CIVIC_CHAINCODE_ADDRESSES="+n.layout.chaincodeAddresses(o),
		"CIVIC_CHAINCODE_TLS_DIR="+n.layout.peerNodeID(o, p).TLSDir(),
	)
	// Opt-in profiling of the peers (Fabric's peer.profile), on the
	// loopback address in CIVIC_PEER_PPROF; with 127.0.0.1:0 each peer
	// picks a free port (ss -ltnp shows it).
	if v := os.Getenv("CIVIC_PEER_PPROF"); v != "" {
		env = append(env, "CORE_PEER_PROFILE_ENABLED=true", "CORE_PEER_PROFILE_LISTENADDRESS="+v)
	}
	return inHost(o, process{
		Name: p.processName(o),
		Bin:  n.bin("peer"),
		Args: []string{"node", "start"},
		Env:  env,
		Dir:  dir,
	})
}

func (n *Network) ordererProcess(o Organization) process {
	dir := n.layout.node(o, "orderer")
	return inHost(o, process{
		Name: "orderer." + o.Name,
		Bin:  n.bin("orderer"),
		Env:  append(baseEnv(), "FABRIC_CFG_PATH="+filepath.Join(dir, "config")),
		Dir:  dir,
	})
}

// baseEnv is the environment every Fabric process gets: enough to run, and
// nothing from the caller's shell that could change Fabric's behaviour.
func baseEnv() []string {
	env := []string{"FABRIC_LOGGING_SPEC=info"}
	for _, k := range []string{"PATH", "HOME", "TMPDIR"} {
		if v, ok := os.LookupEnv(k); ok {
			env = append(env, k+"="+v)
		}
	}
	return env
}
