package server

import (
	"context"
	"crypto/rand"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/civicledger/civicledger/chaincode/spec"
	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
	"github.com/civicledger/civicledger/gateway/ca"
)

// peopleService serves PeopleService: the administration's admins register,
// suspend, reinstate, revoke and rotate its people at its Fabric CA, which
// is the only record of who they are and of their status (people_status.go
// reads it back for every call a person makes).
type peopleService struct {
	apiv1.UnimplementedPeopleServiceServer
	dir *people
}

// Identity attributes the gateway keeps at the CA. role goes into the
// person's certificates, where the chaincode reads it; the others stay at
// the CA.
const (
	attrRole   = "role"
	attrPerson = "civic.person"
	attrStatus = "civic.status"
)

// Person statuses.
const (
	statusActive    = "active"
	statusSuspended = "suspended"
	statusRevoked   = "revoked"
)

var staffIDPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{2,63}$`)

var personRoles = map[string]bool{"clerk": true, "approver": true, "admin": true}

func (s *peopleService) enabled(ctx context.Context) error {
	if u := caller(ctx); u == nil || u.Role != spec.RoleAdmin {
		return status.Error(codes.PermissionDenied, "only an admin of the administration manages its people: the caller's role is not admin")
	}
	if s.dir == nil {
		return status.Error(codes.FailedPrecondition, "this gateway has no certificate authority configured (ca in its configuration): it manages no people")
	}
	return nil
}

func checkStaffID(id string) error {
	if !staffIDPattern.MatchString(id) {
		return status.Errorf(codes.InvalidArgument,
			"staff_id %q: 3 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit (a staff identifier, not a name: it is public on the ledger)", id)
	}
	return nil
}

func (s *peopleService) AddPerson(ctx context.Context, req *apiv1.AddPersonRequest) (*apiv1.EnrolmentSecret, error) {
	if err := s.enabled(ctx); err != nil {
		return nil, err
	}
	if err := checkStaffID(req.GetStaffId()); err != nil {
		return nil, err
	}
	if !personRoles[req.GetRole()] {
		return nil, status.Errorf(codes.InvalidArgument, "role %q is not one of clerk, approver, admin", req.GetRole())
	}
	typ := "client"
	if req.GetRole() == "admin" {
		typ = "admin" // the MSP's admin OU, as the network's own admins
	}
	secret, err := s.dir.reg.Register(ctx, ca.Registration{
		ID: req.GetStaffId(), Type: typ, MaxEnrollments: 1,
		Attributes: []ca.Attribute{
			{Name: attrRole, Value: req.GetRole(), ECert: true},
			{Name: attrPerson, Value: "true"},
			{Name: attrStatus, Value: statusActive},
		},
	})
	if ca.Exists(err) {
		return nil, status.Errorf(codes.AlreadyExists, "%s is already registered at %s's CA", req.GetStaffId(), s.dir.mspID)
	}
	if err != nil {
		return nil, s.dir.caError(err)
	}
	s.dir.forget(req.GetStaffId())
	return s.dir.secret(&apiv1.Person{StaffId: req.GetStaffId(), Role: req.GetRole(), Status: statusActive}, secret), nil
}

func (s *peopleService) ListPeople(ctx context.Context, _ *apiv1.ListPeopleRequest) (*apiv1.ListPeopleResponse, error) {
	if err := s.enabled(ctx); err != nil {
		return nil, err
	}
	ids, err := s.dir.reg.Identities(ctx)
	if err != nil {
		return nil, s.dir.caError(err)
	}
	out := &apiv1.ListPeopleResponse{}
	for _, id := range ids {
		if id.Attr(attrPerson) == "true" {
			out.People = append(out.People, personOf(id))
		}
	}
	sort.Slice(out.People, func(i, j int) bool { return out.People[i].StaffId < out.People[j].StaffId })
	return out, nil
}

func personOf(id ca.Identity) *apiv1.Person {
	st := id.Attr(attrStatus)
	if st == "" {
		st = statusActive
	}
	return &apiv1.Person{StaffId: id.ID, Role: id.Attr(attrRole), Status: st}
}

// person returns the registered person staffID, or NotFound.
func (s *peopleService) person(ctx context.Context, staffID string) (*apiv1.Person, ca.Identity, error) {
	if err := checkStaffID(staffID); err != nil {
		return nil, ca.Identity{}, err
	}
	id, err := s.dir.reg.GetIdentity(ctx, staffID)
	if ca.NotFound(err) || (err == nil && id.Attr(attrPerson) != "true") {
		return nil, ca.Identity{}, status.Errorf(codes.NotFound, "no person %s at %s's CA", staffID, s.dir.mspID)
	}
	if err != nil {
		return nil, ca.Identity{}, s.dir.caError(err)
	}
	return personOf(id), id, nil
}

// unrevoked returns the registered person staffID, refusing one already
// revoked (FailedPrecondition, "<staffID> <revoked>").
func (s *peopleService) unrevoked(ctx context.Context, staffID, revoked string) (*apiv1.Person, ca.Identity, error) {
	if err := s.enabled(ctx); err != nil {
		return nil, ca.Identity{}, err
	}
	p, id, err := s.person(ctx, staffID)
	if err != nil {
		return nil, ca.Identity{}, err
	}
	if p.Status == statusRevoked {
		return nil, ca.Identity{}, status.Errorf(codes.FailedPrecondition, "%s %s", staffID, revoked)
	}
	return p, id, nil
}

// writeStatus records status st of p at the CA; this gateway applies it at
// once.
func (s *peopleService) writeStatus(ctx context.Context, p *apiv1.Person, st string) error {
	if err := s.dir.reg.ModifyIdentity(ctx, p.StaffId, ca.Modification{Attributes: []ca.Attribute{{Name: attrStatus, Value: st}}}); err != nil {
		return s.dir.caError(err)
	}
	s.dir.forget(p.StaffId)
	p.Status = st
	return nil
}

// setStatus moves a person that is not revoked to status st.
func (s *peopleService) setStatus(ctx context.Context, staffID, st string) (*apiv1.Person, error) {
	p, _, err := s.unrevoked(ctx, staffID, "is revoked: a revocation is final")
	if err != nil {
		return nil, err
	}
	return p, s.writeStatus(ctx, p, st)
}

func (s *peopleService) SuspendPerson(ctx context.Context, req *apiv1.PersonRequest) (*apiv1.Person, error) {
	return s.setStatus(ctx, req.GetStaffId(), statusSuspended)
}

func (s *peopleService) ReinstatePerson(ctx context.Context, req *apiv1.PersonRequest) (*apiv1.Person, error) {
	return s.setStatus(ctx, req.GetStaffId(), statusActive)
}

func (s *peopleService) RevokePerson(ctx context.Context, req *apiv1.PersonRequest) (*apiv1.Person, error) {
	p, _, err := s.unrevoked(ctx, req.GetStaffId(), "is already revoked")
	if err != nil {
		return nil, err
	}
	// The status first: from then on the gateway refuses the person even if
	// the CA's revocation below fails half-way.
	if err := s.writeStatus(ctx, p, statusRevoked); err != nil {
		return nil, err
	}
	if _, err := s.dir.reg.Revoke(ctx, ca.Revocation{ID: p.StaffId, Reason: "cessationofoperation", GenCRL: true}); err != nil {
		return nil, s.dir.caError(err)
	}
	s.dir.forgetCRL()
	return p, nil
}

func (s *peopleService) RotatePerson(ctx context.Context, req *apiv1.PersonRequest) (*apiv1.EnrolmentSecret, error) {
	p, id, err := s.unrevoked(ctx, req.GetStaffId(), "is revoked: a revocation is final")
	if err != nil {
		return nil, err
	}
	if err := s.revokeCertificates(ctx, p.StaffId); err != nil {
		return nil, err
	}
	secret, err := newSecret()
	if err != nil {
		return nil, status.Error(codes.Internal, "cannot generate a secret")
	}
	max := id.MaxEnrollments
	if max > 0 {
		max++ // one more enrolment, with the new secret
	}
	if err := s.dir.reg.ModifyIdentity(ctx, p.StaffId, ca.Modification{Secret: secret, MaxEnrollments: max}); err != nil {
		return nil, s.dir.caError(err)
	}
	s.dir.forget(p.StaffId)
	return s.dir.secret(p, secret), nil
}

// revokeCertificates revokes every certificate the CA issued to staffID
// that is neither expired nor already revoked.
func (s *peopleService) revokeCertificates(ctx context.Context, staffID string) error {
	pems, err := s.dir.reg.Certificates(ctx, staffID)
	if err != nil {
		return s.dir.caError(err)
	}
	for _, raw := range pems {
		b, _ := pem.Decode(raw)
		if b == nil {
			continue
		}
		cert, err := x509.ParseCertificate(b.Bytes)
		if err != nil {
			continue
		}
		_, err = s.dir.reg.Revoke(ctx, ca.Revocation{
			Serial: fmt.Sprintf("%x", cert.SerialNumber), AKI: hex.EncodeToString(cert.AuthorityKeyId), Reason: "superseded",
		})
		if err != nil && !alreadyRevoked(err) {
			return s.dir.caError(err)
		}
	}
	s.dir.forgetCRL()
	return nil
}

func alreadyRevoked(err error) bool {
	var e *ca.Error
	return errors.As(err, &e) && strings.Contains(e.Message, "already revoked")
}

func newSecret() (string, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return hex.EncodeToString(b), nil
}
