//go:build integration

package integration

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hyperledger/fabric-gateway/pkg/client"
	"github.com/hyperledger/fabric-gateway/pkg/hash"
	"github.com/hyperledger/fabric-gateway/pkg/identity"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"

	"github.com/civicledger/civicledger/chaincode/spec"
	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
	"github.com/civicledger/civicledger/gateway/person"
	"github.com/civicledger/civicledger/network/testnet"
)

// staffID is a staff identifier unique to this run.
func staffID(prefix string) string {
	return fmt.Sprintf("%s-%d", prefix, time.Now().UnixNano()%1_000_000_000)
}

// enrolPerson adds a person to mspID as its admin and enrols them, as they
// would on their own machine, into a folder outside the network's data.
func enrolPerson(t *testing.T, mspID, role string) *person.Identity {
	t.Helper()
	id := staffID(role)
	sec, err := apiv1.NewPeopleServiceClient(gw(t, mspID, "admin")).AddPerson(ctx(t), &apiv1.AddPersonRequest{StaffId: id, Role: role})
	require.NoError(t, err)
	require.Equal(t, "active", sec.Person.Status)
	require.NotEmpty(t, sec.Secret)
	return enrolWith(t, mspID, id, sec.Secret, filepath.Join(t.TempDir(), id), false)
}

func enrolWith(t *testing.T, mspID, id, secret, dir string, replace bool) *person.Identity {
	t.Helper()
	org, err := tn.Conn.Org(mspID)
	require.NoError(t, err)
	p, err := person.Enroll(ctx(t), person.CA{Address: org.CA.Address, Name: org.CAName, TLSRootCert: org.TLSRootCert},
		mspID, id, secret, dir, replace)
	require.NoError(t, err)
	return p
}

// personConn connects to the person's gateway as the person, signing with
// their own key.
func personConn(t *testing.T, p *person.Identity) *grpc.ClientConn {
	t.Helper()
	org, err := tn.Conn.Org(p.MSPID)
	require.NoError(t, err)
	conn, err := dialPersonAt(t, p, org.Gateway.Address)
	require.NoError(t, err)
	return conn
}

func dialPersonAt(t *testing.T, p *person.Identity, address string) (*grpc.ClientConn, error) {
	t.Helper()
	pool, err := tn.Conn.RootCertPool()
	require.NoError(t, err)
	conn, err := p.DialObserved(ctx(t), address, pool, func(s person.Signed, err error) {
		signedMu.Lock()
		defer signedMu.Unlock()
		if err == nil {
			signed[p.StaffID] = append(signed[p.StaffID], s)
		}
	}, grpc.WithChainUnaryInterceptor(waitForEveryPeer))
	if err == nil {
		t.Cleanup(func() { conn.Close() })
	}
	return conn, err
}

var (
	signedMu sync.Mutex
	signed   = map[string][]person.Signed{} // what each person's client signed, by staff ID
)

// signedBy returns what the client of staffID signed.
func signedBy(staffID string) []person.Signed {
	signedMu.Lock()
	defer signedMu.Unlock()
	return append([]person.Signed(nil), signed[staffID]...)
}

// creatorOf returns the certificate that signed a committed transaction.
func creatorOf(t *testing.T, mspID, txID string) (string, *x509.Certificate) {
	t.Helper()
	g, err := tn.Gateway(mspID, "clerk")
	require.NoError(t, err)
	tx, err := testnet.Transaction(g.GetNetwork(tn.Conn.Channel), tn.Conn.Channel, txID)
	require.NoError(t, err)
	cert, err := identity.CertificateFromPEM(tx.Creator.GetIdBytes())
	require.NoError(t, err)
	return tx.Creator.GetMspid(), cert
}

func registerAs(t *testing.T, conn *grpc.ClientConn) (*apiv1.RegisterDocumentResponse, error) {
	t.Helper()
	return apiv1.NewDocumentsServiceClient(conn).RegisterDocument(ctx(t), docRequest(uniqueID("PERSON"), apiv1.DocumentType_DOCUMENT_TYPE_PERMIT))
}

func TestPeople(t *testing.T) {
	admin := apiv1.NewPeopleServiceClient(gw(t, registry, "admin"))
	clerk := enrolPerson(t, registry, "clerk")
	conn := personConn(t, clerk)

	var first *apiv1.Committed
	t.Run("a newly enrolled clerk registers a document signed with their own certificate", func(t *testing.T) {
		resp, err := registerAs(t, conn)
		require.NoError(t, err)
		first = resp.Committed
		msp, creator := creatorOf(t, registry, resp.Committed.TransactionId)
		require.Equal(t, registry, msp)
		require.True(t, creator.Equal(clerk.Cert), "creator %s, want %s", creator.Subject, clerk.Cert.Subject)
		require.Equal(t, clerk.StaffID, creator.Subject.CommonName)
		tx, err := apiv1.NewLedgerServiceClient(gw(t, treasury, "clerk")).GetTransaction(ctx(t), &apiv1.GetTransactionRequest{TransactionId: resp.Committed.TransactionId})
		require.NoError(t, err)
		require.Equal(t, clerk.StaffID, tx.CreatorId, "the ledger shows which official acted, to any administration")
		var kinds []string
		for _, s := range signedBy(clerk.StaffID) {
			if s.TransactionID == resp.Committed.TransactionId {
				kinds = append(kinds, s.Kind+" "+s.Function)
			}
		}
		require.Equal(t, []string{"proposal civic " + spec.DocumentsRegister, "transaction ", "commit-status "}, kinds,
			"the clerk's own client signed the proposal, the transaction and the commit-status request, seeing the function called")
		shared, err := tn.Conn.Orgs[0].User("clerk")
		require.NoError(t, err)
		sharedPEM, err := os.ReadFile(shared.Cert)
		require.NoError(t, err)
		require.NotEqual(t, string(sharedPEM), string(clerk.CertPEM), "the shared clerk identity did not sign")
	})

	t.Run("the clerk reads the ledger's events under their own identity", func(t *testing.T) {
		require.NotNil(t, first)
		sctx, cancel := context.WithCancel(ctx(t))
		defer cancel()
		stream, err := apiv1.NewEventServiceClient(conn).Subscribe(sctx, &apiv1.SubscribeRequest{Types: []string{"documents."}, StartBlock: first.BlockNumber})
		require.NoError(t, err)
		ev, err := stream.Recv()
		require.NoError(t, err)
		require.Equal(t, first.TransactionId, ev.TransactionId)
	})

	t.Run("no file under the network's data directory holds the person's private key", func(t *testing.T) {
		keyPEM, err := os.ReadFile(filepath.Join(clerk.Dir, person.KeyFile))
		require.NoError(t, err)
		b, _ := pem.Decode(keyPEM)
		require.NotNil(t, b)
		key, err := x509.ParsePKCS8PrivateKey(b.Bytes)
		require.NoError(t, err)
		ec := key.(*ecdsa.PrivateKey)
		sec1, err := x509.MarshalECPrivateKey(ec)
		require.NoError(t, err)
		forms := map[string][]byte{"PEM": keyPEM, "PKCS#8": b.Bytes, "SEC 1": sec1, "scalar": ec.D.FillBytes(make([]byte, 32))}
		checked := 0
		require.NoError(t, filepath.WalkDir(tn.DataDir(), func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !d.Type().IsRegular() {
				return nil
			}
			data, err := os.ReadFile(path)
			if err != nil {
				return nil // a file removed meanwhile (logs rotate, WAL)
			}
			checked++
			for form, k := range forms {
				require.False(t, bytes.Contains(data, k), "%s holds the person's key (%s)", path, form)
			}
			return nil
		}))
		require.Greater(t, checked, 10)
	})

	t.Run("the admin lists the person", func(t *testing.T) {
		resp, err := admin.ListPeople(ctx(t), &apiv1.ListPeopleRequest{})
		require.NoError(t, err)
		require.Contains(t, resp.People, &apiv1.Person{StaffId: clerk.StaffID, Role: "clerk", Status: "active"})
	})

	t.Run("a suspended clerk is refused and, once reinstated, accepted", func(t *testing.T) {
		p, err := admin.SuspendPerson(ctx(t), &apiv1.PersonRequest{StaffId: clerk.StaffID})
		require.NoError(t, err)
		require.Equal(t, "suspended", p.Status)
		_, err = registerAs(t, conn)
		requireCode(t, err, codes.PermissionDenied)
		require.ErrorContains(t, err, "suspended")
		p, err = admin.ReinstatePerson(ctx(t), &apiv1.PersonRequest{StaffId: clerk.StaffID})
		require.NoError(t, err)
		require.Equal(t, "active", p.Status)
		_, err = registerAs(t, conn)
		require.NoError(t, err)
	})

	t.Run("only an admin manages people", func(t *testing.T) {
		_, err := apiv1.NewPeopleServiceClient(gw(t, registry, "clerk")).AddPerson(ctx(t), &apiv1.AddPersonRequest{StaffId: staffID("x"), Role: "clerk"})
		requireCode(t, err, codes.PermissionDenied)
		_, err = apiv1.NewPeopleServiceClient(conn).SuspendPerson(ctx(t), &apiv1.PersonRequest{StaffId: clerk.StaffID})
		requireCode(t, err, codes.PermissionDenied)
		_, err = admin.AddPerson(ctx(t), &apiv1.AddPersonRequest{StaffId: "Jane Doe", Role: "clerk"})
		requireCode(t, err, codes.InvalidArgument)
		_, err = admin.AddPerson(ctx(t), &apiv1.AddPersonRequest{StaffId: staffID("x"), Role: "mayor"})
		requireCode(t, err, codes.InvalidArgument)
		_, err = admin.AddPerson(ctx(t), &apiv1.AddPersonRequest{StaffId: clerk.StaffID, Role: "clerk"})
		requireCode(t, err, codes.AlreadyExists)
		_, err = admin.SuspendPerson(ctx(t), &apiv1.PersonRequest{StaffId: "peer0"})
		requireCode(t, err, codes.NotFound)
	})

	t.Run("an approver cannot approve with a clerk's certificate", func(t *testing.T) {
		g := subsidyPropose(t, treasury, subsidyProgramme(t, treasury, 1_000_000, false), uniqueBeneficiary(), 1000)
		req := &apiv1.ApproveGrantRequest{GrantingMspId: treasury, GrantId: g.GrantId}
		_, err := apiv1.NewSubsidiesServiceClient(conn).ApproveGrant(ctx(t), req)
		requireCode(t, err, codes.PermissionDenied)
		approver := enrolPerson(t, registry, "approver")
		resp, err := apiv1.NewSubsidiesServiceClient(personConn(t, approver)).ApproveGrant(ctx(t), req)
		require.NoError(t, err)
		_, creator := creatorOf(t, registry, resp.Committed.TransactionId)
		require.True(t, creator.Equal(approver.Cert))
	})

	t.Run("a rotated certificate is refused; the new one works", func(t *testing.T) {
		p := enrolPerson(t, registry, "clerk")
		old := personConn(t, p)
		_, err := registerAs(t, old)
		require.NoError(t, err)
		sec, err := admin.RotatePerson(ctx(t), &apiv1.PersonRequest{StaffId: p.StaffID})
		require.NoError(t, err)
		_, err = registerAs(t, old)
		requireCode(t, err, codes.PermissionDenied)
		require.ErrorContains(t, err, "revoked")
		renewed := enrolWith(t, registry, p.StaffID, sec.Secret, p.Dir, true)
		require.NotEqual(t, p.Cert.SerialNumber, renewed.Cert.SerialNumber)
		_, err = registerAs(t, personConn(t, renewed))
		require.NoError(t, err)
	})

	t.Run("a revoked clerk is refused by every gateway", func(t *testing.T) {
		p, err := admin.RevokePerson(ctx(t), &apiv1.PersonRequest{StaffId: clerk.StaffID})
		require.NoError(t, err)
		require.Equal(t, "revoked", p.Status)
		_, err = registerAs(t, conn)
		requireCode(t, err, codes.PermissionDenied)
		require.ErrorContains(t, err, "revoked")
		for _, org := range tn.Conn.Orgs {
			c, err := dialPersonAt(t, clerk, org.Gateway.Address)
			if err == nil {
				_, err = registerAs(t, c)
			}
			require.Error(t, err, org.MSPID)
		}
		_, err = admin.ReinstatePerson(ctx(t), &apiv1.PersonRequest{StaffId: clerk.StaffID})
		requireCode(t, err, codes.FailedPrecondition)
	})
}

// bareContract is the chaincode as p sees it through mspID's peer with a
// bare fabric-gateway client, signing with p's key: no CivicLedger gateway
// in between.
func bareContract(t *testing.T, p *person.Identity, mspID string) *client.Contract {
	t.Helper()
	conn, err := tn.Conn.Dial(mspID)
	require.NoError(t, err)
	t.Cleanup(func() { conn.Close() })
	id, err := p.X509()
	require.NoError(t, err)
	sign, err := p.Sign()
	require.NoError(t, err)
	g, err := client.Connect(id, client.WithSign(sign), client.WithHash(hash.SHA256), client.WithClientConnection(conn))
	require.NoError(t, err)
	t.Cleanup(func() { g.Close() })
	return g.GetNetwork(tn.Conn.Channel).GetContract(tn.Conn.Chaincode)
}

// bareEndorse endorses a read of the directory as p at mspID's peer.
func bareEndorse(t *testing.T, p *person.Identity, mspID string) error {
	t.Helper()
	_, err := endorseWith(t, bareContract(t, p, mspID))
	return err
}

func endorseWith(t *testing.T, c *client.Contract) (*client.Transaction, error) {
	t.Helper()
	proposal, err := c.NewProposal(spec.DirectoryListProfiles)
	require.NoError(t, err)
	return proposal.EndorseWithContext(ctx(t))
}

func TestRevocationListInChannelConfig(t *testing.T) {
	admin := apiv1.NewPeopleServiceClient(gw(t, registry, "admin"))
	revoked := enrolPerson(t, registry, "clerk")
	kept := enrolPerson(t, registry, "clerk")
	// A transaction the revoked clerk had endorsed before the CRL was
	// applied, sent to the ordering service after.
	held := bareContract(t, revoked, registry)
	var pending *client.Transaction

	t.Run("a revoked clerk's proposal reaches the peers until the CRL is in the channel", func(t *testing.T) {
		require.NoError(t, bareEndorse(t, revoked, registry))
		_, err := admin.RevokePerson(ctx(t), &apiv1.PersonRequest{StaffId: revoked.StaffID})
		require.NoError(t, err)
		_, err = registerAs(t, personConn(t, kept))
		require.NoError(t, err)
		require.NoError(t, bareEndorse(t, revoked, registry), "the peer knows nothing of the CA's revocation yet")
		pending, err = endorseWith(t, held)
		require.NoError(t, err)
	})

	t.Run("the CRL is proposed, signed and applied through the membership workflow", func(t *testing.T) {
		_, err := membershipClient(t, registry, "clerk").ProposeRevocationList(ctx(t), &apiv1.ProposeRevocationListRequest{})
		requireCode(t, err, codes.PermissionDenied)
		resp, err := membershipClient(t, registry, "admin").ProposeRevocationList(ctx(t), &apiv1.ProposeRevocationListRequest{})
		require.NoError(t, err)
		require.Equal(t, "revocation-list", resp.Proposal.Kind)
		require.Equal(t, registry, resp.Proposal.SubjectMspId)
		id := resp.Proposal.Id
		for _, msp := range []string{registry, treasury} {
			_, err := membershipClient(t, msp, "admin").Sign(ctx(t), &apiv1.SignProposalRequest{ProposalId: id})
			require.NoError(t, err, msp)
		}
		applied, err := membershipClient(t, registry, "admin").Apply(ctx(t), &apiv1.ApplyProposalRequest{ProposalId: id})
		require.NoError(t, err)
		require.Equal(t, "applied", applied.Proposal.Status)
	})

	t.Run("once applied, every peer refuses the revoked clerk's own signed proposal", func(t *testing.T) {
		for _, msp := range []string{registry, treasury, council} {
			err := bareEndorse(t, revoked, msp)
			require.Error(t, err, msp)
			t.Logf("%s's peer: %v", msp, err)
		}
	})

	t.Run("once applied, the revoked clerk's transaction endorsed before is not committed", func(t *testing.T) {
		require.NotNil(t, pending)
		_, err := pending.SubmitWithContext(ctx(t))
		require.ErrorContains(t, err, "status=FORBIDDEN", "the ordering service refuses the revoked clerk's envelope")
		t.Logf("submit of %s: %v", pending.TransactionID(), err)
		// Whatever the ordering service answered, a transaction committed
		// after this one was sent is in a block at or after it: so once the
		// later one is committed, the held one is committed too if it ever
		// will be.
		_, later := registerAs(t, gw(t, registry, "clerk"))
		require.NoError(t, later)
		g, err := tn.Gateway(registry, "clerk")
		require.NoError(t, err)
		_, err = testnet.Transaction(g.GetNetwork(tn.Conn.Channel), tn.Conn.Channel, pending.TransactionID())
		require.ErrorContains(t, err, "no such transaction ID", "the revoked clerk's transaction is on no block")
	})

	t.Run("people who were not revoked still act, directly and through the gateway", func(t *testing.T) {
		require.NoError(t, bareEndorse(t, kept, registry))
		_, err := registerAs(t, personConn(t, kept))
		require.NoError(t, err)
	})
}

// TestPeopleLedgerctl runs the runbook of docs/operations.md ("People")
// with the ledgerctl binary: an admin adds a clerk, the clerk enrols on
// their own machine and acts as themself, the admin suspends, reinstates,
// rotates and revokes them.
func TestPeopleLedgerctl(t *testing.T) {
	bin := testnet.BuildLedgerctl(t)
	home := t.TempDir() // the clerk's machine
	run := func(t *testing.T, env []string, args ...string) (string, error) {
		t.Helper()
		cmd := exec.Command(bin, append([]string{"--connection", tn.ConnectionFile()}, args...)...)
		cmd.Env = append(os.Environ(), env...)
		out, err := cmd.CombinedOutput()
		t.Logf("$ ledgerctl %s\n%s", strings.Join(args, " "), out)
		return string(out), err
	}
	admin := func(t *testing.T, args ...string) string {
		t.Helper()
		out, err := run(t, nil, append([]string{"--org", "registry", "--user", "admin"}, args...)...)
		require.NoError(t, err, out)
		return out
	}
	secretOf := func(t *testing.T, out string) string {
		t.Helper()
		m := regexp.MustCompile(`one-time enrolment secret \(give it to [^)]+\): (\S+)`).FindStringSubmatch(out)
		require.Len(t, m, 2, out)
		return m[1]
	}
	staff := staffID("R")
	dir := filepath.Join(home, "civicledger-identity")
	me := []string{"--identity", dir}
	doc := filepath.Join(home, "permit.pdf")
	require.NoError(t, os.WriteFile(doc, []byte("permit "+staff), 0o600))
	register := func(t *testing.T) (string, error) {
		return run(t, nil, append(me, "documents", "register", "--id", uniqueID("PERMIT"), "--type", "permit", "--file", doc,
			"--valid-until", time.Now().AddDate(1, 0, 0).UTC().Format(time.RFC3339), "--subject-ref", docHash("salt:"+staff))...)
	}

	out := admin(t, "people", "add", staff, "--role", "clerk")
	enrol, err := run(t, []string{"CIVIC_ENROLMENT_SECRET=" + secretOf(t, out)}, "--org", "registry", "people", "enroll", staff, "--dir", dir)
	require.NoError(t, err, enrol)
	out, err = register(t)
	require.NoError(t, err, out)
	m := regexp.MustCompile(`transaction ([0-9a-f]{64})`).FindStringSubmatch(out)
	require.Len(t, m, 2, out)
	out, err = run(t, nil, append(me, "ledger", "tx", m[1])...)
	require.NoError(t, err, out)
	require.Contains(t, out, "RegistryMSP ("+staff+")")
	require.Contains(t, admin(t, "people", "list"), staff)

	admin(t, "people", "suspend", staff)
	out, err = register(t)
	require.Error(t, err)
	require.Contains(t, out, "ledgerctl: PermissionDenied: "+staff+" is suspended by RegistryMSP's administrators")
	admin(t, "people", "reinstate", staff)
	_, err = register(t)
	require.NoError(t, err)

	out = admin(t, "people", "rotate", staff)
	old, err := register(t)
	require.Error(t, err)
	require.Contains(t, old, "PermissionDenied: this certificate of "+staff+" was revoked (rotated or revoked)")
	enrol, err = run(t, []string{"CIVIC_ENROLMENT_SECRET=" + secretOf(t, out)}, "--org", "registry", "people", "enroll", staff, "--dir", dir, "--replace")
	require.NoError(t, err, enrol)
	_, err = register(t)
	require.NoError(t, err)

	admin(t, "people", "revoke", staff)
	out, err = register(t)
	require.Error(t, err)
	require.Contains(t, out, "ledgerctl: PermissionDenied: "+staff+" was revoked by RegistryMSP's administrators")
	out = admin(t, "membership", "propose-revocation-list")
	p := regexp.MustCompile(`proposal ([0-9a-f]{64})`).FindStringSubmatch(out)
	require.Len(t, p, 2, out)
	admin(t, "membership", "sign", p[1])
	require.Contains(t, admin(t, "membership", "apply", p[1]), "applied")
}
