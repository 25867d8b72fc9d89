package server

import (
	"encoding/base64"
	"encoding/json"
	"testing"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/protobuf/proto"

	"github.com/civicledger/civicledger/chaincode/records"
	"github.com/civicledger/civicledger/chaincode/spec"
	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
	"github.com/civicledger/civicledger/network/configupdate"
)

func TestMembershipPropose(t *testing.T) {
	f := newMembershipFixture(t)
	ctx := asAdminOf("RegistryMSP")
	ledgerWith := func(t *testing.T) *fakeLedger {
		u := f.addition(t)
		return &fakeLedger{answers: map[string]string{cscc: testConfigBlock(t, 0, f.config, nil),
			spec.MembershipPropose: f.proposalJSON(t, u, spec.MembershipOpen)}}
	}

	t.Run("an addition is computed from the current config and proposed with its sequence and expiry", func(t *testing.T) {
		l := ledgerWith(t)
		resp, err := f.service(l, nil).ProposeAddition(ctx, &apiv1.ProposeAdditionRequest{
			Administration: joinRequestProto(f.newcomer.joinRequest(t)), ExpiresInSeconds: 3600})
		require.NoError(t, err)
		require.Equal(t, "p1", resp.Proposal.Id)
		require.Equal(t, testCommitted(), resp.Committed)
		calls := l.recorded()
		require.Len(t, calls, 2)
		require.Equal(t, ledgerCall{Kind: "system", Tx: cscc, Args: []string{testMembershipChannel}}, calls[0])
		require.Equal(t, spec.MembershipPropose, calls[1].Tx)
		var in records.MembershipProposeInput
		require.NoError(t, json.Unmarshal([]byte(calls[1].Args[0]), &in))
		require.Equal(t, spec.MembershipAdd, in.Kind)
		require.Equal(t, "HarbourMSP", in.SubjectMSPID)
		require.Equal(t, f.config.GetSequence(), in.Sequence)
		require.Equal(t, f.now.Add(3600e9).Format("2006-01-02T15:04:05Z07:00"), in.ExpiresAt)
		raw, err := base64.StdEncoding.DecodeString(in.Update)
		require.NoError(t, err)
		var cu common.ConfigUpdate
		require.NoError(t, proto.Unmarshal(raw, &cu))
		require.Contains(t, cu.GetWriteSet().GetGroups()["Application"].GetGroups(), "HarbourMSP")
	})

	t.Run("a removal needs only the config and names the administration", func(t *testing.T) {
		four := append(append([]*testOrg{}, f.orgs...), f.newcomer)
		l := &fakeLedger{answers: map[string]string{cscc: testConfigBlock(t, 3, testChannelConfig(t, four...), nil)}}
		_, err := f.service(l, nil).ProposeRemoval(ctx, &apiv1.ProposeRemovalRequest{MspId: "CouncilMSP"})
		require.NoError(t, err)
		require.Equal(t, []string{spec.MembershipPropose}, submitted(l))
		var in records.MembershipProposeInput
		require.NoError(t, json.Unmarshal([]byte(l.recorded()[1].Args[0]), &in))
		require.Equal(t, spec.MembershipRemove, in.Kind)
		require.Equal(t, "CouncilMSP", in.SubjectMSPID)
	})

	refusals := map[string]struct {
		call func(m *membershipService) error
		code codes.Code
		text string
	}{
		"an addition of a member is AlreadyExists": {
			call: func(m *membershipService) error {
				_, err := m.ProposeAddition(ctx, &apiv1.ProposeAdditionRequest{Administration: joinRequestProto(f.orgs[1].joinRequest(t))})
				return err
			},
			code: codes.AlreadyExists, text: "CouncilMSP",
		},
		"an addition whose root certificate is not PEM is InvalidArgument": {
			call: func(m *membershipService) error {
				req := joinRequestProto(f.newcomer.joinRequest(t))
				req.RootCerts = [][]byte{[]byte("not a certificate")}
				_, err := m.ProposeAddition(ctx, &apiv1.ProposeAdditionRequest{Administration: req})
				return err
			},
			code: codes.InvalidArgument, text: "root CA certificate",
		},
		"an addition without a join request is InvalidArgument": {
			call: func(m *membershipService) error {
				_, err := m.ProposeAddition(ctx, &apiv1.ProposeAdditionRequest{})
				return err
			},
			code: codes.InvalidArgument, text: "administration",
		},
		"an expiry beyond 30 days is InvalidArgument": {
			call: func(m *membershipService) error {
				_, err := m.ProposeRemoval(ctx, &apiv1.ProposeRemovalRequest{MspId: "CouncilMSP", ExpiresInSeconds: 31 * 24 * 3600})
				return err
			},
			code: codes.InvalidArgument, text: "expires_in_seconds",
		},
		"a removal leaving two administrations is FailedPrecondition": {
			call: func(m *membershipService) error {
				_, err := m.ProposeRemoval(ctx, &apiv1.ProposeRemovalRequest{MspId: "CouncilMSP"})
				return err
			},
			code: codes.FailedPrecondition, text: "too few administrations",
		},
		"a removal of a non-member is NotFound": {
			call: func(m *membershipService) error {
				_, err := m.ProposeRemoval(ctx, &apiv1.ProposeRemovalRequest{MspId: "NobodyMSP"})
				return err
			},
			code: codes.NotFound, text: "NobodyMSP",
		},
	}
	for name, tc := range refusals {
		t.Run(name+", and nothing is proposed", func(t *testing.T) {
			l := ledgerWith(t)
			requireCode(t, tc.call(f.service(l, nil)), tc.code, tc.text)
			require.Empty(t, submitted(l))
		})
	}

	t.Run("the same update proposed twice is the chaincode's AlreadyExists", func(t *testing.T) {
		l := ledgerWith(t)
		l.errs = map[string]error{spec.MembershipPropose: refusal("ALREADY_EXISTS: this update is already proposal p1")}
		_, err := f.service(l, nil).ProposeAddition(ctx, &apiv1.ProposeAdditionRequest{Administration: joinRequestProto(f.newcomer.joinRequest(t))})
		requireCode(t, err, codes.AlreadyExists, "already proposal p1")
	})
}

func TestMembershipSign(t *testing.T) {
	f := newMembershipFixture(t)
	u := f.addition(t)

	t.Run("the caller's admin signature over the update is submitted and counts for the policy", func(t *testing.T) {
		l := &fakeLedger{answers: map[string]string{spec.MembershipGet: f.proposalJSON(t, u, spec.MembershipOpen),
			spec.MembershipSign: f.proposalJSON(t, u, spec.MembershipOpen, "TreasuryMSP")}}
		resp, err := f.service(l, nil).Sign(asAdminOf("TreasuryMSP"), &apiv1.SignProposalRequest{ProposalId: "p1"})
		require.NoError(t, err)
		require.Len(t, resp.Proposal.Signatures, 1)
		require.Equal(t, []string{spec.MembershipSign}, submitted(l))
		args := l.recorded()[1].Args
		require.Equal(t, "p1", args[0])
		raw, err := base64.StdEncoding.DecodeString(args[1])
		require.NoError(t, err)
		var sig common.ConfigSignature
		require.NoError(t, proto.Unmarshal(raw, &sig))
		v, err := configupdate.Check(f.config, u.Bytes, []*common.ConfigSignature{&sig}, f.now)
		require.NoError(t, err)
		require.Len(t, v.Signers, 1)
		require.Equal(t, "TreasuryMSP", v.Signers[0].MSPID)
	})

	refusals := map[string]struct {
		tx, refusal string
		code        codes.Code
	}{
		"a second signature of the administration is AlreadyExists":   {spec.MembershipSign, "ALREADY_EXISTS: TreasuryMSP already signed p1", codes.AlreadyExists},
		"an expired proposal is FailedPrecondition":                   {spec.MembershipSign, "FAILED_PRECONDITION: proposal p1 is expired", codes.FailedPrecondition},
		"an unknown proposal is NotFound, and nothing is signed":      {spec.MembershipGet, "NOT_FOUND: no membership proposal p9", codes.NotFound},
		"a signer of a non-member administration is PermissionDenied": {spec.MembershipSign, "PERMISSION_DENIED: HarbourMSP is not a member", codes.PermissionDenied},
	}
	for name, tc := range refusals {
		t.Run(name, func(t *testing.T) {
			l := &fakeLedger{answers: map[string]string{spec.MembershipGet: f.proposalJSON(t, u, spec.MembershipOpen)},
				errs: map[string]error{tc.tx: refusal(tc.refusal)}}
			_, err := f.service(l, nil).Sign(asAdminOf("TreasuryMSP"), &apiv1.SignProposalRequest{ProposalId: "p1"})
			requireCode(t, err, tc.code)
		})
	}

	t.Run("a missing proposal id is InvalidArgument before any ledger call", func(t *testing.T) {
		l := &fakeLedger{}
		_, err := f.service(l, nil).Sign(asAdminOf("TreasuryMSP"), &apiv1.SignProposalRequest{})
		requireInvalidField(t, err, "proposal_id")
		require.Empty(t, l.recorded())
	})
}
