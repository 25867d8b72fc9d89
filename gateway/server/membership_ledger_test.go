package server

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/hyperledger/fabric-config/configtx"
	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"

	"github.com/civicledger/civicledger/chaincode/records"
	"github.com/civicledger/civicledger/chaincode/spec"
	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
	"github.com/civicledger/civicledger/gateway/fabric"
	"github.com/civicledger/civicledger/network/configupdate"
)

const cscc = "cscc:GetConfigBlock"

// membershipFixture is a three-administration channel, an admin of each
// (the fake wallet signs as the caller's administration's admin) and a
// newcomer.
type membershipFixture struct {
	orgs     []*testOrg
	admins   map[string]*configtx.SigningIdentity
	config   *common.Config
	newcomer *testOrg
	now      time.Time
}

func newMembershipFixture(t *testing.T) *membershipFixture {
	f := &membershipFixture{admins: map[string]*configtx.SigningIdentity{}, now: time.Now().UTC()}
	for i, msp := range []string{"RegistryMSP", "CouncilMSP", "TreasuryMSP"} {
		o := newTestOrg(t, msp, 7000+100*i)
		f.orgs = append(f.orgs, o)
		f.admins[msp] = o.admin(t)
	}
	f.config = testChannelConfig(t, f.orgs...)
	f.newcomer = newTestOrg(t, "HarbourMSP", 7900)
	return f
}

// fakeSigner is the wallet: the caller's administration's admin.
type fakeSigner map[string]*configtx.SigningIdentity

func (s fakeSigner) SigningIdentity(u *fabric.User) (*configtx.SigningIdentity, error) {
	if id, ok := s[u.MSPID]; ok {
		return id, nil
	}
	return nil, errors.New("no key")
}

// fakeOrderers records broadcasts; onAccept plays the orderer committing.
type fakeOrderers struct {
	sent     []*common.Envelope
	err      error
	onAccept func()
}

func (o *fakeOrderers) Broadcast(_ context.Context, env *common.Envelope) error {
	o.sent = append(o.sent, env)
	if o.err != nil {
		return o.err
	}
	if o.onAccept != nil {
		o.onAccept()
	}
	return nil
}

func (f *membershipFixture) service(l *fakeLedger, o *fakeOrderers) *membershipService {
	if o == nil {
		o = &fakeOrderers{}
	}
	return &membershipService{ledger: l, system: l, signer: fakeSigner(f.admins), orderers: o, channel: testMembershipChannel,
		now: func() time.Time { return f.now }, applyWait: 2 * time.Second, poll: 10 * time.Millisecond}
}

func asAdminOf(msp string) context.Context {
	return context.WithValue(context.Background(), userKey, &fabric.User{Name: "admin1", MSPID: msp, Role: spec.RoleAdmin})
}

// proposalJSON is the chaincode's record of update, signed by signers.
func (f *membershipFixture) proposalJSON(t *testing.T, u *configupdate.Update, st string, signers ...string) string {
	p := records.MembershipProposal{ID: "p1", Kind: spec.MembershipAdd, SubjectMSPID: "HarbourMSP", ChannelID: testMembershipChannel,
		Update: base64.StdEncoding.EncodeToString(u.Bytes), Sequence: u.Sequence, ProposedBy: "RegistryMSP",
		ProposedAt: "2026-12-01T10:00:00Z", ExpiresAt: "2026-12-08T10:00:00Z", Status: st, Signatures: []*records.MembershipSignature{}}
	for _, msp := range signers {
		sig, err := configupdate.Sign(u.Bytes, f.admins[msp])
		require.NoError(t, err)
		raw, err := proto.Marshal(sig)
		require.NoError(t, err)
		p.Signatures = append(p.Signatures, &records.MembershipSignature{MSPID: msp, SignedAt: "2026-12-01T11:00:00Z",
			ConfigSignature: base64.StdEncoding.EncodeToString(raw)})
	}
	b, err := json.Marshal(p)
	require.NoError(t, err)
	return string(b)
}

func (f *membershipFixture) addition(t *testing.T) *configupdate.Update {
	u, err := configupdate.AddAdministration(f.config, testMembershipChannel, f.newcomer.joinRequest(t))
	require.NoError(t, err)
	return u
}

func joinRequestProto(a configupdate.Administration) *apiv1.AdministrationRequest {
	ep := func(e configupdate.Endpoint) *apiv1.NodeEndpoint {
		return &apiv1.NodeEndpoint{Host: e.Host, Port: int32(e.Port)}
	}
	return &apiv1.AdministrationRequest{MspId: a.MSPID, RootCerts: a.RootCerts, TlsRootCerts: a.TLSRootCerts,
		AnchorPeer: ep(a.AnchorPeer), OrdererEndpoint: ep(a.OrdererEndpoint), Consenter: ep(a.Consenter.Endpoint),
		ConsenterClientTlsCert: a.Consenter.ClientTLSCert, ConsenterServerTlsCert: a.Consenter.ServerTLSCert}
}

func requireCode(t *testing.T, err error, code codes.Code, contains ...string) {
	t.Helper()
	st := status.Convert(err)
	require.Equal(t, code, st.Code(), st.Message())
	for _, c := range contains {
		require.Contains(t, st.Message(), c)
	}
}

func submitted(l *fakeLedger) []string {
	var out []string
	for _, c := range l.recorded() {
		if c.Kind == "submit" {
			out = append(out, c.Tx)
		}
	}
	return out
}

func TestMembershipAdminsOnly(t *testing.T) {
	f := newMembershipFixture(t)
	calls := map[string]func(context.Context, *membershipService) error{
		"ProposeAddition": func(c context.Context, m *membershipService) error {
			_, err := m.ProposeAddition(c, &apiv1.ProposeAdditionRequest{Administration: joinRequestProto(f.newcomer.joinRequest(t))})
			return err
		},
		"ProposeRemoval": func(c context.Context, m *membershipService) error {
			_, err := m.ProposeRemoval(c, &apiv1.ProposeRemovalRequest{MspId: "CouncilMSP"})
			return err
		},
		"Sign": func(c context.Context, m *membershipService) error {
			_, err := m.Sign(c, &apiv1.SignProposalRequest{ProposalId: "p1"})
			return err
		},
		"Apply": func(c context.Context, m *membershipService) error {
			_, err := m.Apply(c, &apiv1.ApplyProposalRequest{ProposalId: "p1"})
			return err
		},
		"GetProposal": func(c context.Context, m *membershipService) error {
			_, err := m.GetProposal(c, &apiv1.GetProposalRequest{ProposalId: "p1"})
			return err
		},
		"ListProposals": func(c context.Context, m *membershipService) error {
			_, err := m.ListProposals(c, &apiv1.ListProposalsRequest{})
			return err
		},
	}
	for name, call := range calls {
		t.Run(name+" by a clerk is refused before any ledger call", func(t *testing.T) {
			l := &fakeLedger{}
			requireCode(t, call(asClerk(), f.service(l, nil)), codes.PermissionDenied, "admin")
			require.Empty(t, l.recorded())
		})
	}
}
