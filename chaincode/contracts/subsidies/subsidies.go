package subsidies

import (
	"time"

	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"

	"github.com/civicledger/civicledger/chaincode/contracts/base"
	"github.com/civicledger/civicledger/chaincode/currency"
	"github.com/civicledger/civicledger/chaincode/records"
	"github.com/civicledger/civicledger/chaincode/spec"
)

// Contract keeps aid programmes, their grants and payments. A
// grant is proposed by the granting administration and decided by an
// approver of another administration (four eyes across agencies). Approval
// enforces the programme budget and, for de minimis programmes, the EU
// ceiling per undertaking over aid from every administration together,
// which no single administration could check on its own.
type Contract struct {
	contractapi.Contract
}

// New returns the subsidies contract, using TxContext.
func New() *Contract {
	return &Contract{Contract: base.NewContract(spec.SubsidiesContract, "CivicLedger subsidies")}
}

// GetEvaluateTransactions marks the read-only transactions for the metadata.
func (c *Contract) GetEvaluateTransactions() []string {
	return []string{"GetProgramme", "GetGrant", "ListGrants", "AidReceived"}
}

// CreateProgramme creates a programme of the caller's administration from a
// JSON object (see records.SubsidyProgrammeInput). Admins and approvers may call
// it. It emits EventSubsidyProgrammeCreated.
func (c *Contract) CreateProgramme(ctx *base.TxContext, input string) (*records.SubsidyProgramme, error) {
	caller, err := ctx.RequireRole(spec.RoleAdmin, spec.RoleApprover)
	if err != nil {
		return nil, err
	}
	at, err := ctx.TxTime()
	if err != nil {
		return nil, err
	}
	p, err := newSubsidyProgramme(caller, at, input)
	if err != nil {
		return nil, err
	}
	if err := createSubsidyProgramme(ctx, p); err != nil {
		return nil, err
	}
	if err := base.Emit(ctx, spec.EventSubsidyProgrammeCreated, p); err != nil {
		return nil, err
	}
	return p, nil
}

// ProposeGrant proposes a grant under a programme of the caller's
// administration, from a JSON object (see records.SubsidyGrantInput), within the
// programme period. Clerks and admins may call it. It reads only the
// immutable programme and the grant's own keys. It emits
// EventSubsidyGrantProposed.
func (c *Contract) ProposeGrant(ctx *base.TxContext, input string) (*records.SubsidyGrant, error) {
	caller, err := ctx.RequireRole(spec.RoleClerk, spec.RoleAdmin)
	if err != nil {
		return nil, err
	}
	in, err := parseSubsidyGrantInput(input)
	if err != nil {
		return nil, err
	}
	at, err := ctx.TxTime()
	if err != nil {
		return nil, err
	}
	p, err := getSubsidyProgramme(ctx, caller.MSPID, in.ProgrammeID)
	if err != nil {
		return nil, err
	}
	if err := checkSubsidyProposal(p, in, at); err != nil {
		return nil, err
	}
	if _, found, err := subsidyGrantProgramme(ctx, caller.MSPID, in.GrantID); err != nil {
		return nil, err
	} else if found {
		return nil, base.AlreadyExists("grant %s of %s exists already", in.GrantID, caller.MSPID)
	}
	g := &records.SubsidyGrant{
		GrantingMSP: caller.MSPID,
		ProgrammeID: p.ID,
		GrantID:     in.GrantID,
		Beneficiary: in.Beneficiary,
		Amount:      in.Amount,
		Currency:    p.Currency,
		DeMinimis:   p.DeMinimis,
		Purpose:     in.Purpose,
		Status:      spec.GrantProposed,
		ProposedAt:  at.Format(time.RFC3339Nano),
		ProposedBy:  caller.ID,
	}
	if err := putSubsidyGrant(ctx, g, true); err != nil {
		return nil, err
	}
	if err := base.Emit(ctx, spec.EventSubsidyGrantProposed, g); err != nil {
		return nil, err
	}
	return g, nil
}

// checkSubsidyProposal checks a proposal against its programme: the period
// (inclusive UTC dates) and the amounts no approval could ever accept.
func checkSubsidyProposal(p *records.SubsidyProgramme, in *records.SubsidyGrantInput, at time.Time) error {
	start, err := time.Parse(subsidyDateLayout, p.PeriodStart)
	if err != nil {
		return base.Internal(err, "programme %s has a bad period start", p.ID)
	}
	end, err := time.Parse(subsidyDateLayout, p.PeriodEnd)
	if err != nil {
		return base.Internal(err, "programme %s has a bad period end", p.ID)
	}
	if at.Before(start) || !at.Before(end.AddDate(0, 0, 1)) {
		return base.FailedPrecondition("programme %s runs from %s to %s; proposals are not accepted at %s",
			p.ID, p.PeriodStart, p.PeriodEnd, at.Format(time.RFC3339))
	}
	if in.Amount > p.Budget {
		return base.FailedPrecondition("grant of %s is above the whole budget of programme %s, %s",
			currency.Format(p.Currency, in.Amount), p.ID, currency.Format(p.Currency, p.Budget))
	}
	if p.DeMinimis && in.Amount > spec.DeMinimisCeiling {
		return base.FailedPrecondition("de minimis ceiling exceeded: this grant of %s alone is above %s",
			currency.Format(p.Currency, in.Amount), currency.Format(spec.DeMinimisCurrency, spec.DeMinimisCeiling))
	}
	return nil
}

// subsidyDecider admits an approver of an administration other than
// grantingMSP to decide one of its grants.
func subsidyDecider(ctx *base.TxContext, grantingMSP, grantID, verb string) (base.Caller, error) {
	caller, err := ctx.RequireRole(spec.RoleApprover)
	if err != nil {
		return base.Caller{}, err
	}
	if err := validateSubsidyRef(grantingMSP, "grant id", grantID); err != nil {
		return base.Caller{}, err
	}
	if caller.MSPID == grantingMSP {
		return base.Caller{}, base.PermissionDenied("an approver of %s cannot %s a grant proposed by %s: it needs an approver of another administration",
			caller.MSPID, verb, grantingMSP)
	}
	return caller, nil
}

// proposedSubsidyGrant reads a grant that must still be proposed.
func proposedSubsidyGrant(ctx *base.TxContext, grantingMSP, grantID string) (*records.SubsidyGrant, error) {
	g, err := getSubsidyGrant(ctx, grantingMSP, grantID)
	if err != nil {
		return nil, err
	}
	if g.Status != spec.GrantProposed {
		return nil, base.FailedPrecondition("grant %s of %s is %s already", grantID, grantingMSP, g.Status)
	}
	return g, nil
}

// decideSubsidyGrant records the decision of caller on g at time at.
func decideSubsidyGrant(g *records.SubsidyGrant, caller base.Caller, at time.Time, status string) error {
	proposed, err := time.Parse(time.RFC3339Nano, g.ProposedAt)
	if err != nil {
		return base.Internal(err, "grant %s has a bad proposal time", g.GrantID)
	}
	if at.Before(proposed) {
		return base.FailedPrecondition("transaction time %s is before the proposal of grant %s at %s",
			at.Format(time.RFC3339Nano), g.GrantID, g.ProposedAt)
	}
	g.Status = status
	g.DecidedAt = at.Format(time.RFC3339Nano)
	g.DecidedBy = caller.ID
	g.DecidedByMSP = caller.MSPID
	return nil
}

// RejectGrant rejects a proposed grant of grantingMSP, stating why. Only an
// approver of another administration may call it. It emits
// EventSubsidyGrantRejected.
func (c *Contract) RejectGrant(ctx *base.TxContext, grantingMSP, grantID, reason string) (*records.SubsidyGrant, error) {
	caller, err := subsidyDecider(ctx, grantingMSP, grantID, "reject")
	if err != nil {
		return nil, err
	}
	reason, err = base.NormalizeText("reason", reason, spec.MaxSubsidyReason)
	if err != nil {
		return nil, err
	}
	at, err := ctx.TxTime()
	if err != nil {
		return nil, err
	}
	g, err := proposedSubsidyGrant(ctx, grantingMSP, grantID)
	if err != nil {
		return nil, err
	}
	if err := decideSubsidyGrant(g, caller, at, spec.GrantRejected); err != nil {
		return nil, err
	}
	g.RejectionReason = reason
	if err := putSubsidyGrant(ctx, g, false); err != nil {
		return nil, err
	}
	if err := base.Emit(ctx, spec.EventSubsidyGrantRejected, g); err != nil {
		return nil, err
	}
	return g, nil
}
