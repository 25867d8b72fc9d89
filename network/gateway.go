package network

import (
	"context"
	"path/filepath"
	"time"

	"gopkg.in/yaml.v3"
)

// writeGatewayConfig writes the configuration of an administration's
// CivicLedger gateway (read by gateway/config): its TLS identity, its own
// peer, the orderers, the users folder it signs with, its CA and the CA's
// registrar (people management), its seal signer, the network's portal (its seal
// links open it), and its listen addresses.
// gatewayPeers are the peers a gateway uses, in the order it tries them:
// its administration's, peer0 first.
func (n *Network) gatewayPeers(o Organization) []map[string]string {
	var out []map[string]string
	for _, p := range o.peers() {
		out = append(out, map[string]string{"address": n.addr(o, p.port), "tlsRootCert": n.layout.caCert(o)})
	}
	return out
}

func (n *Network) writeGatewayConfig(o Organization) error {
	id := n.layout.gatewayID(o)
	seal := n.layout.sealID(o)
	reg := identity{n.layout.user(o, registrar)}
	cfg := map[string]any{
		"mspId":         o.MSPID,
		"listen":        n.listenAddr(o, o.Ports.Gateway),
		"metricsListen": n.listenAddr(o, o.Ports.GatewayOps),
		"tls":           map[string]string{"cert": id.TLSCert(), "key": id.TLSKey(), "clientCA": n.layout.caCert(o)},
		"peers":         n.gatewayPeers(o),
		"channel":       n.topo.Channel,
		"chaincode":     n.topo.Chaincode.Name,
		"users":         n.layout.usersDir(o),
		"seal":          map[string]string{"cert": seal.Cert(), "key": seal.Key()},
		"portalURL":     n.PortalURL(),
		"orderers":      n.gatewayOrderers(o),
		// PeopleService registers the administration's people at its CA as
		// the CA's registrar.
		"ca": map[string]string{
			"address": n.addr(o, o.Ports.CA), "name": caName(o), "tlsRootCert": n.layout.caCert(o),
			"registrarCert": reg.Cert(), "registrarKey": reg.Key(),
		},
	}
	data, err := yaml.Marshal(cfg)
	if err != nil {
		return err
	}
	return writeFile(filepath.Join(id.dir, "config.yaml"), data, 0o644)
}

// gatewayOrderers lists every administration's orderer, its own first, for
// MembershipService.Apply to broadcast config updates to.
func (n *Network) gatewayOrderers(own Organization) []map[string]string {
	out := []map[string]string{{"address": n.addr(own, own.Ports.Orderer), "tlsRootCert": n.layout.caCert(own)}}
	for _, o := range n.topo.Orgs {
		if o.MSPID != own.MSPID {
			out = append(out, map[string]string{"address": n.addr(o, o.Ports.Orderer), "tlsRootCert": n.layout.caCert(o)})
		}
	}
	return out
}

func (n *Network) gatewayProcess(o Organization) process {
	id := n.layout.gatewayID(o)
	return inHost(o, process{
		Name: "gateway." + o.Name,
		Bin:  n.gatewayBinary(),
		Args: []string{"--config", filepath.Join(id.dir, "config.yaml")},
		Env:  baseEnv(),
		Dir:  id.dir,
	})
}

// RestartGateway stops and starts the gateway of one administration, e.g.
// to roll out a new configuration; it returns once the gateway listens.
func (n *Network) RestartGateway(ctx context.Context, mspID string) error {
	o, err := n.org(mspID)
	if err != nil {
		return err
	}
	if err := n.layout.stop(ctx, n.gatewayProcess(o).Name, 10*time.Second); err != nil {
		return err
	}
	return n.StartGateway(ctx, mspID)
}
