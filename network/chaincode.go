package network

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"time"
)

//go:embed builder/bin/*
var builderFS embed.FS

// installBuilder writes the external chaincode builder the peers use to
// connect to chaincode services instead of building containers.
func (n *Network) installBuilder() error {
	return fs.WalkDir(builderFS, "builder/bin", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := builderFS.ReadFile(path)
		if err != nil {
			return err
		}
		return writeFile(filepath.Join(n.layout.builderDir(), "bin", d.Name()), data, 0o755)
	})
}

// chaincodeLabel is the package label, e.g. civic_1.0.
func (n *Network) chaincodeLabel() string {
	return n.topo.Chaincode.Name + "_" + n.topo.Chaincode.Version
}

// chaincodePackage builds the chaincode-as-a-service package of the
// network's own version.
func (n *Network) chaincodePackage() (pkg []byte, packageID string, err error) {
	return n.packageLabelled(n.chaincodeLabel())
}

// packageLabelled builds a chaincode-as-a-service package with label. Tar
// entries carry fixed times and gzip no name or time, so the package id is
// the same on every run and every machine.
func (n *Network) packageLabelled(label string) (pkg []byte, packageID string, err error) {
	note := "CivicLedger chaincode runs as a service next to each peer; the peer's\n" +
		"release step (network/builder/bin/release) writes how to reach it.\n"
	code, err := tarGz(map[string]string{"README": note})
	if err != nil {
		return nil, "", err
	}
	meta := fmt.Sprintf(`{"type":"ccaas","label":%q}`, label)
	pkg, err = tarGz(map[string]string{"metadata.json": meta, "code.tar.gz": string(code)})
	if err != nil {
		return nil, "", err
	}
	sum := sha256.Sum256(pkg)
	return pkg, label + ":" + hex.EncodeToString(sum[:]), nil
}

// tarGz writes the files, in name order, into a deterministic tar.gz.
func tarGz(files map[string]string) ([]byte, error) {
	var buf bytes.Buffer
	gz, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	tw := tar.NewWriter(gz)
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		body := files[name]
		hdr := &tar.Header{Name: name, Mode: 0o644, Size: int64(len(body)), ModTime: time.Unix(0, 0), Format: tar.FormatPAX}
		if err := tw.WriteHeader(hdr); err != nil {
			return nil, err
		}
		if _, err := tw.Write([]byte(body)); err != nil {
			return nil, err
		}
	}
	if err := tw.Close(); err != nil {
		return nil, err
	}
	if err := gz.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func (n *Network) gatewayBinary() string {
	return filepath.Join(n.layout.chaincodeDir(), "bin", "civicgw")
}

func (n *Network) chaincodeBinary() string {
	return filepath.Join(n.layout.chaincodeDir(), "bin", n.topo.Chaincode.Name)
}

// chaincodeProcess runs the network's own chaincode version as a service
// for one administration; its peer reaches it at the chaincode port.
func (n *Network) chaincodeProcess(o Organization, packageID string) process {
	return n.chaincodeService(o, installedChaincode{Version: n.topo.Chaincode.Version, PackageID: packageID})
}

// chaincodeService runs the chaincode version ic as a service for one
// administration, on ic's slot.
func (n *Network) chaincodeService(o Organization, ic installedChaincode) process {
	id := n.layout.chaincodeID(o)
	env := append(baseEnv(),
		"CHAINCODE_ID="+ic.PackageID,
		"CHAINCODE_SERVER_ADDRESS="+n.listenAddr(o, slotPort(o, ic.Slot)),
		"CHAINCODE_TLS_CERT="+id.TLSCert(),
		"CHAINCODE_TLS_KEY="+id.TLSKey(),
		"CHAINCODE_TLS_CLIENT_CA="+id.TLSCA(),
	)
	// Opt-in profiling of the chaincode services: with 127.0.0.1:0 each
	// picks a free port and logs it (chaincode/cmd/civicledger/pprof.go).
	if v, ok := os.LookupEnv("CIVIC_CHAINCODE_PPROF"); ok {
		env = append(env, "CIVIC_CHAINCODE_PPROF="+v)
	}
	return inHost(o, process{
		Name: chaincodeProcessName(o, ic.Slot),
		Bin:  n.chaincodeBinaryOf(ic.Version),
		Env:  env,
		Dir:  n.layout.chaincodeDir(),
	})
}

// deployChaincode installs the package on every peer, has every
// administration approve the definition and commits it. The endorsement
// policy is the channel default: MAJORITY of the administrations.
func (n *Network) deployChaincode(ctx context.Context, pkgPath, packageID string) error {
	if err := n.eachOrg(func(o Organization) error { return n.installChaincodeTimed(ctx, o, pkgPath) }); err != nil {
		return err
	}
	return n.approveAndCommit(ctx, packageID)
}

// installChaincodeTimed installs the package on o's peers as a part of
// start-up's timeline.
func (n *Network) installChaincodeTimed(ctx context.Context, o Organization, pkgPath string) error {
	return n.timed("install chaincode at "+o.Name, func() error { return n.installChaincode(ctx, o, pkgPath) })
}

// approveAndCommit has every administration approve the first definition,
// all at once, and commits it once all have.
func (n *Network) approveAndCommit(ctx context.Context, packageID string) error {
	if err := n.eachOrg(func(o Organization) error {
		return n.timed("approve chaincode for "+o.Name, func() error { return n.approveChaincode(ctx, o, o, packageID, 1) })
	}); err != nil {
		return err
	}
	first := n.topo.Orgs[0]
	args := append([]string{"lifecycle", "chaincode", "commit"}, n.chaincodeDefinition(1)...)
	args = append(args, n.ordererFlags(first)...)
	for _, o := range n.topo.Orgs {
		args = append(args, "--peerAddresses", n.addr(o, o.Ports.Peer), "--tlsRootCertFiles", n.layout.caCert(o))
	}
	return n.timed("commit chaincode definition", func() error {
		if _, err := n.peerCLI(ctx, first, args...); err != nil {
			return fmt.Errorf("commit chaincode definition: %w", err)
		}
		return nil
	})
}

// chaincodeDefinition is the chaincode's definition at a sequence: name,
// version and the channel's default (MAJORITY) endorsement policy.
func (n *Network) chaincodeDefinition(sequence int) []string {
	cc := n.topo.Chaincode
	return []string{"--channelID", n.topo.Channel, "--name", cc.Name, "--version", cc.Version, "--sequence", strconv.Itoa(sequence)}
}

// installChaincode installs the package on an administration's peers.
func (n *Network) installChaincode(ctx context.Context, o Organization, pkgPath string) error {
	for _, p := range o.peers() {
		if _, err := n.peerCLIAt(ctx, o, p, "lifecycle", "chaincode", "install", pkgPath); err != nil {
			return fmt.Errorf("install chaincode on %s of %s: %w", p.name, o.MSPID, err)
		}
	}
	return nil
}

// approveChaincode approves the definition at sequence for o, submitted
// through via's orderer.
func (n *Network) approveChaincode(ctx context.Context, o, via Organization, packageID string, sequence int) error {
	args := append([]string{"lifecycle", "chaincode", "approveformyorg", "--package-id", packageID}, n.chaincodeDefinition(sequence)...)
	args = append(args, n.ordererFlags(via)...)
	if _, err := n.peerCLI(ctx, o, args...); err != nil {
		return fmt.Errorf("approve chaincode for %s: %w", o.MSPID, err)
	}
	return nil
}

func writePackage(path string, pkg []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, pkg, 0o644)
}
