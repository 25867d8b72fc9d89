package network

import (
	"context"
	"fmt"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
)

// The bench-only baseline chaincode (network/cmd/benchcc, a raw-shim
// Put/Get) is deployed next to the product's chaincode, on the same
// channel, with the same endorsement policy, so that civicbench can compare
// a registration with a bare Fabric write on one network in one run. It is
// never deployed by Up: only DeployBenchChaincode, which civicbench's bare
// mode calls, installs it.

// BenchChaincode is the name the baseline chaincode is committed under.
const BenchChaincode = "benchcc"

const (
	benchChaincodePackage = "./network/cmd/benchcc"
	benchChaincodeVersion = "1.0"
)

// benchProcessName names o's baseline chaincode service.
func benchProcessName(o Organization) string { return "chaincode." + o.Name + ".bench" }

// DeployBenchChaincode builds the baseline chaincode, starts its service
// for every administration on the second chaincode slot (ChaincodeNext,
// which a network that has no upgrade in progress leaves free), installs
// it on every peer, has every administration approve it and commits it
// with the channel's default endorsement policy, MAJORITY of the
// administrations' peers, the policy the product's chaincode has. On a
// network where it is already committed it only makes sure the services
// run.
func (n *Network) DeployBenchChaincode(ctx context.Context) error {
	st, err := n.readState()
	if err != nil {
		return err
	}
	if slices.ContainsFunc(n.chaincodes(st), func(ic installedChaincode) bool { return ic.Slot == 1 }) {
		return fmt.Errorf("a chaincode version for an upgrade holds the second chaincode slot: the baseline chaincode needs it free")
	}
	label := BenchChaincode + "_" + benchChaincodeVersion
	pkg, packageID, err := n.packageLabelled(label)
	if err != nil {
		return err
	}
	pkgPath := filepath.Join(n.layout.chaincodeDir(), label+".tar.gz")
	if err := writePackage(pkgPath, pkg); err != nil {
		return err
	}
	bin := filepath.Join(n.layout.chaincodeDir(), "bin", BenchChaincode)
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, benchChaincodePackage)
	cmd.Dir = n.repoRoot
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("build %s: %w\n%s", benchChaincodePackage, err, out)
	}
	def := []string{"--channelID", n.topo.Channel, "--name", BenchChaincode, "--version", benchChaincodeVersion, "--sequence", "1"}
	first := n.topo.Orgs[0]
	_, committedErr := n.peerCLI(ctx, first, "lifecycle", "chaincode", "querycommitted", "--channelID", n.topo.Channel, "--name", BenchChaincode)
	err = n.eachOrg(func(o Organization) error {
		if err := writeFile(filepath.Join(n.layout.chaincodeAddresses(o), label), []byte(n.addr(o, o.Ports.ChaincodeNext)), 0o644); err != nil {
			return err
		}
		if _, running := n.layout.running(benchProcessName(o)); !running {
			id := n.layout.chaincodeID(o)
			p := inHost(o, process{
				Name: benchProcessName(o),
				Bin:  bin,
				Env: append(baseEnv(),
					"CHAINCODE_ID="+packageID,
					"CHAINCODE_SERVER_ADDRESS="+n.listenAddr(o, o.Ports.ChaincodeNext),
					"CHAINCODE_TLS_CERT="+id.TLSCert(),
					"CHAINCODE_TLS_KEY="+id.TLSKey(),
					"CHAINCODE_TLS_CLIENT_CA="+id.TLSCA(),
				),
				Dir: n.layout.chaincodeDir(),
			})
			if err := n.startListening(ctx, []listening{{p, n.addr(o, o.Ports.ChaincodeNext)}}); err != nil {
				return err
			}
		}
		if committedErr == nil {
			return nil
		}
		if err := n.installChaincode(ctx, o, pkgPath); err != nil && !strings.Contains(err.Error(), "already successfully installed") {
			return err
		}
		args := append([]string{"lifecycle", "chaincode", "approveformyorg", "--package-id", packageID}, def...)
		if _, err := n.peerCLI(ctx, o, append(args, n.ordererFlags(o)...)...); err != nil {
			return fmt.Errorf("approve %s for %s: %w", BenchChaincode, o.MSPID, err)
		}
		return nil
	})
	if err != nil || committedErr == nil {
		return err
	}
	args := append([]string{"lifecycle", "chaincode", "commit"}, def...)
	args = append(args, n.ordererFlags(first)...)
	for _, o := range n.topo.Orgs {
		args = append(args, "--peerAddresses", n.addr(o, o.Ports.Peer), "--tlsRootCertFiles", n.layout.caCert(o))
	}
	if _, err := n.peerCLI(ctx, first, args...); err != nil {
		return fmt.Errorf("commit %s: %w", BenchChaincode, err)
	}
	n.logf("deployed %s (%s) on channel %s", BenchChaincode, packageID, n.topo.Channel)
	return nil
}

// RunningProcesses lists the processes this network started that run now,
// found through their pid files (those Up starts, and any other such as
// the baseline chaincode's services), for benchmarks that measure them.
func (n *Network) RunningProcesses() ([]ProcessStatus, error) {
	names, err := n.processNames()
	if err != nil {
		return nil, err
	}
	var out []ProcessStatus
	for _, name := range names {
		if pid, ok := n.layout.running(name); ok {
			out = append(out, ProcessStatus{Name: name, PID: pid, Running: true, Log: n.layout.logFile(name)})
		}
	}
	return out, nil
}
