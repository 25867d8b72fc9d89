package network

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"time"
)

// ComposePortBase is the port base of the network docker-compose.yaml
// runs: below lowestPort, so that it never meets the networks tests start
// on free ports (FreePortBase), nor scripts/up.sh's network at 7000.
const ComposePortBase = 9700

// ComposeDataDir is the data directory docker-compose.yaml mounts, relative
// to the repository root.
const ComposeDataDir = ".civicledger-compose"

// ComposeTopology is the network docker-compose.yaml describes: the default
// three administrations on ComposePortBase.
func ComposeTopology() Topology {
	t := DefaultTopology()
	t.PortBase = ComposePortBase
	t.DataDir = ComposeDataDir
	return t
}

// composeDir holds the launch script of every container.
func (l layout) composeDir() string { return filepath.Join(l.root, "compose") }

// PrepareCompose creates, on the host, everything the containers of
// docker-compose.yaml read from the data directory: the administrations'
// CAs (started here once to issue every identity, with TLS certificates
// for the nodes' DNS names, then stopped), the genesis block, the nodes'
// configuration with DNS names, the chaincode package, one launch script
// per container, and the connection file with which host clients reach
// the published ports. A data directory prepared before is left as it is.
func (n *Network) PrepareCompose(ctx context.Context) error {
	if n.containers == nil || n.containers.inside {
		return errors.New("compose: the network was not opened WithContainers")
	}
	if exists(n.layout.stateFile()) {
		n.logf("compose: %s is already prepared", n.layout.root)
		return nil
	}
	if exists(n.layout.root) && !isEmptyDir(n.layout.root) {
		return fmt.Errorf("data directory %s holds an incomplete network (an earlier prepare failed): remove it first", n.layout.root)
	}
	if err := n.checkPortsFree(); err != nil {
		return fmt.Errorf("%w (is the compose network running? docker-compose down first)", err)
	}
	n.logf("preparing network %s for containers in %s", n.topo.Name, n.layout.root)
	pkg, packageID, err := n.chaincodePackage()
	if err != nil {
		return fmt.Errorf("package chaincode: %w", err)
	}
	steps := []stage{
		{"write builder and package", func() error {
			if err := n.installBuilder(); err != nil {
				return err
			}
			return writePackage(n.composePackage(), pkg)
		}},
		{"issue identities", func() error {
			return n.eachOrg(func(o Organization) error {
				if err := n.startCA(ctx, o); err != nil {
					return err
				}
				err := n.enrollOrg(ctx, o)
				return errors.Join(err, n.layout.stop(ctx, "ca."+o.Name, 10*time.Second))
			})
		}},
		{"write genesis block and configs", func() error {
			n.containers.inside = true
			defer func() { n.containers.inside = false }()
			if err := n.createGenesisBlock(ctx); err != nil {
				return err
			}
			if err := n.eachOrg(n.writeNodeConfigs); err != nil {
				return err
			}
			if err := n.writePortalConfig(); err != nil {
				return err
			}
			return n.writeLaunchScripts(packageID)
		}},
		{"write connection file", func() error { return n.connection().Write(n.layout.connectionFile()) }},
	}
	if err := n.runStages(steps); err != nil {
		return err
	}
	return n.writeState(state{Topology: n.topo, PackageID: packageID, Created: time.Now().UTC().Format(time.RFC3339)})
}

// PreparedPortBase is the port base of the compose network prepared in
// dataDir.
func PreparedPortBase(dataDir string) (int, error) {
	l, err := newLayout(dataDir)
	if err != nil {
		return 0, err
	}
	st, err := (&Network{layout: l}).readState()
	if err != nil {
		return 0, fmt.Errorf("compose network in %s: %w", dataDir, err)
	}
	return st.Topology.PortBase, nil
}

func (n *Network) composePackage() string {
	return filepath.Join(n.layout.chaincodeDir(), n.chaincodeLabel()+".tar.gz")
}

// writeLaunchScripts writes, for every container, the shell script that
// starts its node: the same command and environment as a node started on
// this machine, with the program taken from the image.
func (n *Network) writeLaunchScripts(packageID string) error {
	var procs []process
	for _, o := range n.topo.Orgs {
		ca, err := n.caProcess(o)
		if err != nil {
			return err
		}
		procs = append(procs, ca, n.ordererProcess(o), n.peerProcess(o), n.chaincodeProcess(o, packageID), n.gatewayProcess(o))
	}
	procs = append(procs, n.portalProcess())
	for _, p := range procs {
		if err := writeFile(filepath.Join(n.layout.composeDir(), p.Name+".sh"), launchScript(p), 0o700); err != nil {
			return err
		}
	}
	return nil
}

// launchScript is a process as a script run in a container whose image
// holds its program in /usr/local/bin.
func launchScript(p process) []byte {
	env := []string{"PATH=/usr/local/bin:/bin", "HOME=/tmp"}
	for _, kv := range p.Env {
		if k, _, _ := strings.Cut(kv, "="); k != "PATH" && k != "HOME" && k != "TMPDIR" {
			env = append(env, kv)
		}
	}
	words := []string{"exec", "env", "-i"}
	for _, kv := range env {
		words = append(words, shellQuote(kv))
	}
	words = append(words, shellQuote("/usr/local/bin/"+filepath.Base(p.Bin)))
	for _, a := range p.Args {
		words = append(words, shellQuote(a))
	}
	var b strings.Builder
	fmt.Fprintf(&b, "#!/bin/sh\n# Written by civicnet compose prepare: how docker-compose.yaml starts %s.\n", p.Name)
	fmt.Fprintf(&b, "cd %s || exit 1\n", shellQuote(p.Dir))
	b.WriteString(strings.Join(words, " ") + "\n")
	return []byte(b.String())
}

func shellQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

// SetupCompose is the compose network's setup job, run in a container once
// the orderers and peers are healthy: it joins every orderer and peer to
// the channel and deploys the chaincode, each only if not done yet, so that
// it does nothing on a restart with the ledger (docker-compose up after
// down) and everything after the ledger was removed (down -v). It returns
// once every administration's gateway can have a proposal endorsed by
// every other administration.
func (n *Network) SetupCompose(ctx context.Context) error {
	if n.containers == nil || !n.containers.inside {
		return errors.New("compose setup: runs inside a container of the network (InsideContainer)")
	}
	st, err := n.readState()
	if err != nil {
		return fmt.Errorf("compose setup: %w (run civicnet compose prepare on the host first)", err)
	}
	deployed := false
	steps := []stage{
		{"join orderers to channel", func() error {
			return n.eachOrg(func(o Organization) error {
				if n.ordererJoined(ctx, o) {
					return nil
				}
				return n.joinOrderer(ctx, o, n.layout.genesisBlock())
			})
		}},
		{"wait for Raft leader", func() error { return n.waitRaftLeader(ctx) }},
		{"join peers to channel", func() error {
			return n.eachOrg(func(o Organization) error {
				if n.peerJoined(ctx, o) {
					return nil
				}
				return n.joinPeer(ctx, o)
			})
		}},
		{"deploy chaincode", func() error {
			if n.chaincodeCommitted(ctx) {
				return nil
			}
			deployed = true
			return n.deployChaincode(ctx, n.composePackage(), st.PackageID)
		}},
		{"wait for endorsement by a majority", func() error { return n.waitEndorsement(ctx) }},
		{"publish administration profiles", func() error {
			if !deployed {
				return nil
			}
			return n.publishProfiles(ctx)
		}},
	}
	return n.runStages(steps)
}

// ordererJoined reports whether o's orderer already serves the channel.
func (n *Network) ordererJoined(ctx context.Context, o Organization) bool {
	admin := n.layout.userID(o, n.adminUser(o))
	out, err := runTool(ctx, baseEnv(), n.bin("osnadmin"), "channel", "list",
		"--channelID", n.topo.Channel,
		"-o", n.addr(o, o.Ports.OrdererAdmin), "--ca-file", n.layout.caCert(o),
		"--client-cert", admin.TLSCert(), "--client-key", admin.TLSKey())
	return err == nil && strings.Contains(string(out), "Status: 200")
}

// peerJoined reports whether o's peer already joined the channel.
func (n *Network) peerJoined(ctx context.Context, o Organization) bool {
	out, err := n.peerCLI(ctx, o, "channel", "getinfo", "-c", n.topo.Channel)
	return err == nil && strings.Contains(string(out), "Blockchain info")
}

// chaincodeCommitted reports whether the chaincode definition is committed
// on the channel, as the first administration's peer sees it.
func (n *Network) chaincodeCommitted(ctx context.Context) bool {
	_, err := n.peerCLI(ctx, n.topo.Orgs[0], "lifecycle", "chaincode", "querycommitted",
		"--channelID", n.topo.Channel, "--name", n.topo.Chaincode.Name)
	return err == nil
}
