package server

import (
	"errors"
	"fmt"
	"strconv"
	"testing"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/protobuf/proto"

	"github.com/civicledger/civicledger/chaincode/spec"
	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
	"github.com/civicledger/civicledger/gateway/fabric"
	"github.com/civicledger/civicledger/network/configupdate"
)

func TestMembershipApply(t *testing.T) {
	f := newMembershipFixture(t)
	u := f.addition(t)
	ctx := asAdminOf("RegistryMSP")
	const configBlock = 12
	ledgerWith := func(t *testing.T, st string, signers ...string) *fakeLedger {
		return &fakeLedger{answers: map[string]string{
			cscc:                       testConfigBlock(t, 3, f.config, nil),
			spec.MembershipGet:         f.proposalJSON(t, u, st, signers...),
			spec.MembershipMarkApplied: f.proposalJSON(t, u, spec.MembershipApplied, signers...),
		}}
	}
	// committing plays the orderer: after the broadcast the peer's config
	// block is the one that applied u.
	committing := func(t *testing.T, l *fakeLedger) *fakeOrderers {
		return &fakeOrderers{onAccept: func() { l.answers[cscc] = testConfigBlock(t, configBlock, u.Next, u.Bytes) }}
	}

	t.Run("with the policy met the envelope carries every signature, and the applying block is recorded", func(t *testing.T) {
		l := ledgerWith(t, spec.MembershipOpen, "RegistryMSP", "TreasuryMSP")
		o := committing(t, l)
		resp, err := f.service(l, o).Apply(ctx, &apiv1.ApplyProposalRequest{ProposalId: "p1"})
		require.NoError(t, err)
		require.Equal(t, spec.MembershipApplied, resp.Proposal.Status)
		require.Len(t, o.sent, 1)
		require.Equal(t, []string{spec.MembershipMarkApplied}, submitted(l))
		calls := l.recorded()
		require.Equal(t, []string{"p1", strconv.Itoa(configBlock)}, calls[len(calls)-1].Args)
		// the envelope is what the orderer checks: the update with both admins' signatures
		var payload common.Payload
		require.NoError(t, proto.Unmarshal(o.sent[0].Payload, &payload))
		var cue common.ConfigUpdateEnvelope
		require.NoError(t, proto.Unmarshal(payload.Data, &cue))
		require.Equal(t, u.Bytes, cue.ConfigUpdate)
		v, err := configupdate.Check(f.config, cue.ConfigUpdate, cue.Signatures, f.now)
		require.NoError(t, err)
		require.True(t, v.Satisfied())
	})

	t.Run("an update the current config block already applied is only recorded", func(t *testing.T) {
		l := ledgerWith(t, spec.MembershipOpen, "RegistryMSP", "TreasuryMSP")
		l.answers[cscc] = testConfigBlock(t, configBlock, u.Next, u.Bytes)
		o := &fakeOrderers{}
		_, err := f.service(l, o).Apply(ctx, &apiv1.ApplyProposalRequest{ProposalId: "p1"})
		require.NoError(t, err)
		require.Empty(t, o.sent)
		require.Equal(t, []string{spec.MembershipMarkApplied}, submitted(l))
	})

	refusals := map[string]struct {
		status  string
		signers []string
		edit    func(t *testing.T, l *fakeLedger, o *fakeOrderers)
		code    codes.Code
		text    []string
	}{
		"one signature of three is FailedPrecondition naming the policy and who signed": {
			status: spec.MembershipOpen, signers: []string{"RegistryMSP"},
			code: codes.FailedPrecondition, text: []string{"/Channel/Application/Admins", "MAJORITY Admins", "1 signed (RegistryMSP)"},
		},
		"no signature is FailedPrecondition": {
			status: spec.MembershipOpen, code: codes.FailedPrecondition, text: []string{"0 signed"},
		},
		"a channel changed since the proposal is FailedPrecondition: propose again": {
			status: spec.MembershipOpen, signers: []string{"RegistryMSP", "TreasuryMSP"},
			edit: func(t *testing.T, l *fakeLedger, _ *fakeOrderers) {
				other, err := configupdate.RemoveAdministration(testChannelConfig(t, append(append([]*testOrg{}, f.orgs...), newTestOrg(t, "XMSP", 7500))...), testMembershipChannel, "XMSP")
				require.NoError(t, err)
				l.answers[cscc] = testConfigBlock(t, 9, other.Next, other.Bytes)
			},
			code: codes.FailedPrecondition, text: []string{"the channel changed since this proposal was computed", "propose again"},
		},
		"an applied proposal is FailedPrecondition": {
			status: spec.MembershipApplied, signers: []string{"RegistryMSP", "TreasuryMSP"},
			code: codes.FailedPrecondition, text: []string{"is applied"},
		},
		"an expired proposal is FailedPrecondition": {
			status: spec.MembershipExpired, signers: []string{"RegistryMSP", "TreasuryMSP"},
			code: codes.FailedPrecondition, text: []string{"is expired"},
		},
		"an orderer's refusal is FailedPrecondition": {
			status: spec.MembershipOpen, signers: []string{"RegistryMSP", "TreasuryMSP"},
			edit: func(_ *testing.T, _ *fakeLedger, o *fakeOrderers) {
				o.err = fmt.Errorf("orderer x: %w: BAD_REQUEST: policy", configupdate.ErrRefused)
			},
			code: codes.FailedPrecondition, text: []string{"BAD_REQUEST"},
		},
		"no orderer reachable is Unavailable": {
			status: spec.MembershipOpen, signers: []string{"RegistryMSP", "TreasuryMSP"},
			edit: func(_ *testing.T, _ *fakeLedger, o *fakeOrderers) {
				o.err = fmt.Errorf("%w: no orderer accepted the config update: %w", fabric.ErrUnavailable, errors.New("connection refused"))
			},
			code: codes.Unavailable,
		},
		"a gateway without orderers is FailedPrecondition": {
			status: spec.MembershipOpen, signers: []string{"RegistryMSP", "TreasuryMSP"},
			edit: func(_ *testing.T, _ *fakeLedger, o *fakeOrderers) { o.err = fabric.ErrNoOrderers },
			code: codes.FailedPrecondition, text: []string{"no orderers"},
		},
	}
	for name, tc := range refusals {
		t.Run(name+", and nothing is recorded", func(t *testing.T) {
			l := ledgerWith(t, tc.status, tc.signers...)
			o := &fakeOrderers{}
			if tc.edit != nil {
				tc.edit(t, l, o)
			}
			_, err := f.service(l, o).Apply(ctx, &apiv1.ApplyProposalRequest{ProposalId: "p1"})
			requireCode(t, err, tc.code, tc.text...)
			require.Empty(t, submitted(l))
		})
	}

	t.Run("an accepted update the peer never shows is DeadlineExceeded, and nothing is recorded", func(t *testing.T) {
		l := ledgerWith(t, spec.MembershipOpen, "RegistryMSP", "TreasuryMSP")
		m := f.service(l, &fakeOrderers{})
		m.applyWait = 50e6
		_, err := m.Apply(ctx, &apiv1.ApplyProposalRequest{ProposalId: "p1"})
		requireCode(t, err, codes.DeadlineExceeded, "call Apply again")
		require.Empty(t, submitted(l))
	})
}

func TestMembershipRead(t *testing.T) {
	f := newMembershipFixture(t)
	u := f.addition(t)
	ctx := asAdminOf("CouncilMSP")

	t.Run("GetProposal returns the update bytes and the signatures", func(t *testing.T) {
		l := &fakeLedger{answers: map[string]string{spec.MembershipGet: f.proposalJSON(t, u, spec.MembershipOpen, "RegistryMSP")}}
		resp, err := f.service(l, nil).GetProposal(ctx, &apiv1.GetProposalRequest{ProposalId: "p1"})
		require.NoError(t, err)
		require.Equal(t, u.Bytes, resp.Proposal.Update)
		require.Equal(t, "RegistryMSP", resp.Proposal.Signatures[0].MspId)
		require.Equal(t, []ledgerCall{{Kind: "evaluate", Tx: spec.MembershipGet, Args: []string{"p1"}}}, l.recorded())
	})

	t.Run("ListProposals passes status, page size and token", func(t *testing.T) {
		l := &fakeLedger{answers: map[string]string{spec.MembershipList: `{"proposals":[` + f.proposalJSON(t, u, spec.MembershipOpen) + `],"bookmark":"b2"}`}}
		resp, err := f.service(l, nil).ListProposals(ctx, &apiv1.ListProposalsRequest{Status: "open", PageSize: 5, PageToken: "b1"})
		require.NoError(t, err)
		require.Len(t, resp.Proposals, 1)
		require.Equal(t, "b2", resp.NextPageToken)
		require.Equal(t, []ledgerCall{{Kind: "evaluate", Tx: spec.MembershipList, Args: []string{"open", "5", "b1"}}}, l.recorded())
	})

	t.Run("an unknown status is InvalidArgument before any ledger call", func(t *testing.T) {
		l := &fakeLedger{}
		_, err := f.service(l, nil).ListProposals(ctx, &apiv1.ListProposalsRequest{Status: "pending"})
		requireInvalidField(t, err, "status")
		require.Empty(t, l.recorded())
	})
}
