package network

import (
	"context"
	"net"
	"path/filepath"
	"strconv"
	"time"

	"gopkg.in/yaml.v3"
)

// portalPackage is the transparency portal's program, built with the
// gateway.
const portalPackage = "./gateway/cmd/civicportal"

// portalName is the portal's identity, registered at the first
// administration's CA with role "portal": the chaincode refuses it every
// write, so the portal can read and do nothing else.
const portalName = "portal0"

// portalRole is the role attribute of the portal's identity.
const portalRole = "portal"

// portalHost is the administration that runs the network's one portal:
// the first one.
func (n *Network) portalHost() Organization { return n.topo.Orgs[0] }

// PortalURL is the address of the network's transparency portal, which the
// gateways' seal links open: at its administration's host, the address
// people reach, also when the nodes reach each other by DNS names in
// containers (where it is the published port).
func (n *Network) PortalURL() string {
	o := n.portalHost()
	return "http://" + net.JoinHostPort(n.host(o), strconv.Itoa(o.Ports.Portal))
}

func (n *Network) portalBinary() string {
	return filepath.Join(n.layout.chaincodeDir(), "bin", "civicportal")
}

// hasPortal reports whether the portal's identity was enrolled: a network
// created before the portal existed has none, and runs without it.
func (n *Network) hasPortal() bool {
	return exists(n.layout.portalID(n.portalHost()).Cert())
}

// writePortalConfig writes the portal's configuration (read by
// gateway/config, Portal): its identity, its host's peer, its index file
// and its listen address.
func (n *Network) writePortalConfig() error {
	o := n.portalHost()
	id := n.layout.portalID(o)
	cfg := map[string]any{
		"listen":    n.listenAddr(o, o.Ports.Portal),
		"baseURL":   n.PortalURL(),
		"mspId":     o.MSPID,
		"identity":  map[string]string{"cert": id.Cert(), "key": id.Key()},
		"peers":     []map[string]string{{"address": n.addr(o, o.Ports.Peer), "tlsRootCert": n.layout.caCert(o)}},
		"channel":   n.topo.Channel,
		"chaincode": n.topo.Chaincode.Name,
		"index":     n.PortalIndex(),
	}
	data, err := yaml.Marshal(cfg)
	if err != nil {
		return err
	}
	return writeFile(filepath.Join(id.dir, "config.yaml"), data, 0o644)
}

func (n *Network) portalProcess() process {
	id := n.layout.portalID(n.portalHost())
	return inHost(n.portalHost(), process{
		Name: "portal." + n.portalHost().Name,
		Bin:  n.portalBinary(),
		Args: []string{"--config", filepath.Join(id.dir, "config.yaml")},
		Env:  baseEnv(),
		Dir:  id.dir,
	})
}

// startPortal starts the portal, when its identity exists, and waits until
// it listens.
func (n *Network) startPortal(ctx context.Context) error {
	if !n.hasPortal() {
		n.logf("  no portal identity in this data directory (created before the portal): portal not started")
		return nil
	}
	if err := n.writePortalConfig(); err != nil {
		return err
	}
	return n.startListening(ctx, []listening{{n.portalProcess(), n.addr(n.portalHost(), n.portalHost().Ports.Portal)}})
}

// StopPortal stops the portal (its index stays); StartPortal starts it
// again, and it resumes from its checkpoint.
func (n *Network) StopPortal(ctx context.Context) error {
	return n.layout.stop(ctx, n.portalProcess().Name, 10*time.Second)
}

// StartPortal starts the portal and returns once it listens.
func (n *Network) StartPortal(ctx context.Context) error { return n.startPortal(ctx) }

// PortalIndex is the path of the portal's SQLite index.
func (n *Network) PortalIndex() string {
	return n.portalIndex(n.layout.portalID(n.portalHost()).dir)
}
