package server

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
	"github.com/civicledger/civicledger/gateway/ca"
)

// fakeRegistry is a CA's identity register in memory.
type fakeRegistry struct {
	mu      sync.Mutex
	ids     map[string]*ca.Identity
	certs   map[string][][]byte
	revoked []*big.Int
	calls   int // GetIdentity calls
	crls    int // CRL calls
	down    bool
}

func newFakeRegistry() *fakeRegistry {
	return &fakeRegistry{ids: map[string]*ca.Identity{"peer0": {ID: "peer0", Type: "peer"}}, certs: map[string][][]byte{}}
}

func (f *fakeRegistry) Register(_ context.Context, r ca.Registration) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, ok := f.ids[r.ID]; ok {
		return "", &ca.Error{Status: 409, Code: 74, Message: "Identity '" + r.ID + "' is already registered"}
	}
	f.ids[r.ID] = &ca.Identity{ID: r.ID, Type: r.Type, Attributes: r.Attributes, MaxEnrollments: r.MaxEnrollments}
	return "s3cret", nil
}

func (f *fakeRegistry) GetIdentity(_ context.Context, id string) (ca.Identity, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	if f.down {
		return ca.Identity{}, context.DeadlineExceeded
	}
	i, ok := f.ids[id]
	if !ok {
		return ca.Identity{}, &ca.Error{Status: 404, Code: 63, Message: "Failed to get User"}
	}
	return *i, nil
}

func (f *fakeRegistry) Identities(context.Context) ([]ca.Identity, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []ca.Identity
	for _, i := range f.ids {
		out = append(out, *i)
	}
	return out, nil
}

func (f *fakeRegistry) ModifyIdentity(_ context.Context, id string, m ca.Modification) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	i := f.ids[id]
	for _, a := range m.Attributes {
		set := false
		for k := range i.Attributes {
			if i.Attributes[k].Name == a.Name {
				i.Attributes[k], set = a, true
			}
		}
		if !set {
			i.Attributes = append(i.Attributes, a)
		}
	}
	if m.MaxEnrollments != 0 {
		i.MaxEnrollments = m.MaxEnrollments
	}
	return nil
}

func (f *fakeRegistry) Revoke(_ context.Context, r ca.Revocation) (ca.Revoked, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, raw := range f.certs[r.ID] {
		b, _ := pem.Decode(raw)
		c, _ := x509.ParseCertificate(b.Bytes)
		f.revoked = append(f.revoked, c.SerialNumber)
	}
	if r.Serial != "" {
		s, _ := new(big.Int).SetString(r.Serial, 16)
		f.revoked = append(f.revoked, s)
	}
	return ca.Revoked{}, nil
}

func (f *fakeRegistry) CRL(context.Context) ([]byte, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.crls++
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	issuer := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "ca"}, KeyUsage: x509.KeyUsageCRLSign, SubjectKeyId: []byte{1}}
	var entries []x509.RevocationListEntry
	for _, s := range f.revoked {
		entries = append(entries, x509.RevocationListEntry{SerialNumber: s, RevocationTime: time.Now()})
	}
	der, err := x509.CreateRevocationList(rand.Reader, &x509.RevocationList{Number: big.NewInt(1), RevokedCertificateEntries: entries,
		ThisUpdate: time.Now(), NextUpdate: time.Now().Add(time.Hour)}, issuer, key)
	return pem.EncodeToMemory(&pem.Block{Type: "X509 CRL", Bytes: der}), err
}

func (f *fakeRegistry) Certificates(_ context.Context, id string) ([][]byte, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.certs[id], nil
}

// issue gives staffID a certificate with the given serial.
func (f *fakeRegistry) issue(t *testing.T, staffID string, serial int64) *x509.Certificate {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(serial), Subject: pkix.Name{CommonName: staffID},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), AuthorityKeyId: []byte{1, 2}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	require.NoError(t, err)
	cert, err := x509.ParseCertificate(der)
	require.NoError(t, err)
	f.mu.Lock()
	f.certs[staffID] = append(f.certs[staffID], pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))
	f.mu.Unlock()
	return cert
}

func newTestPeople(reg registry, now *time.Time) *people {
	p := newPeople(reg, "RegistryMSP", "127.0.0.1:7054", "ca-registry", 2*time.Second)
	p.now = func() time.Time { return *now }
	return p
}

func requireStatus(t *testing.T, err error, code codes.Code, contains string) {
	t.Helper()
	require.Equal(t, code, status.Code(err), "%v", err)
	require.Contains(t, status.Convert(err).Message(), contains)
}

func TestPeopleService(t *testing.T) {
	now := time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)
	reg := newFakeRegistry()
	svc := &peopleService{dir: newTestPeople(reg, &now)}
	admin := asAdminOf("RegistryMSP")

	t.Run("an admin adds a person with a role and gets a one-time secret", func(t *testing.T) {
		resp, err := svc.AddPerson(admin, &apiv1.AddPersonRequest{StaffId: "R-0001", Role: "clerk"})
		require.NoError(t, err)
		require.Equal(t, "s3cret", resp.Secret)
		require.Equal(t, "ca-registry", resp.CaName)
		id := reg.ids["R-0001"]
		require.Equal(t, 1, id.MaxEnrollments)
		require.Contains(t, id.Attributes, ca.Attribute{Name: "role", Value: "clerk", ECert: true})
		require.Equal(t, "true", id.Attr(attrPerson))
	})
	t.Run("an admin person is registered with the admin type", func(t *testing.T) {
		_, err := svc.AddPerson(admin, &apiv1.AddPersonRequest{StaffId: "R-0002", Role: "admin"})
		require.NoError(t, err)
		require.Equal(t, "admin", reg.ids["R-0002"].Type)
	})
	t.Run("bad input and duplicates are refused with clear codes", func(t *testing.T) {
		_, err := svc.AddPerson(admin, &apiv1.AddPersonRequest{StaffId: "Jane Doe", Role: "clerk"})
		requireStatus(t, err, codes.InvalidArgument, "not a name")
		_, err = svc.AddPerson(admin, &apiv1.AddPersonRequest{StaffId: "R-0003", Role: "mayor"})
		requireStatus(t, err, codes.InvalidArgument, "mayor")
		_, err = svc.AddPerson(admin, &apiv1.AddPersonRequest{StaffId: "R-0001", Role: "clerk"})
		requireStatus(t, err, codes.AlreadyExists, "R-0001")
		_, err = svc.SuspendPerson(admin, &apiv1.PersonRequest{StaffId: "peer0"})
		requireStatus(t, err, codes.NotFound, "no person peer0")
	})
	t.Run("only an admin manages people", func(t *testing.T) {
		_, err := svc.ListPeople(asClerk(), &apiv1.ListPeopleRequest{})
		requireStatus(t, err, codes.PermissionDenied, "admin")
		_, err = (&peopleService{}).ListPeople(admin, &apiv1.ListPeopleRequest{})
		requireStatus(t, err, codes.FailedPrecondition, "no certificate authority")
	})
	t.Run("the list holds people only, sorted", func(t *testing.T) {
		resp, err := svc.ListPeople(admin, &apiv1.ListPeopleRequest{})
		require.NoError(t, err)
		require.Equal(t, []*apiv1.Person{{StaffId: "R-0001", Role: "clerk", Status: "active"}, {StaffId: "R-0002", Role: "admin", Status: "active"}}, resp.People)
	})
	t.Run("suspend, reinstate, revoke; a revocation is final", func(t *testing.T) {
		p, err := svc.SuspendPerson(admin, &apiv1.PersonRequest{StaffId: "R-0001"})
		require.NoError(t, err)
		require.Equal(t, "suspended", p.Status)
		p, err = svc.ReinstatePerson(admin, &apiv1.PersonRequest{StaffId: "R-0001"})
		require.NoError(t, err)
		require.Equal(t, "active", p.Status)
		p, err = svc.RevokePerson(admin, &apiv1.PersonRequest{StaffId: "R-0001"})
		require.NoError(t, err)
		require.Equal(t, "revoked", p.Status)
		_, err = svc.ReinstatePerson(admin, &apiv1.PersonRequest{StaffId: "R-0001"})
		requireStatus(t, err, codes.FailedPrecondition, "final")
		_, err = svc.RevokePerson(admin, &apiv1.PersonRequest{StaffId: "R-0001"})
		requireStatus(t, err, codes.FailedPrecondition, "already revoked")
		_, err = svc.RotatePerson(admin, &apiv1.PersonRequest{StaffId: "R-0001"})
		requireStatus(t, err, codes.FailedPrecondition, "final")
	})
	t.Run("a rotation revokes the current certificates and allows one more enrolment", func(t *testing.T) {
		cert := reg.issue(t, "R-0002", 77)
		resp, err := svc.RotatePerson(admin, &apiv1.PersonRequest{StaffId: "R-0002"})
		require.NoError(t, err)
		require.Len(t, resp.Secret, 32)
		require.Equal(t, 2, reg.ids["R-0002"].MaxEnrollments)
		require.Contains(t, reg.revoked, cert.SerialNumber)
	})
}

func TestPeopleCheck(t *testing.T) {
	now := time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)
	reg := newFakeRegistry()
	dir := newTestPeople(reg, &now)
	svc := &peopleService{dir: dir}
	admin := asAdminOf("RegistryMSP")
	_, err := svc.AddPerson(admin, &apiv1.AddPersonRequest{StaffId: "R-0001", Role: "clerk"})
	require.NoError(t, err)
	cert := reg.issue(t, "R-0001", 10)

	t.Run("an active person is admitted, and the CA asked once per TTL", func(t *testing.T) {
		require.NoError(t, dir.check(context.Background(), cert))
		calls := reg.calls
		require.NoError(t, dir.check(context.Background(), cert))
		require.Equal(t, calls, reg.calls)
		now = now.Add(3 * time.Second)
		require.NoError(t, dir.check(context.Background(), cert))
		require.Equal(t, calls+1, reg.calls)
	})
	t.Run("a suspension made elsewhere takes effect once the TTL passed", func(t *testing.T) {
		require.NoError(t, reg.ModifyIdentity(context.Background(), "R-0001", ca.Modification{Attributes: []ca.Attribute{{Name: attrStatus, Value: statusSuspended}}}))
		require.NoError(t, dir.check(context.Background(), cert), "within the TTL the gateway trusts its last answer")
		now = now.Add(3 * time.Second)
		requireStatus(t, dir.check(context.Background(), cert), codes.PermissionDenied, "R-0001 is suspended")
	})
	t.Run("a suspension through this gateway takes effect at once", func(t *testing.T) {
		_, err := svc.ReinstatePerson(admin, &apiv1.PersonRequest{StaffId: "R-0001"})
		require.NoError(t, err)
		require.NoError(t, dir.check(context.Background(), cert))
		_, err = svc.SuspendPerson(admin, &apiv1.PersonRequest{StaffId: "R-0001"})
		require.NoError(t, err)
		requireStatus(t, dir.check(context.Background(), cert), codes.PermissionDenied, "suspended")
		_, err = svc.ReinstatePerson(admin, &apiv1.PersonRequest{StaffId: "R-0001"})
		require.NoError(t, err)
	})
	t.Run("a certificate on the CRL is refused", func(t *testing.T) {
		_, err := svc.RotatePerson(admin, &apiv1.PersonRequest{StaffId: "R-0001"})
		require.NoError(t, err)
		requireStatus(t, dir.check(context.Background(), cert), codes.PermissionDenied, "was revoked (rotated or revoked)")
		fresh := reg.issue(t, "R-0001", 11)
		require.NoError(t, dir.check(context.Background(), fresh))
	})
	t.Run("a certificate of no person is refused", func(t *testing.T) {
		requireStatus(t, dir.check(context.Background(), reg.issue(t, "nobody", 12)), codes.PermissionDenied, "does not belong")
		requireStatus(t, dir.check(context.Background(), reg.issue(t, "peer0", 13)), codes.PermissionDenied, "does not belong")
	})
	t.Run("an unreachable CA refuses rather than admits", func(t *testing.T) {
		reg.down = true
		defer func() { reg.down = false }()
		now = now.Add(3 * time.Second)
		requireStatus(t, dir.check(context.Background(), cert), codes.Unavailable, "cannot check")
	})
}

func TestProposeRevocationListRefusals(t *testing.T) {
	m := &membershipService{now: time.Now}
	_, err := m.ProposeRevocationList(asClerk(), &apiv1.ProposeRevocationListRequest{})
	requireStatus(t, err, codes.PermissionDenied, "admin")
	_, err = m.ProposeRevocationList(asAdminOf("RegistryMSP"), &apiv1.ProposeRevocationListRequest{})
	requireStatus(t, err, codes.FailedPrecondition, "no certificate authority")
	m.crl = func(context.Context) ([]byte, error) { return nil, status.Error(codes.Unavailable, "down") }
	_, err = m.ProposeRevocationList(asAdminOf("RegistryMSP"), &apiv1.ProposeRevocationListRequest{ExpiresInSeconds: -1})
	requireStatus(t, err, codes.InvalidArgument, "expires_in_seconds")
}
