package network

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/civicledger/civicledger/gateway/ca"
)

// nodeOUsConfig makes the MSP classify identities by the OU that Fabric CA
// writes from the registered type (client, peer, admin, orderer), so no
// admincerts folder is needed.
const nodeOUsConfig = `NodeOUs:
  Enable: true
  ClientOUIdentifier:
    Certificate: cacerts/ca.pem
    OrganizationalUnitIdentifier: client
  PeerOUIdentifier:
    Certificate: cacerts/ca.pem
    OrganizationalUnitIdentifier: peer
  AdminOUIdentifier:
    Certificate: cacerts/ca.pem
    OrganizationalUnitIdentifier: admin
  OrdererOUIdentifier:
    Certificate: cacerts/ca.pem
    OrganizationalUnitIdentifier: orderer
`

// writeMSP writes an identity's MSP folder from its enrolment: its
// certificate, its key (readable by its owner only), the CA's certificate
// and the NodeOUs config.
func writeMSP(id identity, e ca.Enrolled) error {
	dir := id.MSPDir()
	for _, f := range []struct {
		path string
		data []byte
		perm os.FileMode
	}{
		{id.Cert(), e.Cert, 0o644},
		{id.Key(), e.Key, 0o600},
		{filepath.Join(dir, "cacerts", "ca.pem"), e.Chain, 0o644},
		{filepath.Join(dir, "config.yaml"), []byte(nodeOUsConfig), 0o644},
	} {
		if err := writeFile(f.path, f.data, f.perm); err != nil {
			return err
		}
	}
	return nil
}

// writeTLS writes an identity's TLS folder from its TLS enrolment: the
// certificate and key as server.crt and server.key (a server's or a
// client's), and the CA's certificate as ca.crt.
func writeTLS(id identity, e ca.Enrolled) error {
	for _, f := range []struct {
		path string
		data []byte
		perm os.FileMode
	}{
		{id.TLSCert(), e.Cert, 0o644},
		{id.TLSKey(), e.Key, 0o600},
		{id.TLSCA(), e.Chain, 0o644},
	} {
		if err := writeFile(f.path, f.data, f.perm); err != nil {
			return err
		}
	}
	return nil
}

// writeOrgMSP writes the administration's MSP as the channel configuration
// holds it: the CA certificate as identity and TLS root, and NodeOUs.
func writeOrgMSP(dir, caCert string) error {
	pem, err := os.ReadFile(caCert)
	if err != nil {
		return fmt.Errorf("read CA certificate: %w", err)
	}
	for _, sub := range []string{"cacerts", "tlscacerts"} {
		if err := writeFile(filepath.Join(dir, sub, "ca.pem"), pem, 0o644); err != nil {
			return err
		}
	}
	return writeFile(filepath.Join(dir, "config.yaml"), []byte(nodeOUsConfig), 0o644)
}

// writeFile writes data to path, creating its folder.
func writeFile(path string, data []byte, perm os.FileMode) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("create folder for %s: %w", path, err)
	}
	if err := os.WriteFile(path, data, perm); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
