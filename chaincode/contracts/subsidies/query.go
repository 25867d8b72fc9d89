package subsidies

import (
	"slices"
	"strings"
	"time"

	"github.com/civicledger/civicledger/chaincode/contracts/base"
	"github.com/civicledger/civicledger/chaincode/records"
	"github.com/civicledger/civicledger/chaincode/spec"
	"github.com/civicledger/civicledger/chaincode/state"
)

// Queries of the Subsidies contract. Any member of the channel may run them:
// the register of subsidies is public among administrations.

// GetProgramme returns programme id of administration msp with its approved
// total and what remains of the budget.
func (c *Contract) GetProgramme(ctx *base.TxContext, msp, id string) (*records.SubsidyProgrammeView, error) {
	if err := validateSubsidyRef(msp, "programme id", id); err != nil {
		return nil, err
	}
	p, err := getSubsidyProgramme(ctx, msp, id)
	if err != nil {
		return nil, err
	}
	b, err := getSubsidyBudget(ctx, msp, id)
	if err != nil {
		return nil, err
	}
	return &records.SubsidyProgrammeView{
		Programme:      p,
		ApprovedTotal:  b.ApprovedTotal,
		ApprovedGrants: b.ApprovedGrants,
		Remaining:      p.Budget - b.ApprovedTotal,
	}, nil
}

// GetGrant returns grant grantID of administration msp with its payments.
func (c *Contract) GetGrant(ctx *base.TxContext, msp, grantID string) (*records.SubsidyGrantView, error) {
	if err := validateSubsidyRef(msp, "grant id", grantID); err != nil {
		return nil, err
	}
	g, err := getSubsidyGrant(ctx, msp, grantID)
	if err != nil {
		return nil, err
	}
	payments, err := listSubsidyPayments(ctx, msp, grantID)
	if err != nil {
		return nil, err
	}
	return &records.SubsidyGrantView{Grant: g, Payments: payments}, nil
}

// ListGrants returns one page of the grants of a programme, in grant id
// order. pageSize is a decimal from 1 to 100, "" or "0" for 20; bookmark is
// empty for the first page, then the one returned with the previous page.
func (c *Contract) ListGrants(ctx *base.TxContext, msp, programmeID, pageSize, bookmark string) (*records.SubsidyGrantPage, error) {
	if err := validateSubsidyRef(msp, "programme id", programmeID); err != nil {
		return nil, err
	}
	size, err := base.ParsePageSize(pageSize)
	if err != nil {
		return nil, err
	}
	if _, err := getSubsidyProgramme(ctx, msp, programmeID); err != nil {
		return nil, err
	}
	grants, next, err := base.ListPage(ctx, "grants of programme "+programmeID, state.TypeSubsidyGrant,
		[]string{msp, programmeID}, size, bookmark, state.DecodeJSON[records.SubsidyGrant])
	if err != nil {
		return nil, err
	}
	return &records.SubsidyGrantPage{Grants: grants, Bookmark: next}, nil
}

// AidReceived returns the de minimis aid that beneficiary received from all
// administrations in the three years up to the transaction time, with the
// share of each administration, and what remains under the ceiling.
func (c *Contract) AidReceived(ctx *base.TxContext, beneficiary string) (*records.SubsidyAidReport, error) {
	id, err := canonicalSubsidyBeneficiary(beneficiary)
	if err != nil {
		return nil, err
	}
	at, err := ctx.TxTime()
	if err != nil {
		return nil, err
	}
	from := deMinimisWindowStart(at)
	aid, err := subsidyAidAfter(ctx, id, from)
	if err != nil {
		return nil, err
	}
	total := sumSubsidyAid(aid)
	return &records.SubsidyAidReport{
		Beneficiary:      id,
		Currency:         spec.DeMinimisCurrency,
		From:             from.Format(time.RFC3339Nano),
		To:               at.Format(time.RFC3339Nano),
		Total:            total,
		Ceiling:          spec.DeMinimisCeiling,
		Remaining:        max(spec.DeMinimisCeiling-total, 0),
		ByAdministration: subsidyAidShares(aid),
		Awards:           aid,
	}, nil
}

// subsidyAidShares totals aid records per granting administration, by MSP ID.
func subsidyAidShares(aid []*records.SubsidyAidRecord) []*records.SubsidyAidShare {
	byMSP := map[string]*records.SubsidyAidShare{}
	out := []*records.SubsidyAidShare{}
	for _, r := range aid {
		s, ok := byMSP[r.GrantingMSP]
		if !ok {
			s = &records.SubsidyAidShare{GrantingMSP: r.GrantingMSP}
			byMSP[r.GrantingMSP] = s
			out = append(out, s)
		}
		s.Amount += r.Amount
		s.Grants++
	}
	slices.SortFunc(out, func(a, b *records.SubsidyAidShare) int { return strings.Compare(a.GrantingMSP, b.GrantingMSP) })
	return out
}
