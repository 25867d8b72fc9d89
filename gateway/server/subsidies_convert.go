package server

import (
	"github.com/civicledger/civicledger/chaincode/records"
	"github.com/civicledger/civicledger/chaincode/spec"
	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
)

// Conversion between the Subsidies contract's records (chaincode/records)
// and the API's messages. A null record converts to nil, which gRPC sends
// as the empty message.

func subsidyProgrammeProto(p *records.SubsidyProgramme) *apiv1.SubsidyProgramme {
	if p == nil {
		return nil
	}
	return &apiv1.SubsidyProgramme{
		GrantingMspId: p.GrantingMSP, ProgrammeId: p.ID, Name: p.Name, BudgetMinor: p.Budget,
		Currency: p.Currency, LegalBasis: p.LegalBasis, PeriodStart: p.PeriodStart, PeriodEnd: p.PeriodEnd,
		DeMinimis: p.DeMinimis, CreatedAt: p.CreatedAt, CreatedBy: p.CreatedBy,
	}
}

// subsidyStatuses maps the chaincode's grant statuses to the API's enum; a
// status this gateway does not know comes out as UNSPECIFIED.
var subsidyStatuses = map[string]apiv1.SubsidyGrantStatus{
	spec.GrantProposed: apiv1.SubsidyGrantStatus_SUBSIDY_GRANT_STATUS_PROPOSED,
	spec.GrantApproved: apiv1.SubsidyGrantStatus_SUBSIDY_GRANT_STATUS_APPROVED,
	spec.GrantRejected: apiv1.SubsidyGrantStatus_SUBSIDY_GRANT_STATUS_REJECTED,
}

func subsidyGrantProto(g *records.SubsidyGrant) *apiv1.SubsidyGrant {
	if g == nil {
		return nil
	}
	return &apiv1.SubsidyGrant{
		GrantingMspId: g.GrantingMSP, ProgrammeId: g.ProgrammeID, GrantId: g.GrantID, Beneficiary: g.Beneficiary,
		AmountMinor: g.Amount, Currency: g.Currency, DeMinimis: g.DeMinimis, Purpose: g.Purpose,
		Status: subsidyStatuses[g.Status], ProposedAt: g.ProposedAt, ProposedBy: g.ProposedBy,
		DecidedAt: g.DecidedAt, DecidedBy: g.DecidedBy, DecidedByMspId: g.DecidedByMSP,
		RejectionReason: g.RejectionReason, PaidTotalMinor: g.PaidTotal,
	}
}

func subsidyPaymentProto(p *records.SubsidyPayment) *apiv1.SubsidyPayment {
	if p == nil {
		return nil
	}
	return &apiv1.SubsidyPayment{
		GrantingMspId: p.GrantingMSP, GrantId: p.GrantID, PaymentId: p.PaymentID, AmountMinor: p.Amount,
		PaidTotalMinor: p.PaidTotal, RecordedAt: p.RecordedAt, RecordedBy: p.RecordedBy,
	}
}

// subsidyAidProto converts the chaincode's SubsidyAidReport.
func subsidyAidProto(a *records.SubsidyAidReport) *apiv1.AidReceivedResponse {
	out := &apiv1.AidReceivedResponse{
		Beneficiary: a.Beneficiary, Currency: a.Currency, WindowStart: a.From, WindowEnd: a.To,
		TotalMinor: a.Total, CeilingMinor: a.Ceiling, RemainingMinor: a.Remaining,
	}
	for _, s := range a.ByAdministration {
		var p *apiv1.DeMinimisShare
		if s != nil {
			p = &apiv1.DeMinimisShare{GrantingMspId: s.GrantingMSP, AmountMinor: s.Amount, Grants: int32(s.Grants)}
		}
		out.ByAdministration = append(out.ByAdministration, p)
	}
	for _, r := range a.Awards {
		var p *apiv1.DeMinimisAward
		if r != nil {
			p = &apiv1.DeMinimisAward{GrantingMspId: r.GrantingMSP, ProgrammeId: r.ProgrammeID,
				GrantId: r.GrantID, AmountMinor: r.Amount, ApprovedAt: r.ApprovedAt}
		}
		out.Awards = append(out.Awards, p)
	}
	return out
}
