package network

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// FabricVersion and FabricCAVersion are the versions scripts/fabric-bins.sh
// builds; the binary cache is keyed by them.
const (
	FabricVersion   = "2.5.0"
	FabricCAVersion = "1.5.15"
)

// Network manages the processes and files of one network on this machine.
type Network struct {
	topo       Topology
	layout     layout
	fabricHome string
	repoRoot   string
	out        io.Writer
	// containers is set for a network whose nodes run in containers
	// (containers.go).
	containers *containers
	// timeline holds the phases of the last Up (timing.go).
	timeline timeline
}

// Option configures a Network; it fails when its value is unusable.
type Option func(*Network) error

// WithFabricHome sets the folder holding bin/ (the Fabric binaries) and
// config/ (Fabric's sample configs), as built by scripts/fabric-bins.sh.
func WithFabricHome(dir string) Option {
	return func(n *Network) error {
		if dir == "" {
			return errors.New("fabric home: empty path")
		}
		n.fabricHome = dir
		return nil
	}
}

// WithRepoRoot sets the repository the chaincode is built from.
func WithRepoRoot(dir string) Option {
	return func(n *Network) error {
		if !exists(filepath.Join(dir, "go.mod")) {
			return fmt.Errorf("repository root %s: no go.mod", dir)
		}
		n.repoRoot = dir
		return nil
	}
}

// WithOutput sets where progress is reported (default: nowhere).
func WithOutput(w io.Writer) Option {
	return func(n *Network) error {
		n.out = w
		return nil
	}
}

// DefaultFabricHome is the binary cache scripts/fabric-bins.sh fills, or
// $CIVIC_FABRIC_HOME when set.
func DefaultFabricHome() string {
	if v := os.Getenv("CIVIC_FABRIC_HOME"); v != "" {
		return v
	}
	cache, err := os.UserCacheDir()
	if err != nil {
		cache = filepath.Join(os.TempDir(), "cache")
	}
	return filepath.Join(cache, "civicledger", "fabric-"+FabricVersion+"-ca-"+FabricCAVersion)
}

// FindRepoRoot walks up from the working directory to the CivicLedger module.
func FindRepoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if b, err := os.ReadFile(filepath.Join(dir, "go.mod")); err == nil &&
			strings.Contains(string(b), "module github.com/civicledger/civicledger\n") {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("not inside the CivicLedger repository")
		}
		dir = parent
	}
}

// New completes the topology with defaults (ports derived from portBase),
// validates it and checks that the Fabric binaries are there;
// it starts nothing. A relative data directory is taken from the repository
// root.
func New(t Topology, opts ...Option) (*Network, error) {
	t.applyDefaults()
	if err := t.Validate(); err != nil {
		return nil, err
	}
	n := &Network{topo: t, fabricHome: DefaultFabricHome(), out: io.Discard}
	for _, opt := range opts {
		if err := opt(n); err != nil {
			return nil, err
		}
	}
	if n.repoRoot == "" {
		root, err := FindRepoRoot()
		if err != nil {
			return nil, err
		}
		n.repoRoot = root
	}
	for _, b := range []string{"peer", "orderer", "osnadmin", "configtxgen", "fabric-ca-server", "fabric-ca-client"} {
		if !exists(n.bin(b)) {
			return nil, fmt.Errorf("fabric binary %s is missing: run scripts/fabric-bins.sh (or set CIVIC_FABRIC_HOME)", n.bin(b))
		}
	}
	dataDir := t.DataDir
	if !filepath.IsAbs(dataDir) {
		dataDir = filepath.Join(n.repoRoot, dataDir)
	}
	l, err := newLayout(dataDir)
	if err != nil {
		return nil, err
	}
	n.layout = l
	return n, nil
}

// Topology returns the network's topology.
func (n *Network) Topology() Topology { return n.topo }

// ConnectionFile is the path of the connection file Up writes.
func (n *Network) ConnectionFile() string { return n.layout.connectionFile() }

// DataDir is the absolute path of the network's data directory.
func (n *Network) DataDir() string { return n.layout.root }

func (n *Network) bin(name string) string { return filepath.Join(n.fabricHome, "bin", name) }

func (n *Network) logf(format string, a ...any) { fmt.Fprintf(n.out, format+"\n", a...) }

// eachOrg runs f for every administration concurrently and joins the errors.
func (n *Network) eachOrg(f func(Organization) error) error {
	return eachOf(n.topo.Orgs, f)
}

// eachOf runs f for each of orgs concurrently and joins the errors.
func eachOf(orgs []Organization, f func(Organization) error) error {
	errs := make([]error, len(orgs))
	var wg sync.WaitGroup
	for i, o := range orgs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = f(o)
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// Open returns the network whose data directory is dataDir, with the
// topology it was created with.
func Open(dataDir string, opts ...Option) (*Network, error) {
	l, err := newLayout(dataDir)
	if err != nil {
		return nil, err
	}
	st, err := (&Network{layout: l}).readState()
	if err != nil {
		return nil, fmt.Errorf("open network in %s: %w", dataDir, err)
	}
	st.Topology.DataDir = l.root
	return New(st.Topology, opts...)
}
