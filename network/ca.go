package network

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	gwidentity "github.com/hyperledger/fabric-gateway/pkg/identity"

	"github.com/civicledger/civicledger/gateway/ca"
)

// registrar is the CA's bootstrap identity; it only registers the others.
const registrar = "registrar"

// Node identities registered at every administration's CA.
const (
	peerName      = "peer0"
	peer1Name     = "peer1"
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
	return inHost(o, process{
		Name: "ca." + o.Name,
		Bin:  n.bin("fabric-ca-server"),
		Args: []string{
			"start", "-H", n.layout.caHome(o),
			"-b", registrar + ":" + secret,
			"--address", n.listenHost(o), "--port", strconv.Itoa(o.Ports.CA),
			"--tls.enabled",
			"--ca.name", caName(o),
			"--csr.cn", "ca." + o.Name,
			"--csr.hosts", n.tlsHosts(o, "ca"),
			"--operations.listenaddress", n.listenAddr(o, o.Ports.CAOperations),
		},
		Env: baseEnv(),
		Dir: n.layout.caHome(o),
	}), nil
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
	if err := n.setUpHost(ctx, o); err != nil {
		return err
	}
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
	return n.waitPort(ctx, p.Name, n.addr(o, o.Ports.CA))
}

// caName is the name of an administration's CA (--ca.name).
func caName(o Organization) string { return "ca-" + o.Name }

// enrollOrg registers and enrols every identity of an administration at its
// CA: its peers, its orderer node, its chaincode service, its gateway and
// its gateway's seal signer, the portal's identity at the portal's
// administration, and its users (with their `role` attribute); then it
// assembles the administration's MSP folder for the channel. It speaks the
// CA's REST API from this process, every identity at once, rather than
// running fabric-ca-client twice or three times an identity, one after
// another (docs/benchmarks.md, "Start-up time"). Each key is made here and
// never leaves the identity's folder.
func (n *Network) enrollOrg(ctx context.Context, o Organization) error {
	addr, name, root := n.addr(o, o.Ports.CA), caName(o), n.layout.caCert(o)
	anyone, err := ca.New(addr, name, root)
	if err != nil {
		return err
	}
	secret, err := n.secret(o, registrar)
	if err != nil {
		return err
	}
	regID := identity{n.layout.user(o, registrar)}
	reg, err := anyone.EnrollNewKey(ctx, ca.KeyRequest{ID: registrar, Secret: secret})
	if err != nil {
		return fmt.Errorf("enrol registrar of %s: %w", o.MSPID, err)
	}
	if err := writeMSP(regID, reg); err != nil {
		return err
	}
	key, err := gwidentity.PrivateKeyFromPEM(reg.Key)
	if err != nil {
		return err
	}
	registrarClient, err := ca.New(addr, name, root, ca.WithRegistrarKey(reg.Cert, key))
	if err != nil {
		return err
	}
	type member struct {
		name, typ, role string
		id              identity
		tls             bool
		node            string // its DNS name between containers
	}
	members := []member{
		{peerName, "peer", "", n.layout.peerID(o), true, peerName},
		{ordererName, "orderer", "", n.layout.ordererID(o), true, ordererName},
		{chaincodeName, "client", "", n.layout.chaincodeID(o), true, chaincodeName},
		{gatewayName, "client", "", n.layout.gatewayID(o), true, gatewayName},
		{sealName, "client", "", n.layout.sealID(o), false, sealName},
	}
	for _, p := range o.peers()[1:] {
		members = append(members, member{p.name, "peer", "", n.layout.peerNodeID(o, p), true, p.name})
	}
	if o.MSPID == n.portalHost().MSPID {
		members = append(members, member{portalName, "client", portalRole, n.layout.portalID(o), false, portalName})
	}
	for _, u := range o.Users {
		typ := "client"
		if u.Role == "admin" {
			typ = "admin"
		}
		members = append(members, member{u.Name, typ, u.Role, n.layout.userID(o, u.Name), u.Role == "admin", u.Name})
	}
	errs := make([]error, len(members))
	var wg sync.WaitGroup
	for i, m := range members {
		wg.Go(func() {
			errs[i] = func() error {
				secret, err := n.secret(o, m.name)
				if err != nil {
					return err
				}
				r := ca.Registration{ID: m.name, Type: m.typ, Secret: secret}
				if m.role != "" {
					r.Attributes = []ca.Attribute{{Name: "role", Value: m.role, ECert: true}}
				}
				if _, err := registrarClient.Register(ctx, r); err != nil {
					return fmt.Errorf("register %s of %s: %w", m.name, o.MSPID, err)
				}
				e, err := anyone.EnrollNewKey(ctx, ca.KeyRequest{ID: m.name, Secret: secret})
				if err != nil {
					return fmt.Errorf("enrol %s of %s: %w", m.name, o.MSPID, err)
				}
				if err := writeMSP(m.id, e); err != nil {
					return err
				}
				if !m.tls {
					return nil
				}
				// The TLS certificate is asked for as the identity just
				// enrolled, so the CA checks a signature, not the secret's
				// bcrypt hash again.
				key, err := gwidentity.PrivateKeyFromPEM(e.Key)
				if err != nil {
					return err
				}
				self, err := ca.New(addr, name, root, ca.WithRegistrarKey(e.Cert, key))
				if err != nil {
					return err
				}
				t, err := self.ReenrollNewKey(ctx, ca.KeyRequest{ID: m.name, Profile: "tls",
					Hosts: strings.Split(n.tlsHosts(o, m.node), ",")})
				if err != nil {
					return fmt.Errorf("enrol TLS certificate of %s of %s: %w", m.name, o.MSPID, err)
				}
				return writeTLS(m.id, t)
			}()
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return err
	}
	return writeOrgMSP(n.layout.orgMSP(o), n.layout.caCert(o))
}
