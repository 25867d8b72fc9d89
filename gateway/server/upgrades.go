package server

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/civicledger/civicledger/chaincode/records"
	"github.com/civicledger/civicledger/chaincode/spec"
	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
	"github.com/civicledger/civicledger/gateway/fabric"
)

// upgradeService serves UpgradeService over the Upgrades contract and
// Fabric's chaincode lifecycle: proposals and approvals are kept on the
// ledger; this gateway approves a definition for its own organization
// (approveformyorg, signed by the calling admin) and commits one a
// majority approved. Conversions are in upgrades_convert.go.
type upgradeService struct {
	apiv1.UnimplementedUpgradeServiceServer
	ledger    ledger
	lifecycle chaincodeLifecycle
}

// chaincodeLifecycle is Fabric's chaincode lifecycle as the service uses
// it (*fabric.Client).
type chaincodeLifecycle interface {
	CommittedDefinition(ctx context.Context, u *fabric.User) (*fabric.Definition, error)
	CommitReadiness(ctx context.Context, u *fabric.User, version string, sequence int64) (map[string]bool, error)
	RequireInstalled(ctx context.Context, u *fabric.User, packageID string) error
	ApproveForMyOrg(ctx context.Context, u *fabric.User, version string, sequence int64, packageID string) (fabric.Result, error)
	CommitDefinition(ctx context.Context, u *fabric.User, version string, sequence int64, endorsers []string) (fabric.Result, error)
	FindDefinitionCommit(ctx context.Context, u *fabric.User, sequence int64, within uint64) (fabric.Result, error)
}

// commitSearchBlocks is how many of the latest blocks Commit searches for
// the lifecycle transaction of a definition committed but not recorded.
const commitSearchBlocks = 1000

var _ chaincodeLifecycle = (*fabric.Client)(nil)

// requireUpgradeAdmin refuses every caller but an admin: an upgrade
// changes the code every administration runs.
func requireUpgradeAdmin(ctx context.Context) error {
	if u := caller(ctx); u == nil || u.Role != spec.RoleAdmin {
		return status.Error(codes.PermissionDenied, "chaincode upgrades are for admins: the caller's role is not admin")
	}
	return nil
}

func (s *upgradeService) Propose(ctx context.Context, req *apiv1.ProposeUpgradeRequest) (*apiv1.UpgradeProposalResponse, error) {
	if err := requireUpgradeAdmin(ctx); err != nil {
		return nil, err
	}
	if err := specField("version", req.Version, spec.CheckChaincodeVersion); err != nil {
		return nil, err
	}
	if err := specField("package_id", req.PackageId, spec.CheckPackageID); err != nil {
		return nil, err
	}
	cur, err := s.lifecycle.CommittedDefinition(ctx, caller(ctx))
	if err != nil {
		return nil, toStatus(err)
	}
	input, err := jsonArg(records.UpgradeProposeInput{Chaincode: cur.Name, Version: req.Version, Sequence: cur.Sequence + 1, PackageID: req.PackageId})
	if err != nil {
		return nil, err
	}
	return s.submit(ctx, fabric.Submission{Transaction: spec.UpgradesPropose, Args: []string{input}})
}

func (s *upgradeService) Approve(ctx context.Context, req *apiv1.ApproveUpgradeRequest) (*apiv1.UpgradeProposalResponse, error) {
	if err := requireUpgradeAdmin(ctx); err != nil {
		return nil, err
	}
	u := caller(ctx)
	p, err := s.openProposal(ctx, req.UpgradeId)
	if err != nil {
		return nil, err
	}
	if a := approvalOf(p, u.MSPID); a != nil {
		return nil, status.Errorf(codes.AlreadyExists, "%s already approved upgrade %s (at %s)", a.MSPID, p.ID, a.ApprovedAt)
	}
	approvals, err := s.lifecycle.CommitReadiness(ctx, u, p.Version, p.Sequence)
	if err != nil {
		return nil, toStatus(err)
	}
	// An approval already in the lifecycle (an earlier call whose ledger
	// record failed) is not made twice: Fabric refuses an identical one.
	if !approvals[u.MSPID] {
		if err := s.lifecycle.RequireInstalled(ctx, u, p.PackageID); err != nil {
			if errors.Is(err, fabric.ErrNotInstalled) {
				return nil, status.Errorf(codes.FailedPrecondition, "package %s is not installed on %s's peer: install version %s first (civicnet chaincode install -version %s)", p.PackageID, u.MSPID, p.Version, p.Version)
			}
			return nil, toStatus(err)
		}
		if _, err := s.lifecycle.ApproveForMyOrg(ctx, u, p.Version, p.Sequence, p.PackageID); err != nil {
			return nil, toStatus(fmt.Errorf("approve %s for %s: %w", p.ID, u.MSPID, err))
		}
	}
	return s.submit(ctx, fabric.Submission{Transaction: spec.UpgradesApprove, Args: []string{p.ID}})
}

func (s *upgradeService) Commit(ctx context.Context, req *apiv1.CommitUpgradeRequest) (*apiv1.UpgradeProposalResponse, error) {
	if err := requireUpgradeAdmin(ctx); err != nil {
		return nil, err
	}
	u := caller(ctx)
	p, err := s.proposal(ctx, req.UpgradeId)
	if err != nil {
		return nil, err
	}
	if err := requireOpen(p); err != nil {
		return nil, err
	}
	cur, err := s.lifecycle.CommittedDefinition(ctx, u)
	if err != nil {
		return nil, toStatus(err)
	}
	if cur.Sequence == p.Sequence && cur.Version == p.Version {
		// Committed in the lifecycle by an earlier call whose record on the
		// ledger failed: record it now.
		res, err := s.lifecycle.FindDefinitionCommit(ctx, u, p.Sequence, commitSearchBlocks)
		if err != nil {
			return nil, toStatus(err)
		}
		return s.recordCommit(ctx, p, res)
	}
	if err := requireNext(p, cur); err != nil {
		return nil, err
	}
	approvals, err := s.lifecycle.CommitReadiness(ctx, u, p.Version, p.Sequence)
	if err != nil {
		return nil, toStatus(err)
	}
	var approved, onLedger []string
	for msp, ok := range approvals {
		if ok {
			approved = append(approved, msp)
		}
	}
	for _, a := range p.Approvals {
		onLedger = append(onLedger, a.MSPID)
	}
	slices.Sort(approved)
	need := spec.UpgradeMajority(len(approvals))
	if len(approved) < need || len(onLedger) < need {
		return nil, status.Errorf(codes.FailedPrecondition,
			"upgrade %s needs the approval of %d of the %d administrations (a majority): approved on the ledger by [%s], in Fabric's lifecycle by [%s]",
			p.ID, need, len(approvals), strings.Join(onLedger, ", "), strings.Join(approved, ", "))
	}
	res, err := s.lifecycle.CommitDefinition(ctx, u, p.Version, p.Sequence, approved)
	if err != nil {
		return nil, toStatus(fmt.Errorf("commit %s: %w", p.ID, err))
	}
	return s.recordCommit(ctx, p, res)
}

// recordCommit records on p the lifecycle transaction res that committed
// its definition. When that fails, the definition stays committed: Commit
// again records it.
func (s *upgradeService) recordCommit(ctx context.Context, p *records.UpgradeProposal, res fabric.Result) (*apiv1.UpgradeProposalResponse, error) {
	resp, err := s.submit(ctx, fabric.Submission{
		Transaction: spec.UpgradesMarkCommitted, Args: []string{p.ID, res.TransactionID, fmt.Sprint(res.BlockNumber)},
	})
	if err != nil {
		st := status.Convert(err)
		return nil, status.Errorf(st.Code(), "upgrade %s is committed in Fabric's lifecycle (transaction %s, block %d) but recording it on the ledger failed, commit again to record it: %s",
			p.ID, res.TransactionID, res.BlockNumber, st.Message())
	}
	return resp, nil
}

func (s *upgradeService) GetUpgrade(ctx context.Context, req *apiv1.GetUpgradeRequest) (*apiv1.UpgradeProposalResponse, error) {
	if err := requireUpgradeAdmin(ctx); err != nil {
		return nil, err
	}
	p, err := s.proposal(ctx, req.UpgradeId)
	if err != nil {
		return nil, err
	}
	return &apiv1.UpgradeProposalResponse{Upgrade: upgradeProto(p)}, nil
}

func (s *upgradeService) ListUpgrades(ctx context.Context, req *apiv1.ListUpgradesRequest) (*apiv1.ListUpgradesResponse, error) {
	if err := requireUpgradeAdmin(ctx); err != nil {
		return nil, err
	}
	if req.Status != "" && !contains(spec.UpgradeStatuses, req.Status) {
		return nil, invalid("status", "must be one of %v or empty, got %q", spec.UpgradeStatuses, req.Status)
	}
	size, err := pageSize(req.PageSize)
	if err != nil {
		return nil, err
	}
	var page records.UpgradePage
	if err := evaluateJSON(ctx, s.ledger, &page, spec.UpgradesList, req.Status, size, req.PageToken); err != nil {
		return nil, err
	}
	out := make([]*apiv1.UpgradeProposal, 0, len(page.Proposals))
	for _, p := range page.Proposals {
		out = append(out, upgradeProto(p))
	}
	return &apiv1.ListUpgradesResponse{Upgrades: out, NextPageToken: page.Bookmark}, nil
}

func (s *upgradeService) GetDefinition(ctx context.Context, _ *apiv1.GetDefinitionRequest) (*apiv1.ChaincodeDefinition, error) {
	if err := requireUpgradeAdmin(ctx); err != nil {
		return nil, err
	}
	u := caller(ctx)
	cur, err := s.lifecycle.CommittedDefinition(ctx, u)
	if err != nil {
		return nil, toStatus(err)
	}
	out := &apiv1.ChaincodeDefinition{Name: cur.Name, Version: cur.Version, Sequence: cur.Sequence, Approvals: cur.Approvals}
	var next records.UpgradeProposal
	err = evaluateJSON(ctx, s.ledger, &next, spec.UpgradesGet, spec.UpgradeID(cur.Name, cur.Sequence+1))
	if status.Code(err) == codes.NotFound {
		return out, nil
	}
	if err != nil {
		return nil, err
	}
	if out.NextApprovals, err = s.lifecycle.CommitReadiness(ctx, u, next.Version, next.Sequence); err != nil {
		return nil, toStatus(err)
	}
	out.NextVersion = next.Version
	return out, nil
}

// proposal reads the proposal id from the ledger.
func (s *upgradeService) proposal(ctx context.Context, id string) (*records.UpgradeProposal, error) {
	if err := required("upgrade_id", id); err != nil {
		return nil, err
	}
	var p records.UpgradeProposal
	if err := evaluateJSON(ctx, s.ledger, &p, spec.UpgradesGet, id); err != nil {
		return nil, err
	}
	return &p, nil
}

// openProposal reads the proposal id and checks that it is open and that
// its sequence is the next one of the committed definition.
func (s *upgradeService) openProposal(ctx context.Context, id string) (*records.UpgradeProposal, error) {
	p, err := s.proposal(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := requireOpen(p); err != nil {
		return nil, err
	}
	cur, err := s.lifecycle.CommittedDefinition(ctx, caller(ctx))
	if err != nil {
		return nil, toStatus(err)
	}
	return p, requireNext(p, cur)
}

// requireOpen refuses a committed proposal.
func requireOpen(p *records.UpgradeProposal) error {
	if p.Status != spec.UpgradeOpen {
		return status.Errorf(codes.FailedPrecondition, "upgrade %s is %s (transaction %s, block %d)", p.ID, p.Status, p.CommitTxID, p.CommitBlock)
	}
	return nil
}

// requireNext refuses a proposal whose sequence is not the one after the
// committed definition's.
func requireNext(p *records.UpgradeProposal, cur *fabric.Definition) error {
	if cur.Sequence+1 != p.Sequence {
		return status.Errorf(codes.FailedPrecondition, "upgrade %s is stale: its sequence is %d but the committed definition is %s at sequence %d, so the next is %d: propose again",
			p.ID, p.Sequence, cur.Version, cur.Sequence, cur.Sequence+1)
	}
	return nil
}

// submit submits an Upgrades transaction whose result is the proposal.
func (s *upgradeService) submit(ctx context.Context, sub fabric.Submission) (*apiv1.UpgradeProposalResponse, error) {
	var p records.UpgradeProposal
	committed, err := submitJSON(ctx, s.ledger, &p, sub)
	if err != nil {
		return nil, err
	}
	return &apiv1.UpgradeProposalResponse{Upgrade: upgradeProto(&p), Committed: committed}, nil
}

// specField turns a package spec validator's verdict on field into
// InvalidArgument.
func specField(field, v string, check func(string) error) error {
	if err := check(v); err != nil {
		if errors.Is(err, spec.ErrRequired) {
			return invalid(field, "is required")
		}
		return invalid(field, "%q %v", clip(v), err)
	}
	return nil
}
