// Package connfile is the connection file a running network's clients read:
// every endpoint, TLS root, MSP ID and identity path, as JSON. The network
// harness (package network) writes it; ledgerctl, civicbench and the tests
// read it without depending on the harness that starts Fabric processes.
package connfile

import (
	"crypto/x509"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Connection is what clients need to use a running network: every endpoint,
// TLS root, MSP ID and identity path. network.Up writes it to
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
	// CAName is the CA's name (fabric-ca-server --ca.name), which a person
	// enrolling there names (ledgerctl people enroll).
	CAName    string   `json:"caName,omitempty"`
	Orderer   Endpoint `json:"orderer"`
	Peer      Endpoint `json:"peer"`
	Chaincode string   `json:"chaincodeAddress"`
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

// Load reads a connection file.
func Load(path string) (Connection, error) {
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

// Write writes c to path as indented JSON, creating its folder.
func (c Connection) Write(path string) error {
	data, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return fmt.Errorf("encode connection file: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("create folder for %s: %w", path, err)
	}
	if err := os.WriteFile(path, append(data, '\n'), 0o644); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
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

// OrgByName finds an administration by MSP ID or short name, ignoring case.
func (c Connection) OrgByName(name string) (OrgConnection, error) {
	for _, o := range c.Orgs {
		if strings.EqualFold(o.MSPID, name) || strings.EqualFold(o.Name, name) {
			return o, nil
		}
	}
	return c.Org(name)
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
