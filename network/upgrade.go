package network

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// A chaincode upgrade needs the new version running next to the committed
// one: until the new definition is committed, the peers keep executing the
// old package, and right after, the new one. Each administration therefore
// has two chaincode service slots (Ports.Chaincode and Ports.ChaincodeNext);
// a new version takes the slot the latest installed version does not use,
// and its peer finds it through a per-label address file
// (layout.chaincodeAddresses, read by the builder's release step).

// installedChaincode is a chaincode version whose package this machine's
// peers have installed and whose service it runs.
type installedChaincode struct {
	Version   string `json:"version"`
	PackageID string `json:"packageId"`
	// Slot 0 serves on Ports.Chaincode, 1 on Ports.ChaincodeNext.
	Slot int `json:"slot"`
	// Orgs are the MSP IDs of the administrations that installed it.
	Orgs []string `json:"orgs"`
}

// ChaincodeVersion is a chaincode version installed on this machine.
type ChaincodeVersion struct {
	Version, PackageID string
	Port               map[string]int // MSP ID → its chaincode service's port
}

// chaincodes are the versions installed on this machine, the one the
// network was created with first.
func (n *Network) chaincodes(st state) []installedChaincode {
	if len(st.Chaincodes) > 0 {
		return st.Chaincodes
	}
	var orgs []string
	for _, o := range st.Topology.Orgs {
		orgs = append(orgs, o.MSPID)
	}
	return []installedChaincode{{Version: st.Topology.Chaincode.Version, PackageID: st.PackageID, Orgs: orgs}}
}

// ChaincodeVersions lists the versions installed on this machine.
func (n *Network) ChaincodeVersions() ([]ChaincodeVersion, error) {
	st, err := n.readState()
	if err != nil {
		return nil, err
	}
	var out []ChaincodeVersion
	for _, ic := range n.chaincodes(st) {
		v := ChaincodeVersion{Version: ic.Version, PackageID: ic.PackageID, Port: map[string]int{}}
		for _, o := range n.topo.Orgs {
			if slices.Contains(ic.Orgs, o.MSPID) {
				v.Port[o.MSPID] = slotPort(o, ic.Slot)
			}
		}
		out = append(out, v)
	}
	return out, nil
}

func slotPort(o Organization, slot int) int {
	if slot == 1 {
		return o.Ports.ChaincodeNext
	}
	return o.Ports.Chaincode
}

// InstallChaincodeVersion builds the chaincode of the repository as
// version, packages it (label <name>_<version>), starts its service for
// each administration of mspIDs (all when empty) on the free slot and
// installs the package on their peers. Installing a version again for
// more administrations is allowed; the package id is the same. It returns
// the package id, which the upgrade proposal names.
func (n *Network) InstallChaincodeVersion(ctx context.Context, version string, mspIDs []string) (string, error) {
	st, err := n.readState()
	if err != nil {
		return "", err
	}
	orgs, err := n.selectOrgs(mspIDs)
	if err != nil {
		return "", err
	}
	installed := n.chaincodes(st)
	i := slices.IndexFunc(installed, func(ic installedChaincode) bool { return ic.Version == version })
	if i < 0 {
		// The new version takes the slot the committed version does not
		// use; whatever other version held it (an older one, or one
		// installed but never committed) gives it up.
		def, err := n.committedDefinition(ctx, n.topo.Orgs[0])
		if err != nil {
			return "", err
		}
		slot := 1 - installed[len(installed)-1].Slot
		if c := slices.IndexFunc(installed, func(ic installedChaincode) bool { return ic.Version == def.Version }); c >= 0 {
			slot = 1 - installed[c].Slot
		}
		installed = slices.DeleteFunc(installed, func(ic installedChaincode) bool {
			if ic.Slot != slot {
				return false
			}
			for _, o := range n.topo.Orgs {
				_ = n.layout.stop(ctx, chaincodeProcessName(o, slot), 10*time.Second)
			}
			return true
		})
		installed = append(installed, installedChaincode{Version: version, Slot: slot})
		i = len(installed) - 1
	}
	ic := &installed[i]
	label := n.topo.Chaincode.Name + "_" + version
	pkg, packageID, err := n.packageLabelled(label)
	if err != nil {
		return "", err
	}
	ic.PackageID = packageID
	pkgPath := filepath.Join(n.layout.chaincodeDir(), label+".tar.gz")
	if err := writePackage(pkgPath, pkg); err != nil {
		return "", err
	}
	if err := n.buildChaincodeVersion(ctx, version); err != nil {
		return "", err
	}
	n.logf("installing %s (%s) on slot %d", label, packageID, ic.Slot)
	err = eachOf(orgs, func(o Organization) error {
		addr := filepath.Join(n.layout.chaincodeAddresses(o), label)
		if err := writeFile(addr, []byte(n.addr(o, slotPort(o, ic.Slot))), 0o644); err != nil {
			return err
		}
		p := n.chaincodeService(o, *ic)
		if _, running := n.layout.running(p.Name); !running {
			if err := n.startListening(ctx, []listening{{p, n.addr(o, slotPort(o, ic.Slot))}}); err != nil {
				return err
			}
		}
		if err := n.installChaincode(ctx, o, pkgPath); err != nil && !strings.Contains(err.Error(), "already successfully installed") {
			return err
		}
		return nil
	})
	for _, o := range orgs {
		if err == nil && !slices.Contains(ic.Orgs, o.MSPID) {
			ic.Orgs = append(ic.Orgs, o.MSPID)
		}
	}
	if err != nil {
		return "", fmt.Errorf("install chaincode %s: %w", version, err)
	}
	st.Chaincodes = installed
	if err := n.writeState(st); err != nil {
		return "", err
	}
	return packageID, nil
}

// selectOrgs are the administrations of mspIDs, all when it is empty.
func (n *Network) selectOrgs(mspIDs []string) ([]Organization, error) {
	if len(mspIDs) == 0 {
		return n.topo.Orgs, nil
	}
	var out []Organization
	for _, id := range mspIDs {
		o, err := n.org(id)
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, nil
}

// buildChaincodeVersion compiles the repository's chaincode as the binary
// of version.
func (n *Network) buildChaincodeVersion(ctx context.Context, version string) error {
	if err := os.MkdirAll(filepath.Dir(n.chaincodeBinaryOf(version)), 0o755); err != nil {
		return err
	}
	cmd := exec.CommandContext(ctx, "go", "build", "-o", n.chaincodeBinaryOf(version), n.topo.Chaincode.Package)
	cmd.Dir = n.repoRoot
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("build chaincode %s: %w\n%s", version, err, out)
	}
	return nil
}

// chaincodeBinaryOf is the binary of version: the one built at start-up
// for the network's own version.
func (n *Network) chaincodeBinaryOf(version string) string {
	if version == n.topo.Chaincode.Version {
		return n.chaincodeBinary()
	}
	return n.chaincodeBinary() + "-" + version
}

// chaincodeProcessName names the chaincode service of o in slot.
func chaincodeProcessName(o Organization, slot int) string {
	if slot == 1 {
		return "chaincode." + o.Name + ".next"
	}
	return "chaincode." + o.Name
}

// chaincodeServices are the services of o's installed chaincode versions.
func (n *Network) chaincodeServices(st state, o Organization) []listening {
	var out []listening
	for _, ic := range n.chaincodes(st) {
		if slices.Contains(ic.Orgs, o.MSPID) {
			out = append(out, listening{n.chaincodeService(o, ic), n.addr(o, slotPort(o, ic.Slot))})
		}
	}
	return out
}

// StopChaincodeVersion stops the services of version on this machine and
// forgets it, once a newer definition is committed and no peer executes it
// any more (or it was installed but never committed). The committed
// version cannot be stopped.
func (n *Network) StopChaincodeVersion(ctx context.Context, version string) error {
	st, err := n.readState()
	if err != nil {
		return err
	}
	installed := n.chaincodes(st)
	i := slices.IndexFunc(installed, func(ic installedChaincode) bool { return ic.Version == version })
	if i < 0 {
		return fmt.Errorf("chaincode version %s is not installed on this machine", version)
	}
	def, err := n.committedDefinition(ctx, n.topo.Orgs[0])
	if err != nil {
		return err
	}
	if def.Version == version {
		return fmt.Errorf("chaincode version %s is the committed one (sequence %d): the peers run it; commit a newer one first", version, def.Sequence)
	}
	for _, o := range n.topo.Orgs {
		if err := n.layout.stop(ctx, chaincodeProcessName(o, installed[i].Slot), 10*time.Second); err != nil {
			return err
		}
	}
	st.Chaincodes = slices.Delete(installed, i, i+1)
	return n.writeState(st)
}
