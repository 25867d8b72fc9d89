// Package testnet gives integration tests a real CivicLedger network: a new
// one on free ports in a temporary directory, or the running network whose
// data directory $CIVIC_NETWORK names.
package testnet

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/civicledger/civicledger/network"
	"github.com/civicledger/civicledger/network/connfile"
)

// EnvNetwork names the data directory of a running network to attach to
// instead of starting a new one (e.g. CIVIC_NETWORK=.civicledger).
const EnvNetwork = "CIVIC_NETWORK"

// EnvKeepFailed, when set, keeps a started network's data directory (with
// its nodes' logs) after a failed test run instead of removing it.
const EnvKeepFailed = "CIVIC_KEEP_FAILED"

// Network is a network under test.
type Network struct {
	*network.Network
	Conn  connfile.Connection
	owned bool
	gw    gateways
}

// Option changes the topology of a network Start creates.
type Option func(*network.Topology)

// SeparateHosts runs each administration in its own network namespace
// with its own address, as if on its own host (network/hosts.go): every
// message between administrations crosses a network interface, and
// Disconnect can cut one off. It needs root and iproute2.
func SeparateHosts(t *network.Topology) { t.Hosts = network.HostsNamespaces }

// SecondPeer gives the administration mspID a second peer, which its
// gateway fails over to (network/peers.go).
func SecondPeer(mspID string) Option {
	return func(t *network.Topology) {
		for i := range t.Orgs {
			if t.Orgs[i].MSPID == mspID {
				t.Orgs[i].Peers = 2
			}
		}
	}
}

// Start attaches to $CIVIC_NETWORK or starts a new three-administration
// network, and returns once it commits transactions. Progress goes to
// stderr, so a slow start is visible in test output.
func Start(ctx context.Context, opts ...Option) (*Network, error) {
	if dir := os.Getenv(EnvNetwork); dir != "" {
		n, err := network.Open(dir)
		if err != nil {
			return nil, fmt.Errorf("attach to %s=%s: %w", EnvNetwork, dir, err)
		}
		if !n.Running() {
			return nil, fmt.Errorf("attach to %s=%s: the network is not running (scripts/up.sh)", EnvNetwork, dir)
		}
		return load(n, false)
	}
	dir, err := os.MkdirTemp("", "civicnet-test-")
	if err != nil {
		return nil, err
	}
	topo := network.DefaultTopology()
	topo.DataDir = dir
	for _, opt := range opts {
		opt(&topo)
	}
	if topo.PortBase, err = network.FreePortBase(len(topo.Orgs)); err != nil {
		return nil, err
	}
	n, err := network.New(topo, network.WithOutput(os.Stderr))
	if err != nil {
		return nil, err
	}
	if err := n.Up(ctx); err != nil {
		_ = n.Down(context.Background(), false)
		return nil, fmt.Errorf("start test network (data kept in %s): %w", dir, err)
	}
	return load(n, true)
}

func load(n *network.Network, owned bool) (*Network, error) {
	conn, err := connfile.Load(n.ConnectionFile())
	if err != nil {
		return nil, err
	}
	return &Network{Network: n, Conn: conn, owned: owned}, nil
}

// Stop stops a network that Start created and removes its data; a network
// attached through $CIVIC_NETWORK is left running.
func (n *Network) Stop(ctx context.Context) error {
	n.gw.closeAll()
	if !n.owned {
		return nil
	}
	return n.Down(ctx, true)
}

// Owned reports whether Start created this network (and Stop removes it).
func (n *Network) Owned() bool { return n.owned }

// Timeout is a generous bound for one test step on a 2-core machine.
const Timeout = 2 * time.Minute

// Main runs a test package's tests on one network: it starts (or attaches
// to) the network, stores it in *tn, runs the tests, calls cleanup (e.g. to
// close the package's connections), stops the network and returns the exit
// code for os.Exit. A network that fails to start fails the package.
func Main(m interface{ Run() int }, tn **Network, cleanup func(), opts ...Option) int {
	ctx, cancel := context.WithTimeout(context.Background(), Timeout)
	n, err := Start(ctx, opts...)
	cancel()
	if err != nil {
		fmt.Fprintln(os.Stderr, "integration:", err)
		return 1
	}
	*tn = n
	code := m.Run()
	if cleanup != nil {
		cleanup()
	}
	if code != 0 && os.Getenv(EnvKeepFailed) != "" {
		// Keep the data directory, logs included, to find out why.
		n.gw.closeAll()
		if err := n.Down(context.Background(), false); err != nil {
			fmt.Fprintln(os.Stderr, "integration: stop network:", err)
		}
		fmt.Fprintf(os.Stderr, "integration: tests failed; network data and logs kept in %s (%s is set)\n", n.DataDir(), EnvKeepFailed)
		return code
	}
	if err := n.Stop(context.Background()); err != nil {
		fmt.Fprintln(os.Stderr, "integration: stop network:", err)
		code = 1
	}
	return code
}

// Reload reads the connection file again, e.g. after an administration
// joined the network.
func (n *Network) Reload() error {
	conn, err := connfile.Load(n.ConnectionFile())
	if err != nil {
		return err
	}
	n.Conn = conn
	return nil
}
