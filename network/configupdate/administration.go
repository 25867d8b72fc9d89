package configupdate

import (
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"net"
	"strconv"
)

// Refusals a caller branches on; each is wrapped with the detail.
var (
	// ErrInvalidAdministration: the newcomer's description is incomplete or
	// malformed (InvalidArgument).
	ErrInvalidAdministration = errors.New("invalid administration")
	// ErrDuplicateAdministration: the MSP ID, or an endpoint, is already in
	// the channel (AlreadyExists or FailedPrecondition).
	ErrDuplicateAdministration = errors.New("administration already in the channel")
	// ErrUnknownAdministration: no member has that MSP ID (NotFound or
	// InvalidArgument).
	ErrUnknownAdministration = errors.New("no such administration in the channel")
	// ErrTooFewAdministrations: the removal would leave fewer than
	// MinAdministrations members (FailedPrecondition).
	ErrTooFewAdministrations = errors.New("too few administrations would remain")
	// ErrQuorumLoss: the Raft consenter set would lose its quorum
	// (FailedPrecondition).
	ErrQuorumLoss = errors.New("raft consenters would lose quorum")
	// ErrStaleUpdate: the update was computed against another configuration
	// than the current one; it must be computed again (FailedPrecondition).
	ErrStaleUpdate = errors.New("config update does not apply to the current configuration")
	// ErrInvalidUpdate: the bytes are not a config update of this channel
	// (InvalidArgument).
	ErrInvalidUpdate = errors.New("invalid config update")
)

// MinAdministrations is the fewest members the network keeps: with fewer,
// MAJORITY means every one of them and one withdrawal stops the network.
const MinAdministrations = 3

// Endpoint is a host and port.
type Endpoint struct {
	Host string `json:"host"`
	Port int    `json:"port"`
}

func (e Endpoint) String() string { return net.JoinHostPort(e.Host, strconv.Itoa(e.Port)) }

func (e Endpoint) validate(what string) error {
	if e.Host == "" || e.Port <= 0 || e.Port > 65535 {
		return fmt.Errorf("%w: %s %q needs a host and a port in 1-65535", ErrInvalidAdministration, what, e.String())
	}
	return nil
}

// Consenter is the newcomer's Raft node: its cluster endpoint and the TLS
// certificates (PEM) it authenticates with.
type Consenter struct {
	Endpoint
	ClientTLSCert []byte `json:"clientTlsCert"`
	ServerTLSCert []byte `json:"serverTlsCert"`
}

// Administration describes a newcomer as its join request does: its MSP
// (root and TLS root CA certificates, PEM), its anchor peer, its orderer
// endpoint and its consenter. Its MSP classifies identities by node OUs as
// the existing members' do (network/msp.go).
type Administration struct {
	MSPID           string    `json:"mspId"`
	RootCerts       [][]byte  `json:"rootCerts"`
	TLSRootCerts    [][]byte  `json:"tlsRootCerts"`
	AnchorPeer      Endpoint  `json:"anchorPeer"`
	OrdererEndpoint Endpoint  `json:"ordererEndpoint"`
	Consenter       Consenter `json:"consenter"`
}

// parsed is an Administration with its certificates decoded.
type parsed struct {
	Administration
	roots, tlsRoots      []*x509.Certificate
	clientTLS, serverTLS *x509.Certificate
}

// parse validates the description and decodes its certificates.
func (a Administration) parse() (*parsed, error) {
	if a.MSPID == "" {
		return nil, fmt.Errorf("%w: the MSP ID is empty", ErrInvalidAdministration)
	}
	for what, e := range map[string]Endpoint{"anchor peer": a.AnchorPeer, "orderer endpoint": a.OrdererEndpoint, "consenter": a.Consenter.Endpoint} {
		if err := e.validate(what); err != nil {
			return nil, fmt.Errorf("%s: %w", a.MSPID, err)
		}
	}
	p := &parsed{Administration: a}
	var err error
	if p.roots, err = certs("root CA certificate", a.RootCerts); err != nil {
		return nil, fmt.Errorf("%s: %w", a.MSPID, err)
	}
	if p.tlsRoots, err = certs("TLS root CA certificate", a.TLSRootCerts); err != nil {
		return nil, fmt.Errorf("%s: %w", a.MSPID, err)
	}
	if p.clientTLS, err = cert("consenter client TLS certificate", a.Consenter.ClientTLSCert); err != nil {
		return nil, fmt.Errorf("%s: %w", a.MSPID, err)
	}
	if p.serverTLS, err = cert("consenter server TLS certificate", a.Consenter.ServerTLSCert); err != nil {
		return nil, fmt.Errorf("%s: %w", a.MSPID, err)
	}
	return p, nil
}

func certs(what string, pems [][]byte) ([]*x509.Certificate, error) {
	if len(pems) == 0 {
		return nil, fmt.Errorf("%w: no %s", ErrInvalidAdministration, what)
	}
	out := make([]*x509.Certificate, 0, len(pems))
	for _, p := range pems {
		c, err := cert(what, p)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

func cert(what string, p []byte) (*x509.Certificate, error) {
	b, _ := pem.Decode(p)
	if b == nil || b.Type != "CERTIFICATE" {
		return nil, fmt.Errorf("%w: the %s is not a PEM certificate", ErrInvalidAdministration, what)
	}
	c, err := x509.ParseCertificate(b.Bytes)
	if err != nil {
		return nil, fmt.Errorf("%w: parse the %s: %w", ErrInvalidAdministration, what, err)
	}
	return c, nil
}
