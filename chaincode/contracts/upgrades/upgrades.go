package upgrades

import (
	"slices"
	"strconv"

	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"

	"github.com/civicledger/civicledger/chaincode/contracts/base"
	"github.com/civicledger/civicledger/chaincode/records"
	"github.com/civicledger/civicledger/chaincode/spec"
)

// Contract keeps chaincode upgrade proposals and the administrations'
// approvals. Every write needs the chaincode's default endorsement policy
// (MAJORITY of the administrations' peers): no single administration can
// forge an approval or a commit record.
type Contract struct {
	contractapi.Contract
}

// New returns the upgrades contract, using TxContext.
func New() *Contract {
	return &Contract{Contract: base.NewContract(spec.UpgradesContract, "CivicLedger chaincode upgrade proposals and approvals")}
}

// GetEvaluateTransactions marks the read-only transactions for the metadata.
func (c *Contract) GetEvaluateTransactions() []string {
	return []string{spec.TxName(spec.UpgradesGet), spec.TxName(spec.UpgradesList)}
}

// Propose records a proposal from the JSON input {"chaincode","version",
// "sequence","packageId"}. Only an admin of a member administration may
// propose. A second proposal at the same sequence is ALREADY_EXISTS; a
// sequence at or below the last committed one (or below 2: sequence 1 is
// the first deployment) is FAILED_PRECONDITION. It emits
// EventUpgradeProposed.
func (c *Contract) Propose(ctx *base.TxContext, input string) (*records.UpgradeProposal, error) {
	caller, err := base.RequireMemberAdmin(ctx, "propose a chaincode upgrade")
	if err != nil {
		return nil, err
	}
	in, err := parseProposeInput(input)
	if err != nil {
		return nil, err
	}
	at, err := ctx.TxTime()
	if err != nil {
		return nil, err
	}
	committed, err := lastCommitted(ctx, in.Chaincode)
	if err != nil {
		return nil, err
	}
	if floor := max(committed, 1); in.Sequence <= floor {
		return nil, base.FailedPrecondition("sequence %d of %s is stale: the committed definition is at sequence %d or later, propose sequence %d", in.Sequence, in.Chaincode, floor, floor+1)
	}
	key, old, err := loadProposal(ctx, in.Chaincode, in.Sequence)
	if err != nil {
		return nil, err
	}
	if old != nil {
		return nil, base.AlreadyExists("upgrade %s is already proposed (version %s, by %s at %s)", old.ID, old.Version, old.ProposedBy, old.ProposedAt)
	}
	p := &records.UpgradeProposal{
		ID: spec.UpgradeID(in.Chaincode, in.Sequence), Chaincode: in.Chaincode, Version: in.Version,
		Sequence: in.Sequence, PackageID: in.PackageID,
		ProposedBy: caller.MSPID, ProposerCertID: caller.CertID, ProposedAt: base.FormatTime(at),
		Status: spec.UpgradeOpen, Approvals: []*records.UpgradeApproval{},
	}
	return p, save(ctx, key, p, spec.EventUpgradeProposed)
}

// Approve records that the caller's administration approved the open
// proposal id's definition for its organization. The caller is an admin of
// a member administration that has not approved it yet (ALREADY_EXISTS
// otherwise); a committed proposal is FAILED_PRECONDITION. It emits
// EventUpgradeApproved.
func (c *Contract) Approve(ctx *base.TxContext, id string) (*records.UpgradeProposal, error) {
	approver, err := base.RequireMemberAdmin(ctx, "approve a chaincode upgrade")
	if err != nil {
		return nil, err
	}
	at, err := ctx.TxTime()
	if err != nil {
		return nil, err
	}
	key, p, err := requireProposal(ctx, id)
	if err != nil {
		return nil, err
	}
	if p.Status != spec.UpgradeOpen {
		return nil, base.FailedPrecondition("upgrade %s is %s: it takes no more approvals", p.ID, p.Status)
	}
	if a := approvalOf(p, approver.MSPID); a != nil {
		return nil, base.AlreadyExists("%s already approved upgrade %s (at %s)", a.MSPID, p.ID, a.ApprovedAt)
	}
	p.Approvals = append(p.Approvals, &records.UpgradeApproval{MSPID: approver.MSPID, ApproverCertID: approver.CertID, ApprovedAt: base.FormatTime(at)})
	return p, save(ctx, key, p, spec.EventUpgradeApproved)
}

// MarkCommitted records that the Fabric lifecycle transaction txID, in
// block blockNumber, committed the open proposal id's definition. Any
// member's admin may record it, once, when a majority of the member
// administrations approved (FAILED_PRECONDITION before). The gateway
// commits the definition through Fabric's lifecycle before it submits
// this. It emits EventUpgradeCommitted.
func (c *Contract) MarkCommitted(ctx *base.TxContext, id, txID, blockNumber string) (*records.UpgradeProposal, error) {
	caller, err := base.RequireMemberAdmin(ctx, "record a chaincode upgrade's commit")
	if err != nil {
		return nil, err
	}
	txID, err = base.NormalizeHex64("commit transaction id", txID)
	if err != nil {
		return nil, err
	}
	block, err := strconv.ParseUint(blockNumber, 10, 64)
	if err != nil || blockNumber[0] == '+' {
		return nil, base.InvalidArgument("commit block number %q is not a decimal block number", base.Clip(blockNumber))
	}
	at, err := ctx.TxTime()
	if err != nil {
		return nil, err
	}
	key, p, err := requireProposal(ctx, id)
	if err != nil {
		return nil, err
	}
	if p.Status != spec.UpgradeOpen {
		return nil, base.FailedPrecondition("upgrade %s is %s, not open", p.ID, p.Status)
	}
	members, err := base.MemberMSPs(ctx)
	if err != nil {
		return nil, err
	}
	approved := 0
	for _, a := range p.Approvals {
		if slices.Contains(members, a.MSPID) {
			approved++
		}
	}
	if need := spec.UpgradeMajority(len(members)); approved < need {
		return nil, base.FailedPrecondition("upgrade %s has %d approvals of %d member administrations, it needs %d (a majority)", p.ID, approved, len(members), need)
	}
	p.Status, p.CommitTxID, p.CommitBlock = spec.UpgradeCommitted, txID, block
	p.CommittedAt, p.CommittedBy = base.FormatTime(at), caller.MSPID
	if err := recordCommitted(ctx, p); err != nil {
		return nil, err
	}
	return p, save(ctx, key, p, spec.EventUpgradeCommitted)
}

// Get returns the proposal id with its approvals. Any member may read it.
func (c *Contract) Get(ctx *base.TxContext, id string) (*records.UpgradeProposal, error) {
	_, p, err := requireProposal(ctx, id)
	return p, err
}

// List returns a page of proposals in chaincode and sequence order, those
// of status only unless it is empty. pageSize is a decimal from 1 to 100,
// "" or "0" for 20; bookmark is "" for the first page.
func (c *Contract) List(ctx *base.TxContext, status, pageSize, bookmark string) (*records.UpgradePage, error) {
	if status != "" {
		if err := base.ValidateOneOf("status", status, spec.UpgradeStatuses); err != nil {
			return nil, err
		}
	}
	size, err := base.ParsePageSize(pageSize)
	if err != nil {
		return nil, err
	}
	list, next, err := listProposals(ctx, size, bookmark)
	if err != nil {
		return nil, err
	}
	out := []*records.UpgradeProposal{}
	for _, p := range list {
		if status == "" || p.Status == status {
			out = append(out, p)
		}
	}
	return &records.UpgradePage{Proposals: slices.Clip(out), Bookmark: next}, nil
}

// approvalOf is mspID's approval of p, nil if none.
func approvalOf(p *records.UpgradeProposal, mspID string) *records.UpgradeApproval {
	for _, a := range p.Approvals {
		if a.MSPID == mspID {
			return a
		}
	}
	return nil
}
