package network

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
)

// registrar is the CA's bootstrap identity; it only registers the others.
const registrar = "registrar"

// Node identities registered at every administration's CA.
const (
	peerName      = "peer0"
	ordererName   = "orderer0"
	chaincodeName = "chaincode0"
	gatewayName   = "gateway0"
	// sealName signs the administration's QR seals (gateway/proofs/seal):
	// a client identity without a role, so the chaincode lets it change nothing.
	sealName = "seal0"
)

func (n *Network) caProcess(o Organization) (process, error) {
	secret, err := n.secret(o, registrar)
	if err != nil {
		return process{}, err
	}
	return process{
		Name: "ca." + o.Name,
		Bin:  n.bin("fabric-ca-server"),
		Args: []string{
			"start", "-H", n.layout.caHome(o),
			"-b", registrar + ":" + secret,
			"--address", n.topo.Host, "--port", strconv.Itoa(o.Ports.CA),
			"--tls.enabled",
			"--ca.name", caName(o),
			"--csr.cn", "ca." + o.Name,
			"--csr.hosts", "127.0.0.1,localhost",
			"--operations.listenaddress", n.addr(o.Ports.CAOperations),
		},
		Env: baseEnv(),
		Dir: n.layout.caHome(o),
	}, nil
}

// secret returns the enrolment secret of an identity, generating and storing
// it (readable by the owner only) the first time. Secrets never leave the
// network's data directory.
func (n *Network) secret(o Organization, name string) (string, error) {
	path := filepath.Join(n.layout.caHome(o), "secrets", name)
	if b, err := os.ReadFile(path); err == nil {
		return string(b), nil
	} else if !os.IsNotExist(err) {
		return "", fmt.Errorf("read secret of %s: %w", name, err)
	}
	buf := make([]byte, 16)
	if _, err := rand.Read(buf); err != nil {
		return "", fmt.Errorf("generate secret: %w", err)
	}
	s := hex.EncodeToString(buf)
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return "", fmt.Errorf("store secret: %w", err)
	}
	if err := os.WriteFile(path, []byte(s), 0o600); err != nil {
		return "", fmt.Errorf("store secret: %w", err)
	}
	return s, nil
}

// startCA starts an administration's CA and waits until it answers.
func (n *Network) startCA(ctx context.Context, o Organization) error {
	if err := os.MkdirAll(n.layout.caHome(o), 0o700); err != nil {
		return fmt.Errorf("create CA home: %w", err)
	}
	p, err := n.caProcess(o)
	if err != nil {
		return err
	}
	if err := n.layout.start(p); err != nil {
		return err
	}
	return n.waitPort(ctx, p.Name, o.Ports.CA)
}

// caName is the name of an administration's CA (--ca.name).
func caName(o Organization) string { return "ca-" + o.Name }

// caClient runs fabric-ca-client against an administration's CA.
func (n *Network) caClient(ctx context.Context, o Organization, args ...string) error {
	args = append(args, "--caname", caName(o), "--tls.certfiles", n.layout.caCert(o))
	_, err := runTool(ctx, baseEnv(), n.bin("fabric-ca-client"), args...)
	return err
}

func (n *Network) caURL(o Organization, user, secret string) string {
	return fmt.Sprintf("https://%s:%s@%s", user, secret, n.addr(o.Ports.CA))
}

// enrollOrg registers and enrols every identity of an administration: its
// peer, its orderer node, its gateway's seal signer and its users (with their `role` attribute), and
// assembles the administration's MSP folder for the channel.
func (n *Network) enrollOrg(ctx context.Context, o Organization) error {
	regHome := n.layout.user(o, registrar)
	secret, err := n.secret(o, registrar)
	if err != nil {
		return err
	}
	if err := n.caClient(ctx, o, "enroll", "-u", n.caURL(o, registrar, secret), "-H", regHome); err != nil {
		return fmt.Errorf("enrol registrar of %s: %w", o.MSPID, err)
	}
	type member struct {
		name, typ, role string
		id              identity
		tls             bool
	}
	members := []member{
		{peerName, "peer", "", n.layout.peerID(o), true},
		{ordererName, "orderer", "", n.layout.ordererID(o), true},
		{chaincodeName, "client", "", n.layout.chaincodeID(o), true},
		{gatewayName, "client", "", n.layout.gatewayID(o), true},
		{sealName, "client", "", n.layout.sealID(o), false},
	}
	if o.MSPID == n.portalHost().MSPID {
		members = append(members, member{portalName, "client", portalRole, n.layout.portalID(o), false})
	}
	for _, u := range o.Users {
		typ := "client"
		if u.Role == "admin" {
			typ = "admin"
		}
		members = append(members, member{u.Name, typ, u.Role, n.layout.userID(o, u.Name), u.Role == "admin"})
	}
	for _, m := range members {
		secret, err := n.secret(o, m.name)
		if err != nil {
			return err
		}
		reg := []string{"register", "-u", "https://" + n.addr(o.Ports.CA), "-H", regHome,
			"--id.name", m.name, "--id.secret", secret, "--id.type", m.typ}
		if m.role != "" {
			reg = append(reg, "--id.attrs", "role="+m.role+":ecert")
		}
		if err := n.caClient(ctx, o, reg...); err != nil {
			return fmt.Errorf("register %s of %s: %w", m.name, o.MSPID, err)
		}
		url := n.caURL(o, m.name, secret)
		if err := n.caClient(ctx, o, "enroll", "-u", url, "-H", m.id.dir, "-M", m.id.MSPDir()); err != nil {
			return fmt.Errorf("enrol %s of %s: %w", m.name, o.MSPID, err)
		}
		if err := normalizeMSP(m.id.MSPDir()); err != nil {
			return err
		}
		if !m.tls {
			continue
		}
		tmp := filepath.Join(m.id.dir, "tls-enroll")
		if err := n.caClient(ctx, o, "enroll", "-u", url, "-H", m.id.dir, "-M", tmp,
			"--enrollment.profile", "tls", "--csr.hosts", "127.0.0.1,localhost"); err != nil {
			return fmt.Errorf("enrol TLS certificate of %s of %s: %w", m.name, o.MSPID, err)
		}
		if err := collectTLS(tmp, m.id); err != nil {
			return err
		}
	}
	return writeOrgMSP(n.layout.orgMSP(o), n.layout.caCert(o))
}
