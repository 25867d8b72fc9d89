package server

import (
	"context"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"sync"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
	"github.com/civicledger/civicledger/gateway/ca"
)

// registry is the administration's Fabric CA as people management uses it
// (*ca.Client).
type registry interface {
	Register(ctx context.Context, r ca.Registration) (string, error)
	GetIdentity(ctx context.Context, id string) (ca.Identity, error)
	Identities(ctx context.Context) ([]ca.Identity, error)
	ModifyIdentity(ctx context.Context, id string, m ca.Modification) error
	Revoke(ctx context.Context, r ca.Revocation) (ca.Revoked, error)
	CRL(ctx context.Context) ([]byte, error)
	Certificates(ctx context.Context, id string) ([][]byte, error)
}

var _ registry = (*ca.Client)(nil)

// people is the administration's register of people, kept at its CA: the
// gateway asks it whether a personal certificate may still act, and keeps
// the answer (and the CA's CRL) for ttl, so a suspension or a revocation
// made anywhere takes effect within ttl.
type people struct {
	reg               registry
	mspID             string
	caAddress, caName string
	ttl               time.Duration
	now               func() time.Time

	mu     sync.Mutex
	status map[string]cachedStatus // by staff ID
	crl    map[string]bool         // revoked serial numbers (hex)
	crlAt  time.Time
}

type cachedStatus struct {
	person bool // registered by PeopleService
	status string
	at     time.Time
}

func newPeople(reg registry, mspID, caAddress, caName string, ttl time.Duration) *people {
	return &people{reg: reg, mspID: mspID, caAddress: caAddress, caName: caName, ttl: ttl, now: time.Now,
		status: map[string]cachedStatus{}}
}

func (p *people) secret(person *apiv1.Person, secret string) *apiv1.EnrolmentSecret {
	return &apiv1.EnrolmentSecret{Person: person, Secret: secret, CaAddress: p.caAddress, CaName: p.caName, MspId: p.mspID}
}

// forget drops what is known of staffID, so the next call asks the CA.
func (p *people) forget(staffID string) {
	p.mu.Lock()
	delete(p.status, staffID)
	p.mu.Unlock()
}

// forgetCRL makes the next check fetch the CRL again.
func (p *people) forgetCRL() {
	p.mu.Lock()
	p.crl = nil
	p.mu.Unlock()
}

// caError maps a CA failure to a status: the CA's refusal of what the
// gateway asked is the gateway's fault or the CA's state, not the caller's.
func (p *people) caError(err error) error {
	var e *ca.Error
	if errors.As(err, &e) {
		return status.Errorf(codes.FailedPrecondition, "%s's certificate authority refused: %s", p.mspID, e.Message)
	}
	return status.Errorf(codes.Unavailable, "%s's certificate authority cannot be reached: %v", p.mspID, err)
}

// check tells whether the personal certificate cert may act: its owner is a
// person of the administration, neither suspended nor revoked, and cert is
// not on the CA's revocation list. Refusals are PermissionDenied.
func (p *people) check(ctx context.Context, cert *x509.Certificate) error {
	staffID := cert.Subject.CommonName
	st, err := p.statusOf(ctx, staffID)
	if err != nil {
		return err
	}
	switch {
	case !st.person:
		return status.Errorf(codes.PermissionDenied, "certificate %q does not belong to a user or a person of %s", staffID, p.mspID)
	case st.status == statusSuspended:
		return status.Errorf(codes.PermissionDenied, "%s is suspended by %s's administrators", staffID, p.mspID)
	case st.status == statusRevoked:
		return status.Errorf(codes.PermissionDenied, "%s was revoked by %s's administrators", staffID, p.mspID)
	}
	revoked, err := p.revoked(ctx)
	if err != nil {
		return err
	}
	if revoked[cert.SerialNumber.Text(16)] {
		return status.Errorf(codes.PermissionDenied, "this certificate of %s was revoked (rotated or revoked); enrol again with a new secret", staffID)
	}
	return nil
}

func (p *people) statusOf(ctx context.Context, staffID string) (cachedStatus, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if st, ok := p.status[staffID]; ok && p.now().Sub(st.at) < p.ttl {
		return st, nil
	}
	id, err := p.reg.GetIdentity(ctx, staffID)
	st := cachedStatus{at: p.now()}
	switch {
	case ca.NotFound(err):
	case err != nil:
		return cachedStatus{}, status.Errorf(codes.Unavailable, "cannot check %s's status at %s's certificate authority: %v", staffID, p.mspID, err)
	default:
		st.person = id.Attr(attrPerson) == "true"
		st.status = personOf(id).Status
	}
	p.status[staffID] = st
	return st, nil
}

// revoked returns the serial numbers on the CA's CRL.
func (p *people) revoked(ctx context.Context) (map[string]bool, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.crl != nil && p.now().Sub(p.crlAt) < p.ttl {
		return p.crl, nil
	}
	raw, err := p.reg.CRL(ctx)
	if err != nil {
		return nil, status.Errorf(codes.Unavailable, "cannot read %s's certificate revocation list: %v", p.mspID, err)
	}
	der := raw
	if b, _ := pem.Decode(raw); b != nil {
		der = b.Bytes
	}
	crl, err := x509.ParseRevocationList(der)
	if err != nil {
		return nil, status.Errorf(codes.Unavailable, "%s's certificate revocation list is unreadable: %v", p.mspID, err)
	}
	serials := make(map[string]bool, len(crl.RevokedCertificateEntries))
	for _, e := range crl.RevokedCertificateEntries {
		serials[e.SerialNumber.Text(16)] = true
	}
	p.crl, p.crlAt = serials, p.now()
	return serials, nil
}
