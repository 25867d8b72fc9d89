package server

import apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"

// Conversion between the Subsidies contract's JSON and the API's messages.

// subsidyProgrammeJSON is the chaincode's SubsidyProgramme.
type subsidyProgrammeJSON struct {
	GrantingMSP string `json:"grantingMsp"`
	ID          string `json:"id"`
	Name        string `json:"name"`
	Budget      int64  `json:"budget"`
	Currency    string `json:"currency"`
	LegalBasis  string `json:"legalBasis"`
	PeriodStart string `json:"periodStart"`
	PeriodEnd   string `json:"periodEnd"`
	DeMinimis   bool   `json:"deMinimis"`
	CreatedAt   string `json:"createdAt"`
	CreatedBy   string `json:"createdBy"`
}

func (p *subsidyProgrammeJSON) proto() *apiv1.SubsidyProgramme {
	if p == nil {
		return nil
	}
	return &apiv1.SubsidyProgramme{
		GrantingMspId: p.GrantingMSP, ProgrammeId: p.ID, Name: p.Name, BudgetMinor: p.Budget,
		Currency: p.Currency, LegalBasis: p.LegalBasis, PeriodStart: p.PeriodStart, PeriodEnd: p.PeriodEnd,
		DeMinimis: p.DeMinimis, CreatedAt: p.CreatedAt, CreatedBy: p.CreatedBy,
	}
}

// subsidyGrantJSON is the chaincode's SubsidyGrant.
type subsidyGrantJSON struct {
	GrantingMSP     string `json:"grantingMsp"`
	ProgrammeID     string `json:"programmeId"`
	GrantID         string `json:"grantId"`
	Beneficiary     string `json:"beneficiary"`
	Amount          int64  `json:"amount"`
	Currency        string `json:"currency"`
	DeMinimis       bool   `json:"deMinimis"`
	Purpose         string `json:"purpose"`
	Status          string `json:"status"`
	ProposedAt      string `json:"proposedAt"`
	ProposedBy      string `json:"proposedBy"`
	DecidedAt       string `json:"decidedAt"`
	DecidedBy       string `json:"decidedBy"`
	DecidedByMSP    string `json:"decidedByMsp"`
	RejectionReason string `json:"rejectionReason"`
	PaidTotal       int64  `json:"paidTotal"`
}

// subsidyStatuses maps the chaincode's grant statuses to the API's enum; a
// status this gateway does not know comes out as UNSPECIFIED.
var subsidyStatuses = map[string]apiv1.SubsidyGrantStatus{
	"proposed": apiv1.SubsidyGrantStatus_SUBSIDY_GRANT_STATUS_PROPOSED,
	"approved": apiv1.SubsidyGrantStatus_SUBSIDY_GRANT_STATUS_APPROVED,
	"rejected": apiv1.SubsidyGrantStatus_SUBSIDY_GRANT_STATUS_REJECTED,
}

func (g *subsidyGrantJSON) proto() *apiv1.SubsidyGrant {
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

// subsidyPaymentJSON is the chaincode's SubsidyPayment.
type subsidyPaymentJSON struct {
	GrantingMSP string `json:"grantingMsp"`
	GrantID     string `json:"grantId"`
	PaymentID   string `json:"paymentId"`
	Amount      int64  `json:"amount"`
	PaidTotal   int64  `json:"paidTotal"`
	RecordedAt  string `json:"recordedAt"`
	RecordedBy  string `json:"recordedBy"`
}

func (p *subsidyPaymentJSON) proto() *apiv1.SubsidyPayment {
	return &apiv1.SubsidyPayment{
		GrantingMspId: p.GrantingMSP, GrantId: p.GrantID, PaymentId: p.PaymentID, AmountMinor: p.Amount,
		PaidTotalMinor: p.PaidTotal, RecordedAt: p.RecordedAt, RecordedBy: p.RecordedBy,
	}
}

// subsidyAidJSON is the chaincode's SubsidyAidReport.
type subsidyAidJSON struct {
	Beneficiary      string `json:"beneficiary"`
	Currency         string `json:"currency"`
	From             string `json:"from"`
	To               string `json:"to"`
	Total            int64  `json:"total"`
	Ceiling          int64  `json:"ceiling"`
	Remaining        int64  `json:"remaining"`
	ByAdministration []struct {
		GrantingMSP string `json:"grantingMsp"`
		Amount      int64  `json:"amount"`
		Grants      int32  `json:"grants"`
	} `json:"byAdministration"`
	Awards []struct {
		GrantingMSP string `json:"grantingMsp"`
		ProgrammeID string `json:"programmeId"`
		GrantID     string `json:"grantId"`
		Amount      int64  `json:"amount"`
		ApprovedAt  string `json:"approvedAt"`
	} `json:"awards"`
}

func (a *subsidyAidJSON) proto() *apiv1.AidReceivedResponse {
	out := &apiv1.AidReceivedResponse{
		Beneficiary: a.Beneficiary, Currency: a.Currency, WindowStart: a.From, WindowEnd: a.To,
		TotalMinor: a.Total, CeilingMinor: a.Ceiling, RemainingMinor: a.Remaining,
	}
	for _, s := range a.ByAdministration {
		out.ByAdministration = append(out.ByAdministration,
			&apiv1.DeMinimisShare{GrantingMspId: s.GrantingMSP, AmountMinor: s.Amount, Grants: s.Grants})
	}
	for _, r := range a.Awards {
		out.Awards = append(out.Awards, &apiv1.DeMinimisAward{GrantingMspId: r.GrantingMSP, ProgrammeId: r.ProgrammeID,
			GrantId: r.GrantID, AmountMinor: r.Amount, ApprovedAt: r.ApprovedAt})
	}
	return out
}
