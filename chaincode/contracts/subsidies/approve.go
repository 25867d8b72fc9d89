package subsidies

import (
	"time"

	"github.com/civicledger/civicledger/chaincode/contracts/base"
	"github.com/civicledger/civicledger/chaincode/currency"
	"github.com/civicledger/civicledger/chaincode/records"
	"github.com/civicledger/civicledger/chaincode/spec"
)

// ApproveGrant approves a proposed grant of grantingMSP. Only an approver of
// another administration may call it. The grant must fit in what remains of
// the programme budget and, for a de minimis programme, in what remains of
// the beneficiary's ceiling over aid from every administration in the three
// years up to the transaction time. It emits EventSubsidyGrantApproved.
//
// Reads: the grant, its immutable programme, the programme's approved total
// (serialising approvals of one programme, as the budget requires) and the
// beneficiary's aid records (serialising approvals for one undertaking, as
// the ceiling requires). Nothing else.
func (c *Contract) ApproveGrant(ctx *base.TxContext, grantingMSP, grantID string) (*records.SubsidyGrant, error) {
	caller, err := subsidyDecider(ctx, grantingMSP, grantID, "approve")
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
	p, err := getSubsidyProgramme(ctx, grantingMSP, g.ProgrammeID)
	if err != nil {
		return nil, err
	}
	budget, err := getSubsidyBudget(ctx, grantingMSP, p.ID)
	if err != nil {
		return nil, err
	}
	if err := checkSubsidyBudget(p, budget, g); err != nil {
		return nil, err
	}
	if p.DeMinimis {
		if err := checkDeMinimisCeiling(ctx, g, at); err != nil {
			return nil, err
		}
	}
	if err := decideSubsidyGrant(g, caller, at, spec.GrantApproved); err != nil {
		return nil, err
	}
	if err := putSubsidyGrant(ctx, g, false); err != nil {
		return nil, err
	}
	budget.ApprovedTotal += g.Amount
	budget.ApprovedGrants++
	if err := putSubsidyBudget(ctx, grantingMSP, p.ID, budget); err != nil {
		return nil, err
	}
	if p.DeMinimis {
		aid := &records.SubsidyAidRecord{
			Beneficiary: g.Beneficiary,
			GrantingMSP: g.GrantingMSP,
			ProgrammeID: g.ProgrammeID,
			GrantID:     g.GrantID,
			Amount:      g.Amount,
			ApprovedAt:  at.Format(subsidyAidTimeLayout),
		}
		if err := putSubsidyAid(ctx, aid); err != nil {
			return nil, err
		}
	}
	if err := base.Emit(ctx, spec.EventSubsidyGrantApproved, g); err != nil {
		return nil, err
	}
	return g, nil
}

// checkSubsidyBudget refuses g if the approved total of its programme plus
// g would exceed the budget. Both terms are at most SubsidyMaxAmount.
func checkSubsidyBudget(p *records.SubsidyProgramme, b *subsidyBudget, g *records.SubsidyGrant) error {
	after := b.ApprovedTotal + g.Amount
	if after <= p.Budget {
		return nil
	}
	return base.FailedPrecondition("programme budget exceeded: programme %s of %s has a budget of %s, of which %s is approved; "+
		"this grant of %s would bring it to %s",
		p.ID, p.GrantingMSP, currency.Format(p.Currency, p.Budget), currency.Format(p.Currency, b.ApprovedTotal),
		currency.Format(p.Currency, g.Amount), currency.Format(p.Currency, after))
}

// checkDeMinimisCeiling refuses g if the de minimis aid its beneficiary
// received from all administrations in (at − 3 years, at], plus g, would
// exceed DeMinimisCeiling.
func checkDeMinimisCeiling(ctx *base.TxContext, g *records.SubsidyGrant, at time.Time) error {
	aid, err := subsidyAidAfter(ctx, g.Beneficiary, deMinimisWindowStart(at))
	if err != nil {
		return err
	}
	received := sumSubsidyAid(aid)
	after := received + g.Amount
	if after <= spec.DeMinimisCeiling {
		return nil
	}
	return base.FailedPrecondition("de minimis ceiling exceeded: beneficiary %s received %s in the last three years; "+
		"this grant of %s would bring it to %s, above %s",
		g.Beneficiary, currency.Format(spec.DeMinimisCurrency, received), currency.Format(spec.DeMinimisCurrency, g.Amount),
		currency.Format(spec.DeMinimisCurrency, after), currency.Format(spec.DeMinimisCurrency, spec.DeMinimisCeiling))
}

// deMinimisWindowStart is the exclusive start of the rolling window that
// ends at at: the same instant three calendar years earlier (29 February
// maps to 1 March).
func deMinimisWindowStart(at time.Time) time.Time {
	return at.AddDate(-spec.DeMinimisYears, 0, 0)
}
