package network

import (
	"fmt"
	"os"
	"path/filepath"
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

// normalizeMSP gives an MSP folder written by fabric-ca-client fixed file
// names (cacerts/ca.pem, keystore/key.pem) and the NodeOUs config.
func normalizeMSP(dir string) error {
	if err := renameOnly(filepath.Join(dir, "cacerts"), "ca.pem"); err != nil {
		return err
	}
	if err := renameOnly(filepath.Join(dir, "keystore"), "key.pem"); err != nil {
		return err
	}
	if err := os.Chmod(filepath.Join(dir, "keystore", "key.pem"), 0o600); err != nil {
		return fmt.Errorf("protect key: %w", err)
	}
	return writeFile(filepath.Join(dir, "config.yaml"), []byte(nodeOUsConfig), 0o644)
}

// renameOnly renames the single file in dir to name.
func renameOnly(dir, name string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("read %s: %w", dir, err)
	}
	if len(entries) != 1 {
		return fmt.Errorf("%s: expected one file, found %d", dir, len(entries))
	}
	if entries[0].Name() == name {
		return nil
	}
	if err := os.Rename(filepath.Join(dir, entries[0].Name()), filepath.Join(dir, name)); err != nil {
		return fmt.Errorf("rename in %s: %w", dir, err)
	}
	return nil
}

// collectTLS moves a TLS enrolment into the identity's tls folder as
// server.crt, server.key and ca.crt, and removes the enrolment folder.
func collectTLS(enrolled string, id identity) error {
	if err := os.MkdirAll(id.TLSDir(), 0o700); err != nil {
		return fmt.Errorf("create tls folder: %w", err)
	}
	moves := []struct{ from, to string }{
		{filepath.Join(enrolled, "signcerts"), id.TLSCert()},
		{filepath.Join(enrolled, "keystore"), id.TLSKey()},
		{filepath.Join(enrolled, "tlscacerts"), id.TLSCA()},
	}
	for _, m := range moves {
		entries, err := os.ReadDir(m.from)
		if err != nil || len(entries) != 1 {
			return fmt.Errorf("collect TLS material from %s: expected one file (%v)", m.from, err)
		}
		if err := os.Rename(filepath.Join(m.from, entries[0].Name()), m.to); err != nil {
			return fmt.Errorf("collect TLS material: %w", err)
		}
	}
	return os.RemoveAll(enrolled)
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
