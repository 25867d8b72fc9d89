package network

import (
	"crypto/x509"
	"encoding/json"
	"fmt"
	"os"
	"sort"
)

// Connection is what clients need to use a running network: every endpoint,
// TLS root, MSP ID and identity path. Up writes it as JSON to
// <dataDir>/connection.json.
type Connection struct {
	Name      string          `json:"name"`
	Channel   string          `json:"channel"`
	Chaincode string          `json:"chaincode"`
	DataDir   string          `json:"dataDir"`
	Orgs      []OrgConnection `json:"organizations"`
}

// OrgConnection is one administration's part of a Connection.
type OrgConnection struct {
	MSPID       string   `json:"mspId"`
	Name        string   `json:"name"`
	DisplayName string   `json:"displayName"`
	TLSRootCert string   `json:"tlsRootCert"`
	CA          Endpoint `json:"ca"`
	Orderer     Endpoint `json:"orderer"`
	Peer        Endpoint `json:"peer"`
	Chaincode   string   `json:"chaincodeAddress"`
	// Gateway is the administration's CivicLedger gRPC gateway; Operations
	// serves its Prometheus metrics.
	Gateway Endpoint            `json:"gateway"`
	Users   map[string]UserFile `json:"users"`
}

// Endpoint is a node's addresses; every gRPC or HTTPS endpoint uses the
// administration's TLSRootCert.
type Endpoint struct {
	Address    string `json:"address"`
	Admin      string `json:"adminAddress,omitempty"`
	Operations string `json:"operationsAddress"`
}

// UserFile locates an enrolled user's certificate and private key.
type UserFile struct {
	Role    string `json:"role"`
	Cert    string `json:"cert"`
	Key     string `json:"key"`
	MSPDir  string `json:"mspDir"`
	TLSCert string `json:"tlsCert,omitempty"`
	TLSKey  string `json:"tlsKey,omitempty"`
}

func (n *Network) connection() Connection {
	c := Connection{Name: n.topo.Name, Channel: n.topo.Channel, Chaincode: n.topo.Chaincode.Name, DataDir: n.layout.root}
	for _, o := range n.topo.Orgs {
		oc := OrgConnection{
			MSPID: o.MSPID, Name: o.Name, DisplayName: o.DisplayName,
			TLSRootCert: n.layout.caCert(o),
			CA:          Endpoint{Address: n.addr(o.Ports.CA), Operations: n.addr(o.Ports.CAOperations)},
			Orderer:     Endpoint{Address: n.addr(o.Ports.Orderer), Admin: n.addr(o.Ports.OrdererAdmin), Operations: n.addr(o.Ports.OrdererOps)},
			Peer:        Endpoint{Address: n.addr(o.Ports.Peer), Operations: n.addr(o.Ports.PeerOps)},
			Chaincode:   n.addr(o.Ports.Chaincode),
			Gateway:     Endpoint{Address: n.addr(o.Ports.Gateway), Operations: n.addr(o.Ports.GatewayOps)},
			Users:       map[string]UserFile{},
		}
		for _, u := range o.Users {
			id := n.layout.userID(o, u.Name)
			uf := UserFile{Role: u.Role, Cert: id.Cert(), Key: id.Key(), MSPDir: id.MSPDir()}
			if exists(id.TLSCert()) {
				uf.TLSCert, uf.TLSKey = id.TLSCert(), id.TLSKey()
			}
			oc.Users[u.Name] = uf
		}
		c.Orgs = append(c.Orgs, oc)
	}
	return c
}

// LoadConnection reads a connection file written by Up.
func LoadConnection(path string) (Connection, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Connection{}, fmt.Errorf("read connection file: %w", err)
	}
	var c Connection
	if err := json.Unmarshal(data, &c); err != nil {
		return Connection{}, fmt.Errorf("parse connection file %s: %w", path, err)
	}
	return c, nil
}

func (c Connection) write(path string) error {
	data, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return err
	}
	return writeFile(path, append(data, '\n'), 0o644)
}

// Org returns the administration with the given MSP ID.
func (c Connection) Org(mspID string) (OrgConnection, error) {
	for _, o := range c.Orgs {
		if o.MSPID == mspID {
			return o, nil
		}
	}
	return OrgConnection{}, fmt.Errorf("no administration %q in network %s", mspID, c.Name)
}

// User returns the named user's files.
func (o OrgConnection) User(name string) (UserFile, error) {
	u, ok := o.Users[name]
	if !ok {
		names := make([]string, 0, len(o.Users))
		for k := range o.Users {
			names = append(names, k)
		}
		sort.Strings(names)
		return UserFile{}, fmt.Errorf("no user %q in %s (users: %v)", name, o.MSPID, names)
	}
	return u, nil
}

// RootCertPool holds the TLS roots of every administration.
func (c Connection) RootCertPool() (*x509.CertPool, error) {
	pool := x509.NewCertPool()
	for _, o := range c.Orgs {
		pem, err := os.ReadFile(o.TLSRootCert)
		if err != nil {
			return nil, fmt.Errorf("read TLS root of %s: %w", o.MSPID, err)
		}
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("TLS root of %s holds no certificate", o.MSPID)
		}
	}
	return pool, nil
}
