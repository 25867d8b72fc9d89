// Package network starts, stops and inspects a CivicLedger network: one
// Fabric CA, one Raft orderer and one peer per administration, a channel
// created through the channel participation API, and the CivicLedger
// chaincode running as a service next to each peer. Everything it needs is
// described by a Topology; identities come from the CAs and are generated
// when the network is first started.
package network

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	"os"
	"regexp"
	"slices"
	"time"

	"gopkg.in/yaml.v3"
)

// Topology describes a network: its administrations, where its data lives,
// which ports it uses and how the channel orders transactions.
type Topology struct {
	Name    string `yaml:"name"`
	Channel string `yaml:"channel"`
	DataDir string `yaml:"dataDir"`
	Host    string `yaml:"host"`
	// Hosts is "" (every administration on this host, at Host) or
	// "namespaces": each administration in its own Linux network namespace
	// with its own address, as if on its own host (hosts.go).
	Hosts     string         `yaml:"hosts"`
	PortBase  int            `yaml:"portBase"`
	Batch     Batch          `yaml:"batch"`
	Chaincode Chaincode      `yaml:"chaincode"`
	Orgs      []Organization `yaml:"organizations"`
}

// Batch holds the orderer's block-cutting settings.
type Batch struct {
	Timeout     Duration `yaml:"timeout"`
	MaxMessages int      `yaml:"maxMessages"`
}

// Chaincode names the chaincode deployed at start-up and the Go packages the
// chaincode service and the gateway are built from, relative to the
// repository root.
type Chaincode struct {
	Name    string `yaml:"name"`
	Version string `yaml:"version"`
	Package string `yaml:"package"`
	Gateway string `yaml:"gateway"`
}

// Organization is one administration: it runs one CA, one orderer and one
// peer, and enrols the listed users.
type Organization struct {
	MSPID       string `yaml:"mspId"`
	Name        string `yaml:"name"`
	DisplayName string `yaml:"displayName"`
	Kind        string `yaml:"kind"`
	Contact     string `yaml:"contact"`
	Ports       Ports  `yaml:"ports"`
	Users       []User `yaml:"users"`
	// Host is the address the administration's nodes listen on and are
	// reached at; empty for the topology's Host. Namespace is the network
	// namespace they run in, when the topology puts each administration on
	// its own host (Hosts: namespaces); both are then assigned (hosts.go).
	Host      string `yaml:"host,omitempty"`
	Namespace string `yaml:"namespace,omitempty"`
	// Peers is how many peers the administration runs: 1 (the default) or
	// 2, for a gateway that fails over (peers.go).
	Peers int `yaml:"peers,omitempty"`
}

// User is an identity enrolled at start-up; Role becomes the `role`
// attribute of its certificate, which the chaincode checks.
type User struct {
	Name string `yaml:"name"`
	Role string `yaml:"role"`
}

// Ports lists every port an administration listens on. Zero values are
// derived from the topology's portBase and the administration's position.
type Ports struct {
	CA            int `yaml:"ca"`
	CAOperations  int `yaml:"caOperations"`
	Orderer       int `yaml:"orderer"`
	OrdererAdmin  int `yaml:"ordererAdmin"`
	OrdererOps    int `yaml:"ordererOperations"`
	Peer          int `yaml:"peer"`
	PeerChaincode int `yaml:"peerChaincode"`
	PeerOps       int `yaml:"peerOperations"`
	Chaincode     int `yaml:"chaincode"`
	Gateway       int `yaml:"gateway"`
	GatewayOps    int `yaml:"gatewayMetrics"`
	// Portal is the transparency portal's HTTP port; only the first
	// administration runs the portal.
	Portal int `yaml:"portal"`
	// ChaincodeNext is the second chaincode service slot: a new chaincode
	// version installed for an upgrade runs there while the committed one
	// keeps serving on the other slot (InstallChaincodeVersion).
	ChaincodeNext int `yaml:"chaincodeNext"`
	// Peer1, Peer1Chaincode and Peer1Ops are the second peer's, used when
	// the administration has `peers: 2` (peers.go).
	Peer1          int `yaml:"peer1"`
	Peer1Chaincode int `yaml:"peer1Chaincode"`
	Peer1Ops       int `yaml:"peer1Operations"`
}

// portsPerOrg is the size of the block of ports each administration gets
// when its ports are derived from portBase.
const portsPerOrg = 20

// Duration is a time.Duration written as "200ms" in YAML.
type Duration time.Duration

// UnmarshalYAML parses a Go duration string.
func (d *Duration) UnmarshalYAML(n *yaml.Node) error {
	v, err := time.ParseDuration(n.Value)
	if err != nil {
		return fmt.Errorf("line %d: %q is not a duration such as 200ms: %w", n.Line, n.Value, err)
	}
	*d = Duration(v)
	return nil
}

// MarshalYAML writes the duration as a Go duration string.
func (d Duration) MarshalYAML() (any, error) { return time.Duration(d).String(), nil }

// Roles that a user's `role` attribute may take.
var Roles = []string{"clerk", "approver", "admin"}

// DefaultTopology is the three-administration network that scripts/up.sh
// starts when no topology file is given. Its ports are derived from
// PortBase when the network is created (New), so a caller may change
// PortBase first.
func DefaultTopology() Topology {
	users := []User{{"admin", "admin"}, {"clerk", "clerk"}, {"approver", "approver"}}
	return Topology{
		Name:     "civicledger",
		Channel:  "civic",
		DataDir:  ".civicledger",
		Host:     "127.0.0.1",
		PortBase: 7000,
		Batch:    Batch{Timeout: Duration(200 * time.Millisecond), MaxMessages: 500},
		Chaincode: Chaincode{
			Name: "civic", Version: "1.0", Package: "./chaincode/cmd/civicledger",
			Gateway: "./gateway/cmd/civicgw",
		},
		Orgs: []Organization{
			{MSPID: "RegistryMSP", Name: "registry", DisplayName: "Registry of Certified Documents", Kind: "agency", Contact: "registry@example.org", Users: users},
			{MSPID: "TreasuryMSP", Name: "treasury", DisplayName: "Treasury", Kind: "ministry", Contact: "treasury@example.org", Users: users},
			{MSPID: "CouncilMSP", Name: "council", DisplayName: "Council Secretariat", Kind: "city", Contact: "council@example.org", Users: users},
		},
	}
}

// LoadTopology reads a topology file, fills in defaults and validates it.
// Unknown fields are errors, so a misspelt setting is never silently ignored.
func LoadTopology(path string) (Topology, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Topology{}, fmt.Errorf("read topology: %w", err)
	}
	return ParseTopology(data)
}

// ParseTopology decodes, completes and validates a YAML topology.
func ParseTopology(data []byte) (Topology, error) {
	var t Topology
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&t); err != nil {
		return Topology{}, fmt.Errorf("topology: %w", err)
	}
	t.applyDefaults()
	if err := t.Validate(); err != nil {
		return Topology{}, err
	}
	return t, nil
}

func (t *Topology) applyDefaults() {
	def := DefaultTopology()
	if t.Name == "" {
		t.Name = def.Name
	}
	if t.Channel == "" {
		t.Channel = def.Channel
	}
	if t.DataDir == "" {
		t.DataDir = def.DataDir
	}
	if t.Host == "" {
		t.Host = def.Host
	}
	if t.PortBase == 0 {
		t.PortBase = def.PortBase
	}
	if t.Batch.Timeout == 0 {
		t.Batch.Timeout = def.Batch.Timeout
	}
	if t.Batch.MaxMessages == 0 {
		t.Batch.MaxMessages = def.Batch.MaxMessages
	}
	if t.Chaincode.Name == "" {
		t.Chaincode = def.Chaincode
	}
	if t.Chaincode.Gateway == "" {
		t.Chaincode.Gateway = def.Chaincode.Gateway
	}
	for i := range t.Orgs {
		o := &t.Orgs[i]
		if len(o.Users) == 0 {
			o.Users = slices.Clone(def.Orgs[0].Users)
		}
		o.Ports.derive(t.PortBase + i*portsPerOrg)
		t.placeOrg(o, i)
	}
}

func (p *Ports) derive(base int) {
	for i, f := range p.fields() {
		if *f.port == 0 {
			*f.port = base + i
		}
	}
}

type portField struct {
	name string
	port *int
}

func (p *Ports) fields() []portField {
	return []portField{
		{"ca", &p.CA}, {"caOperations", &p.CAOperations},
		{"orderer", &p.Orderer}, {"ordererAdmin", &p.OrdererAdmin}, {"ordererOperations", &p.OrdererOps},
		{"peer", &p.Peer}, {"peerChaincode", &p.PeerChaincode}, {"peerOperations", &p.PeerOps},
		{"chaincode", &p.Chaincode},
		{"gateway", &p.Gateway}, {"gatewayMetrics", &p.GatewayOps},
		{"portal", &p.Portal},
		// Added last, so that the ports derived before it keep their
		// numbers.
		{"chaincodeNext", &p.ChaincodeNext},
		{"peer1", &p.Peer1}, {"peer1Chaincode", &p.Peer1Chaincode}, {"peer1Operations", &p.Peer1Ops},
	}
}

var (
	mspIDPattern = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9.-]{0,63}$`)
	namePattern  = regexp.MustCompile(`^[a-z][a-z0-9-]{0,30}$`)
	chanPattern  = regexp.MustCompile(`^[a-z][a-z0-9.-]{0,248}$`)
)

// Validate checks the topology before anything is started; each error names
// the field at fault.
func (t Topology) Validate() error {
	var errs []error
	fail := func(format string, a ...any) { errs = append(errs, fmt.Errorf(format, a...)) }
	if !namePattern.MatchString(t.Name) {
		fail("name: %q must be lowercase letters, digits and dashes", t.Name)
	}
	if !chanPattern.MatchString(t.Channel) {
		fail("channel: %q is not a valid channel name (lowercase letters, digits, dots and dashes)", t.Channel)
	}
	if t.Host != "127.0.0.1" && t.Host != "localhost" {
		fail("host: %q is not supported; nodes listen on 127.0.0.1", t.Host)
	}
	if t.Hosts != "" && t.Hosts != HostsNamespaces {
		fail("hosts: %q is not one of \"\" (one host) or %q", t.Hosts, HostsNamespaces)
	}
	if time.Duration(t.Batch.Timeout) < 10*time.Millisecond || time.Duration(t.Batch.Timeout) > 10*time.Second {
		fail("batch.timeout: %s must be between 10ms and 10s", time.Duration(t.Batch.Timeout))
	}
	if t.Batch.MaxMessages < 1 || t.Batch.MaxMessages > 10000 {
		fail("batch.maxMessages: %d must be between 1 and 10000", t.Batch.MaxMessages)
	}
	if !namePattern.MatchString(t.Chaincode.Name) {
		fail("chaincode.name: %q must be lowercase letters, digits and dashes", t.Chaincode.Name)
	}
	if t.Chaincode.Version == "" {
		fail("chaincode.version: must not be empty")
	}
	if len(t.Orgs) < 1 {
		fail("organizations: at least one administration is required")
	}
	mspIDs := map[string]int{}
	names := map[string]int{}
	ports := map[int]string{}
	for i, o := range t.Orgs {
		field := fmt.Sprintf("organizations[%d]", i)
		if !mspIDPattern.MatchString(o.MSPID) {
			fail("%s.mspId: %q must start with a letter and hold only letters, digits, dots and dashes", field, o.MSPID)
		} else if j, dup := mspIDs[o.MSPID]; dup {
			fail("%s.mspId: %q is already used by organizations[%d]", field, o.MSPID, j)
		}
		mspIDs[o.MSPID] = i
		if !namePattern.MatchString(o.Name) {
			fail("%s.name: %q must be lowercase letters, digits and dashes", field, o.Name)
		} else if j, dup := names[o.Name]; dup {
			fail("%s.name: %q is already used by organizations[%d]", field, o.Name, j)
		}
		names[o.Name] = i
		if o.DisplayName == "" {
			fail("%s.displayName: must not be empty", field)
		}
		if o.Namespace != "" && (t.Hosts != HostsNamespaces || net.ParseIP(o.Host).To4() == nil) {
			fail("%s.namespace: %q needs hosts: %s and an IPv4 host address, got host %q", field, o.Namespace, HostsNamespaces, o.Host)
		}
		if o.Peers < 0 || o.Peers > 2 {
			fail("%s.peers: %d must be 1 or 2", field, o.Peers)
		}
		errs = append(errs, validateUsers(field, o.Users)...)
		for _, p := range o.Ports.fields() {
			pf := fmt.Sprintf("%s.ports.%s", field, p.name)
			if *p.port < 1024 || *p.port > 65535 {
				fail("%s: %d is outside 1024-65535", pf, *p.port)
				continue
			}
			if other, clash := ports[*p.port]; clash {
				fail("%s: port %d is already used by %s", pf, *p.port, other)
			}
			ports[*p.port] = pf
		}
	}
	return errors.Join(errs...)
}

func validateUsers(field string, users []User) []error {
	var errs []error
	seen := map[string]bool{}
	hasAdmin := false
	for j, u := range users {
		uf := fmt.Sprintf("%s.users[%d]", field, j)
		if !namePattern.MatchString(u.Name) {
			errs = append(errs, fmt.Errorf("%s.name: %q must be lowercase letters, digits and dashes", uf, u.Name))
		}
		if seen[u.Name] {
			errs = append(errs, fmt.Errorf("%s.name: %q is listed twice", uf, u.Name))
		}
		seen[u.Name] = true
		if !validRole(u.Role) {
			errs = append(errs, fmt.Errorf("%s.role: %q is not one of %v", uf, u.Role, Roles))
		}
		hasAdmin = hasAdmin || u.Role == "admin"
	}
	if !hasAdmin {
		errs = append(errs, fmt.Errorf("%s.users: needs at least one user with role admin", field))
	}
	return errs
}

func validRole(r string) bool {
	for _, x := range Roles {
		if r == x {
			return true
		}
	}
	return false
}
