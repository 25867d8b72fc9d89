package network

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
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
	e, err := n.newEnroller(ctx, o)
	if err != nil {
		return err
	}
	if err := e.enroll(ctx, n.members(o)); err != nil {
		return err
	}
	return writeOrgMSP(n.layout.orgMSP(o), n.layout.caCert(o))
}

// member is an identity registered and enrolled at its administration's CA.
type member struct {
	name, typ, role string
	id              identity
	tls             bool
	node            string // its DNS name between containers
	user            bool   // one of the topology's users
}

// Enrolment stages: what an identity is first needed for. Create enrols
// each stage as late as it can, so that the CAs' bcrypt work for the later
// ones runs while the channel is made.
const (
	// forChannel: the peers and the orderer (their certificates go into
	// the nodes and the genesis block) and the admins (who join the nodes
	// and deploy the chaincode).
	forChannel = iota
	// forServices: the chaincode service, the gateway, its seal signer and
	// the portal.
	forServices
	// forUsers: the other users (clerks, approvers), needed once the
	// network is up.
	forUsers
)

// stage is when create needs m enrolled.
func (m member) stage() int {
	switch {
	case m.typ == "peer" || m.typ == "orderer" || m.typ == "admin":
		return forChannel
	case m.user:
		return forUsers
	}
	return forServices
}

// membersAt are the identities of o that stage needs.
func (n *Network) membersAt(o Organization, stage int) []member {
	return slices.DeleteFunc(n.members(o), func(m member) bool { return m.stage() != stage })
}

// members are the identities of an administration.
func (n *Network) members(o Organization) []member {
	members := []member{
		{peerName, "peer", "", n.layout.peerID(o), true, peerName, false},
		{ordererName, "orderer", "", n.layout.ordererID(o), true, ordererName, false},
		{chaincodeName, "client", "", n.layout.chaincodeID(o), true, chaincodeName, false},
		{gatewayName, "client", "", n.layout.gatewayID(o), true, gatewayName, false},
		{sealName, "client", "", n.layout.sealID(o), false, sealName, false},
	}
	for _, p := range o.peers()[1:] {
		members = append(members, member{p.name, "peer", "", n.layout.peerNodeID(o, p), true, p.name, false})
	}
	if o.MSPID == n.portalHost().MSPID {
		members = append(members, member{portalName, "client", portalRole, n.layout.portalID(o), false, portalName, false})
	}
	for _, u := range o.Users {
		typ := "client"
		if u.Role == "admin" {
			typ = "admin"
		}
		members = append(members, member{u.Name, typ, u.Role, n.layout.userID(o, u.Name), u.Role == "admin", u.Name, true})
	}
	return members
}

// enroller registers and enrols the identities of one administration, as
// its CA's registrar.
type enroller struct {
	n                 *Network
	o                 Organization
	addr, name, root  string
	anyone, registrar *ca.Client
}

// newEnroller enrols the registrar of o's CA.
func (n *Network) newEnroller(ctx context.Context, o Organization) (*enroller, error) {
	e := &enroller{n: n, o: o, addr: n.addr(o, o.Ports.CA), name: caName(o), root: n.layout.caCert(o)}
	var err error
	if e.anyone, err = ca.New(e.addr, e.name, e.root); err != nil {
		return nil, err
	}
	secret, err := n.secret(o, registrar)
	if err != nil {
		return nil, err
	}
	reg, err := e.anyone.EnrollNewKey(ctx, ca.KeyRequest{ID: registrar, Secret: secret})
	if err != nil {
		return nil, fmt.Errorf("enrol registrar of %s: %w", o.MSPID, err)
	}
	if err := writeMSP(identity{n.layout.user(o, registrar)}, reg); err != nil {
		return nil, err
	}
	if e.registrar, err = e.client(reg); err != nil {
		return nil, err
	}
	return e, nil
}

// client is a client of the CA that signs as the enrolled identity.
func (e *enroller) client(en ca.Enrolled) (*ca.Client, error) {
	key, err := gwidentity.PrivateKeyFromPEM(en.Key)
	if err != nil {
		return nil, err
	}
	return ca.New(e.addr, e.name, e.root, ca.WithRegistrarKey(en.Cert, key))
}

// enroll registers and enrols the members, all at once, and writes their
// MSP (and TLS) folders.
func (e *enroller) enroll(ctx context.Context, members []member) error {
	errs := make([]error, len(members))
	var wg sync.WaitGroup
	for i, m := range members {
		wg.Go(func() { errs[i] = e.enrollMember(ctx, m) })
	}
	wg.Wait()
	return errors.Join(errs...)
}

func (e *enroller) enrollMember(ctx context.Context, m member) error {
	o := e.o
	secret, err := e.n.secret(o, m.name)
	if err != nil {
		return err
	}
	r := ca.Registration{ID: m.name, Type: m.typ, Secret: secret}
	if m.role != "" {
		r.Attributes = []ca.Attribute{{Name: "role", Value: m.role, ECert: true}}
	}
	if _, err := e.registrar.Register(ctx, r); err != nil {
		return fmt.Errorf("register %s of %s: %w", m.name, o.MSPID, err)
	}
	en, err := e.anyone.EnrollNewKey(ctx, ca.KeyRequest{ID: m.name, Secret: secret})
	if err != nil {
		return fmt.Errorf("enrol %s of %s: %w", m.name, o.MSPID, err)
	}
	if err := writeMSP(m.id, en); err != nil {
		return err
	}
	if !m.tls {
		return nil
	}
	// The TLS certificate is asked for as the identity just enrolled, so
	// the CA checks a signature, not the secret's bcrypt hash again.
	self, err := e.client(en)
	if err != nil {
		return err
	}
	t, err := self.ReenrollNewKey(ctx, ca.KeyRequest{ID: m.name, Profile: "tls",
		Hosts: strings.Split(e.n.tlsHosts(o, m.node), ",")})
	if err != nil {
		return fmt.Errorf("enrol TLS certificate of %s of %s: %w", m.name, o.MSPID, err)
	}
	return writeTLS(m.id, t)
}
