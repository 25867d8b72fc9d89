package membership

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strconv"
	"time"

	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"

	"github.com/civicledger/civicledger/chaincode/contracts/base"
	"github.com/civicledger/civicledger/chaincode/contracts/directory"
	"github.com/civicledger/civicledger/chaincode/records"
	"github.com/civicledger/civicledger/chaincode/spec"
)

// Contract keeps membership proposals and their signatures. Every write
// needs the chaincode's default endorsement policy (MAJORITY of the
// administrations' peers): no key-level policy is set, so no single
// administration can forge a signature record or a status.
type Contract struct {
	contractapi.Contract
}

// New returns the membership contract, using TxContext.
func New() *Contract {
	return &Contract{Contract: base.NewContract(spec.MembershipContract, "CivicLedger membership proposals and admin signatures")}
}

// GetEvaluateTransactions marks the read-only transactions for the metadata.
func (c *Contract) GetEvaluateTransactions() []string {
	return []string{spec.TxName(spec.MembershipGet), spec.TxName(spec.MembershipList)}
}

// Propose records a proposal from the JSON input {"kind","subjectMspId",
// "update","sequence","expiresAt"}: update is the base64 of a marshalled
// common.ConfigUpdate of this channel that writes (add) or deletes (remove)
// the subject's organization in the Application group, or changes its MSP
// (revocation-list, proposed by the subject's own admins only). Only an admin of a
// member administration may propose. The same update twice is
// ALREADY_EXISTS; removing a non-member is NOT_FOUND. It emits
// EventMembershipProposed.
func (c *Contract) Propose(ctx *base.TxContext, input string) (*records.MembershipProposal, error) {
	caller, err := base.RequireMemberAdmin(ctx, "propose")
	if err != nil {
		return nil, err
	}
	at, err := ctx.TxTime()
	if err != nil {
		return nil, err
	}
	in, err := parseProposeInput(input, at)
	if err != nil {
		return nil, err
	}
	members, err := base.MemberMSPs(ctx)
	if err != nil {
		return nil, err
	}
	if err := checkSubject(in.Kind, in.SubjectMSPID, members); err != nil {
		return nil, err
	}
	if in.Kind == spec.MembershipRevocationList && caller.MSPID != in.SubjectMSPID {
		return nil, base.PermissionDenied("only %s's admins may propose its revocation list, not %s", in.SubjectMSPID, caller.MSPID)
	}
	if err := checkUpdate(in.update, in.Kind, in.SubjectMSPID, ctx.GetStub().GetChannelID(), members); err != nil {
		return nil, err
	}
	sum := sha256.Sum256(in.raw)
	id := hex.EncodeToString(sum[:])
	key, old, err := loadProposal(ctx, id)
	if err != nil {
		return nil, err
	}
	if old != nil {
		return nil, base.AlreadyExists("this update is already proposal %s (%s %s, by %s at %s)", id, old.Kind, old.SubjectMSPID, old.ProposedBy, old.ProposedAt)
	}
	p := &records.MembershipProposal{
		ID: id, Kind: in.Kind, SubjectMSPID: in.SubjectMSPID, ChannelID: ctx.GetStub().GetChannelID(),
		Update: in.Update, Sequence: in.Sequence, ProposedBy: caller.MSPID, ProposerCertID: caller.CertID,
		ProposedAt: base.FormatTime(at), ExpiresAt: base.FormatTime(in.expiresAt),
		Status: spec.MembershipOpen, Signatures: []*records.MembershipSignature{},
	}
	return p, save(ctx, key, p, spec.EventMembershipProposed)
}

// MarkApplied records that the config block configBlockNumber applied the
// proposal's update. Any member's admin may record it, once, while the
// proposal is stored as open (an update applied just before the expiry may
// be recorded after it). An applied removal marks the subject's directory
// profile as left at that block (an applied addition clears such a mark),
// in the same transaction. The contract cannot read blocks: the gateway
// checks that the block really applied the update before it submits this.
// It emits EventMembershipApplied.
func (c *Contract) MarkApplied(ctx *base.TxContext, proposalID, configBlockNumber string) (*records.MembershipProposal, error) {
	caller, err := base.RequireMemberAdmin(ctx, "record an applied update")
	if err != nil {
		return nil, err
	}
	block, err := strconv.ParseUint(configBlockNumber, 10, 64)
	if err != nil || configBlockNumber[0] == '+' {
		return nil, base.InvalidArgument("config block number %q is not a decimal block number", base.Clip(configBlockNumber))
	}
	at, err := ctx.TxTime()
	if err != nil {
		return nil, err
	}
	key, p, err := requireProposal(ctx, proposalID)
	if err != nil {
		return nil, err
	}
	if p.Status != spec.MembershipOpen {
		return nil, base.FailedPrecondition("proposal %s is %s, not open", p.ID, p.Status)
	}
	p.Status, p.AppliedBlock, p.AppliedAt, p.AppliedBy = spec.MembershipApplied, block, base.FormatTime(at), caller.MSPID
	if err := recordInDirectory(ctx, p, at); err != nil {
		return nil, err
	}
	return p, save(ctx, key, p, spec.EventMembershipApplied)
}

// recordInDirectory marks the subject of an applied proposal as left
// (removal) or back (addition) in the directory.
func recordInDirectory(ctx *base.TxContext, p *records.MembershipProposal, at time.Time) error {
	switch p.Kind {
	case spec.MembershipRemove:
		return directory.RecordDeparture(ctx, p.SubjectMSPID, at, p.AppliedBlock)
	case spec.MembershipAdd:
		return directory.RecordReturn(ctx, p.SubjectMSPID)
	}
	return nil // a revocation list changes no membership
}

// Withdraw closes an open proposal; only an admin of the proposing
// administration may. It emits EventMembershipWithdrawn.
func (c *Contract) Withdraw(ctx *base.TxContext, proposalID string) (*records.MembershipProposal, error) {
	caller, err := ctx.RequireRole(spec.RoleAdmin)
	if err != nil {
		return nil, err
	}
	at, err := ctx.TxTime()
	if err != nil {
		return nil, err
	}
	key, p, err := requireProposal(ctx, proposalID)
	if err != nil {
		return nil, err
	}
	if caller.MSPID != p.ProposedBy {
		return nil, base.PermissionDenied("proposal %s was made by %s: only its admins may withdraw it, not %s", p.ID, p.ProposedBy, caller.MSPID)
	}
	if p.Status != spec.MembershipOpen {
		return nil, base.FailedPrecondition("proposal %s is %s, not open", p.ID, p.Status)
	}
	p.Status, p.WithdrawnAt, p.WithdrawnBy = spec.MembershipWithdrawn, base.FormatTime(at), caller.MSPID
	return p, save(ctx, key, p, spec.EventMembershipWithdrawn)
}

// Get returns the proposal id with its signatures; an open proposal past
// its expiry says expired. Any member may read it.
func (c *Contract) Get(ctx *base.TxContext, id string) (*records.MembershipProposal, error) {
	at, err := ctx.TxTime()
	if err != nil {
		return nil, err
	}
	_, p, err := requireProposal(ctx, id)
	if err != nil {
		return nil, err
	}
	return derive(p, at), nil
}

// List returns a page of proposals in id order, those of status only
// unless it is empty (open, applied, expired or withdrawn, expired derived
// from the transaction time). A page reads pageSize proposals and returns
// those of the status, so a filtered page may hold fewer, even none, while
// the bookmark is not empty. pageSize is a decimal from 1 to 100, "" or "0"
// for 20; bookmark is "" for the first page.
func (c *Contract) List(ctx *base.TxContext, status, pageSize, bookmark string) (*records.MembershipPage, error) {
	if status != "" {
		if err := base.ValidateOneOf("status", status, spec.MembershipStatuses); err != nil {
			return nil, err
		}
	}
	size, err := base.ParsePageSize(pageSize)
	if err != nil {
		return nil, err
	}
	at, err := ctx.TxTime()
	if err != nil {
		return nil, err
	}
	list, next, err := listProposals(ctx, size, bookmark)
	if err != nil {
		return nil, err
	}
	out := []*records.MembershipProposal{}
	for _, p := range list {
		if p = derive(p, at); status == "" || p.Status == status {
			out = append(out, p)
		}
	}
	return &records.MembershipPage{Proposals: slices.Clip(out), Bookmark: next}, nil
}
