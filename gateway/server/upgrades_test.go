package server

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"

	"github.com/civicledger/civicledger/chaincode/errcode"
	"github.com/civicledger/civicledger/chaincode/records"
	"github.com/civicledger/civicledger/chaincode/spec"
	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
	"github.com/civicledger/civicledger/gateway/fabric"
)

// fakeLifecycle plays Fabric's chaincode lifecycle: a committed definition
// and the organizations that approved the next one; it records approvals
// and commits.
type fakeLifecycle struct {
	committed fabric.Definition
	approvals map[string]bool
	approved  []string // MSP IDs ApproveForMyOrg ran for
	commits   [][]string
	err       error
	missing   bool // the package is not installed
}

func (f *fakeLifecycle) FindDefinitionCommit(context.Context, *fabric.User, int64, uint64) (fabric.Result, error) {
	return fabric.Result{TransactionID: strings.Repeat("d", 64), BlockNumber: 30}, nil
}

func (f *fakeLifecycle) RequireInstalled(context.Context, *fabric.User, string) error {
	if f.missing {
		return fabric.ErrNotInstalled
	}
	return nil
}

func (f *fakeLifecycle) CommittedDefinition(context.Context, *fabric.User) (*fabric.Definition, error) {
	d := f.committed
	return &d, nil
}

func (f *fakeLifecycle) CommitReadiness(context.Context, *fabric.User, string, int64) (map[string]bool, error) {
	return f.approvals, nil
}

func (f *fakeLifecycle) ApproveForMyOrg(_ context.Context, u *fabric.User, _ string, _ int64, _ string) (fabric.Result, error) {
	if f.err != nil {
		return fabric.Result{}, f.err
	}
	f.approved = append(f.approved, u.MSPID)
	return fabric.Result{TransactionID: "approve-tx", BlockNumber: 20}, nil
}

func (f *fakeLifecycle) CommitDefinition(_ context.Context, _ *fabric.User, _ string, _ int64, endorsers []string) (fabric.Result, error) {
	f.commits = append(f.commits, endorsers)
	return fabric.Result{TransactionID: strings.Repeat("c", 64), BlockNumber: 21}, nil
}

const testPackageID = "civic_2.0:" + "ab12000000000000000000000000000000000000000000000000000000000000"

// upgradeJSON is the ledger's record of civic-2, approved by approvers.
func upgradeJSON(t *testing.T, status string, approvers ...string) string {
	p := records.UpgradeProposal{ID: "civic-2", Chaincode: "civic", Version: "2.0", Sequence: 2, PackageID: testPackageID,
		ProposedBy: "RegistryMSP", ProposedAt: "2026-12-01T10:00:00Z", Status: status, Approvals: []*records.UpgradeApproval{}}
	for _, a := range approvers {
		p.Approvals = append(p.Approvals, &records.UpgradeApproval{MSPID: a, ApprovedAt: "2026-12-01T10:01:00Z"})
	}
	b, err := json.Marshal(p)
	require.NoError(t, err)
	return string(b)
}

func newUpgradeFixture(t *testing.T, status string, approvers ...string) (*upgradeService, *fakeLedger, *fakeLifecycle) {
	l := &fakeLedger{answers: map[string]string{
		spec.UpgradesGet: upgradeJSON(t, status, approvers...), spec.UpgradesPropose: upgradeJSON(t, spec.UpgradeOpen),
		spec.UpgradesApprove: upgradeJSON(t, spec.UpgradeOpen, "RegistryMSP"), spec.UpgradesMarkCommitted: upgradeJSON(t, spec.UpgradeCommitted, approvers...),
	}}
	lc := &fakeLifecycle{
		committed: fabric.Definition{Name: "civic", Version: "1.0", Sequence: 1},
		approvals: map[string]bool{"RegistryMSP": false, "TreasuryMSP": false, "CouncilMSP": false},
	}
	return &upgradeService{ledger: l, lifecycle: lc}, l, lc
}

func TestUpgradePropose(t *testing.T) {
	t.Run("a proposal is the committed definition's next sequence with the new version and package", func(t *testing.T) {
		s, l, _ := newUpgradeFixture(t, spec.UpgradeOpen)
		resp, err := s.Propose(asAdminOf("RegistryMSP"), &apiv1.ProposeUpgradeRequest{Version: "2.0", PackageId: testPackageID})
		require.NoError(t, err)
		require.Equal(t, "civic-2", resp.Upgrade.Id)
		require.Equal(t, testCommitted(), resp.Committed)
		var in records.UpgradeProposeInput
		require.NoError(t, json.Unmarshal([]byte(l.recorded()[0].Args[0]), &in))
		require.Equal(t, records.UpgradeProposeInput{Chaincode: "civic", Version: "2.0", Sequence: 2, PackageID: testPackageID}, in)
	})
	t.Run("refusals name the field and reach no ledger", func(t *testing.T) {
		for name, tc := range map[string]struct {
			ctx  context.Context
			req  *apiv1.ProposeUpgradeRequest
			code codes.Code
			want string
		}{
			"a clerk":                   {asClerk(), &apiv1.ProposeUpgradeRequest{Version: "2.0", PackageId: testPackageID}, codes.PermissionDenied, "for admins"},
			"no version":                {asAdminOf("RegistryMSP"), &apiv1.ProposeUpgradeRequest{PackageId: testPackageID}, codes.InvalidArgument, "version: is required"},
			"a package id without hash": {asAdminOf("RegistryMSP"), &apiv1.ProposeUpgradeRequest{Version: "2.0", PackageId: "civic_2.0"}, codes.InvalidArgument, "package_id"},
			"a version with a space":    {asAdminOf("RegistryMSP"), &apiv1.ProposeUpgradeRequest{Version: "2 0", PackageId: testPackageID}, codes.InvalidArgument, "version"},
		} {
			t.Run(name, func(t *testing.T) {
				s, l, _ := newUpgradeFixture(t, spec.UpgradeOpen)
				_, err := s.Propose(tc.ctx, tc.req)
				requireCode(t, err, tc.code, tc.want)
				require.Empty(t, l.recorded())
			})
		}
	})
}

func TestUpgradeApprove(t *testing.T) {
	t.Run("an admin approves for its own organization in the lifecycle, then on the ledger", func(t *testing.T) {
		s, l, lc := newUpgradeFixture(t, spec.UpgradeOpen)
		resp, err := s.Approve(asAdminOf("RegistryMSP"), &apiv1.ApproveUpgradeRequest{UpgradeId: "civic-2"})
		require.NoError(t, err)
		require.Equal(t, []string{"RegistryMSP"}, lc.approved)
		require.Equal(t, []string{spec.UpgradesApprove}, submitted(l))
		require.Equal(t, "RegistryMSP", resp.Upgrade.Approvals[0].MspId)
	})
	t.Run("refused when the package is not installed on the administration's peer, before approving", func(t *testing.T) {
		s, l, lc := newUpgradeFixture(t, spec.UpgradeOpen)
		lc.missing = true
		_, err := s.Approve(asAdminOf("CouncilMSP"), &apiv1.ApproveUpgradeRequest{UpgradeId: "civic-2"})
		requireCode(t, err, codes.FailedPrecondition, "package "+testPackageID+" is not installed on CouncilMSP's peer: install version 2.0 first")
		require.Empty(t, lc.approved)
		require.Empty(t, submitted(l))
	})
	t.Run("an approval already in the lifecycle is only recorded on the ledger", func(t *testing.T) {
		s, l, lc := newUpgradeFixture(t, spec.UpgradeOpen)
		lc.approvals["RegistryMSP"] = true
		_, err := s.Approve(asAdminOf("RegistryMSP"), &apiv1.ApproveUpgradeRequest{UpgradeId: "civic-2"})
		require.NoError(t, err)
		require.Empty(t, lc.approved)
		require.Equal(t, []string{spec.UpgradesApprove}, submitted(l))
	})
	for name, tc := range map[string]struct {
		status    string
		approvers []string
		committed int64
		ledgerErr error
		lcErr     error
		code      codes.Code
		want      string
	}{
		"a second approval of the same administration": {spec.UpgradeOpen, []string{"RegistryMSP"}, 1, nil, nil, codes.AlreadyExists, "RegistryMSP already approved upgrade civic-2"},
		"a committed upgrade":                          {spec.UpgradeCommitted, nil, 2, nil, nil, codes.FailedPrecondition, "upgrade civic-2 is committed"},
		"a stale sequence":                             {spec.UpgradeOpen, nil, 2, nil, nil, codes.FailedPrecondition, "upgrade civic-2 is stale: its sequence is 2 but the committed definition is 1.0 at sequence 2"},
		"an unknown upgrade":                           {spec.UpgradeOpen, nil, 1, &fabric.ChaincodeError{Code: errcode.NotFound, Message: "no upgrade proposal civic-2"}, nil, codes.NotFound, "no upgrade proposal"},
		"a lifecycle refusal":                          {spec.UpgradeOpen, nil, 1, nil, fmt.Errorf("%w: redefine uncommitted sequence", fabric.ErrLifecycle), codes.FailedPrecondition, "approve civic-2 for RegistryMSP: the chaincode lifecycle refused: redefine"},
	} {
		t.Run("refused: "+name, func(t *testing.T) {
			s, l, lc := newUpgradeFixture(t, tc.status, tc.approvers...)
			lc.committed.Sequence, lc.err = tc.committed, tc.lcErr
			if tc.ledgerErr != nil {
				l.errs = map[string]error{spec.UpgradesGet: tc.ledgerErr}
			}
			_, err := s.Approve(asAdminOf("RegistryMSP"), &apiv1.ApproveUpgradeRequest{UpgradeId: "civic-2"})
			requireCode(t, err, tc.code, tc.want)
			require.Empty(t, submitted(l))
			require.Empty(t, lc.approved)
		})
	}
}

func TestUpgradeCommit(t *testing.T) {
	t.Run("a majority's approvals commit it, endorsed by the approving administrations, and the commit is recorded", func(t *testing.T) {
		s, l, lc := newUpgradeFixture(t, spec.UpgradeOpen, "RegistryMSP", "TreasuryMSP")
		lc.approvals["RegistryMSP"], lc.approvals["TreasuryMSP"] = true, true
		resp, err := s.Commit(asAdminOf("CouncilMSP"), &apiv1.CommitUpgradeRequest{UpgradeId: "civic-2"})
		require.NoError(t, err)
		require.Equal(t, [][]string{{"RegistryMSP", "TreasuryMSP"}}, lc.commits)
		require.Equal(t, spec.UpgradeCommitted, resp.Upgrade.Status)
		calls := l.recorded()
		last := calls[len(calls)-1]
		require.Equal(t, spec.UpgradesMarkCommitted, last.Tx)
		require.Equal(t, []string{"civic-2", strings.Repeat("c", 64), "21"}, last.Args)
	})
	t.Run("refused before a majority approved, naming who did", func(t *testing.T) {
		s, l, lc := newUpgradeFixture(t, spec.UpgradeOpen, "RegistryMSP")
		lc.approvals["RegistryMSP"] = true
		_, err := s.Commit(asAdminOf("CouncilMSP"), &apiv1.CommitUpgradeRequest{UpgradeId: "civic-2"})
		requireCode(t, err, codes.FailedPrecondition, "needs the approval of 2 of the 3 administrations (a majority): approved on the ledger by [RegistryMSP], in Fabric's lifecycle by [RegistryMSP]")
		require.Empty(t, lc.commits)
		require.Empty(t, submitted(l))
	})
	t.Run("a definition committed in the lifecycle whose record failed is recorded by the next call, without a second commit", func(t *testing.T) {
		s, l, lc := newUpgradeFixture(t, spec.UpgradeOpen, "RegistryMSP", "TreasuryMSP")
		lc.committed.Sequence, lc.committed.Version = 2, "2.0"
		l.errs = map[string]error{spec.UpgradesMarkCommitted: fmt.Errorf("%w: peers switching", fabric.ErrEndorsement)}
		_, err := s.Commit(asAdminOf("CouncilMSP"), &apiv1.CommitUpgradeRequest{UpgradeId: "civic-2"})
		requireCode(t, err, codes.Unavailable, "upgrade civic-2 is committed in Fabric's lifecycle (transaction "+strings.Repeat("d", 64)+", block 30) but recording it on the ledger failed, commit again")
		l.errs = nil
		_, err = s.Commit(asAdminOf("CouncilMSP"), &apiv1.CommitUpgradeRequest{UpgradeId: "civic-2"})
		require.NoError(t, err)
		require.Empty(t, lc.commits)
		calls := l.recorded()
		require.Equal(t, []string{"civic-2", strings.Repeat("d", 64), "30"}, calls[len(calls)-1].Args)
	})
	t.Run("refused for a stale proposal", func(t *testing.T) {
		s, l, lc := newUpgradeFixture(t, spec.UpgradeOpen, "RegistryMSP", "TreasuryMSP")
		lc.committed.Sequence, lc.committed.Version = 2, "2.1"
		_, err := s.Commit(asAdminOf("CouncilMSP"), &apiv1.CommitUpgradeRequest{UpgradeId: "civic-2"})
		requireCode(t, err, codes.FailedPrecondition, "is stale")
		require.Empty(t, lc.commits)
		require.Empty(t, submitted(l))
	})
	t.Run("refused for a clerk", func(t *testing.T) {
		s, l, _ := newUpgradeFixture(t, spec.UpgradeOpen)
		_, err := s.Commit(asClerk(), &apiv1.CommitUpgradeRequest{UpgradeId: "civic-2"})
		requireCode(t, err, codes.PermissionDenied)
		require.Empty(t, l.recorded())
	})
}

func TestUpgradeDefinition(t *testing.T) {
	t.Run("the committed definition and the approvals of the open next sequence", func(t *testing.T) {
		s, _, lc := newUpgradeFixture(t, spec.UpgradeOpen)
		lc.approvals["TreasuryMSP"] = true
		d, err := s.GetDefinition(asAdminOf("CouncilMSP"), &apiv1.GetDefinitionRequest{})
		require.NoError(t, err)
		require.Equal(t, int64(1), d.Sequence)
		require.Equal(t, "2.0", d.NextVersion)
		require.True(t, d.NextApprovals["TreasuryMSP"])
	})
	t.Run("without a proposal at the next sequence, only the committed definition", func(t *testing.T) {
		s, l, _ := newUpgradeFixture(t, spec.UpgradeOpen)
		l.errs = map[string]error{spec.UpgradesGet: &fabric.ChaincodeError{Code: errcode.NotFound, Message: "no upgrade proposal civic-2"}}
		d, err := s.GetDefinition(asAdminOf("CouncilMSP"), &apiv1.GetDefinitionRequest{})
		require.NoError(t, err)
		require.Empty(t, d.NextVersion)
		require.Empty(t, d.NextApprovals)
	})
	t.Run("a lifecycle failure is no internal error", func(t *testing.T) {
		requireCode(t, toStatus(fmt.Errorf("x: %w", fabric.ErrLifecycle)), codes.FailedPrecondition, "chaincode lifecycle refused")
	})
}
