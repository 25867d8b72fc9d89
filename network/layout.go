package network

import (
	"os"
	"path/filepath"
)

// layout names every file and folder of a network's data directory, so that
// no other code builds paths by hand.
//
//	<root>/orgs/<org>/ca            Fabric CA server home
//	<root>/orgs/<org>/msp           the administration's MSP as the channel sees it
//	<root>/orgs/<org>/users/<user>  enrolled users: msp/ and tls/
//	<root>/orgs/<org>/peer          peer identity, config/ and data/
//	<root>/orgs/<org>/orderer       orderer identity, config/ and data/
//	<root>/channel                  configtx.yaml and the genesis block
//	<root>/chaincode                chaincode package and binary
//	<root>/builders/ccaas           the external builder the peers use
//	<root>/logs, <root>/run         process logs and pid files
//	<root>/connection.json          endpoints and identities for clients
type layout struct{ root string }

func newLayout(dataDir string) (layout, error) {
	abs, err := filepath.Abs(dataDir)
	if err != nil {
		return layout{}, err
	}
	return layout{root: abs}, nil
}

func (l layout) org(o Organization) string            { return filepath.Join(l.root, "orgs", o.Name) }
func (l layout) caHome(o Organization) string         { return filepath.Join(l.org(o), "ca") }
func (l layout) caCert(o Organization) string         { return filepath.Join(l.caHome(o), "ca-cert.pem") }
func (l layout) orgMSP(o Organization) string         { return filepath.Join(l.org(o), "msp") }
func (l layout) user(o Organization, n string) string { return filepath.Join(l.org(o), "users", n) }
func (l layout) node(o Organization, kind string) string {
	return filepath.Join(l.org(o), kind)
}
func (l layout) channelDir() string     { return filepath.Join(l.root, "channel") }
func (l layout) genesisBlock() string   { return filepath.Join(l.channelDir(), "genesis.block") }
func (l layout) chaincodeDir() string   { return filepath.Join(l.root, "chaincode") }
func (l layout) builderDir() string     { return filepath.Join(l.root, "builders", "ccaas") }
func (l layout) connectionFile() string { return filepath.Join(l.root, "connection.json") }
func (l layout) stateFile() string      { return filepath.Join(l.root, "network.json") }

// identity is where an enrolled identity keeps its signing and TLS material.
type identity struct{ dir string }

func (i identity) MSPDir() string  { return filepath.Join(i.dir, "msp") }
func (i identity) Cert() string    { return filepath.Join(i.dir, "msp", "signcerts", "cert.pem") }
func (i identity) Key() string     { return filepath.Join(i.dir, "msp", "keystore", "key.pem") }
func (i identity) TLSDir() string  { return filepath.Join(i.dir, "tls") }
func (i identity) TLSCert() string { return filepath.Join(i.dir, "tls", "server.crt") }
func (i identity) TLSKey() string  { return filepath.Join(i.dir, "tls", "server.key") }
func (i identity) TLSCA() string   { return filepath.Join(i.dir, "tls", "ca.crt") }

func (l layout) peerID(o Organization) identity    { return identity{l.node(o, "peer")} }
func (l layout) ordererID(o Organization) identity { return identity{l.node(o, "orderer")} }
func (l layout) chaincodeID(o Organization) identity {
	return identity{l.node(o, "chaincode")}
}

// chaincodeAddresses holds, for an administration's peer, one file per
// chaincode package label installed for an upgrade, with the address of
// its chaincode service (the builder's release step reads it).
func (l layout) chaincodeAddresses(o Organization) string {
	return filepath.Join(l.node(o, "peer"), "chaincode-addresses")
}
func (l layout) gatewayID(o Organization) identity { return identity{l.node(o, "gateway")} }
func (l layout) sealID(o Organization) identity    { return identity{l.node(o, "seal")} }
func (l layout) portalID(o Organization) identity  { return identity{l.node(o, "portal")} }
func (l layout) usersDir(o Organization) string    { return filepath.Join(l.org(o), "users") }
func (l layout) userID(o Organization, n string) identity {
	return identity{l.user(o, n)}
}

// exists reports whether path exists.
func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
