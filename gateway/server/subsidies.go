package server

import (
	"context"
	"time"

	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
	"github.com/civicledger/civicledger/gateway/fabric"
)

// subsidiesService serves SubsidiesService over the Subsidies contract. The
// chaincode enforces the four-eyes rule, the budget, payment and de minimis
// ceilings; its refusals reach the client with their figures.
type subsidiesService struct {
	apiv1.UnimplementedSubsidiesServiceServer
	*Server
}

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

// subsidyRequired checks that every named field is set, in order, so the
// first missing one is reported.
func subsidyRequired(fields ...[2]string) error {
	for _, f := range fields {
		if err := required(f[0], f[1]); err != nil {
			return err
		}
	}
	return nil
}

// subsidyAmount checks an amount in minor units is positive.
func subsidyAmount(field string, v int64) error {
	if v <= 0 {
		return invalid(field, "must be a positive amount in minor units of the currency (2500000 is EUR 25,000.00), got %d", v)
	}
	return nil
}

// subsidyDate checks a programme date is an inclusive calendar date.
func subsidyDate(field, v string) error {
	if err := required(field, v); err != nil {
		return err
	}
	if _, err := time.Parse(time.DateOnly, v); err != nil {
		return invalid(field, "must be a date YYYY-MM-DD, got %q", v)
	}
	return nil
}

func (s *subsidiesService) CreateProgramme(ctx context.Context, req *apiv1.CreateProgrammeRequest) (*apiv1.CreateProgrammeResponse, error) {
	if err := subsidyRequired([2]string{"programme_id", req.ProgrammeId}, [2]string{"name", req.Name},
		[2]string{"currency", req.Currency}, [2]string{"legal_basis", req.LegalBasis}); err != nil {
		return nil, err
	}
	if err := subsidyAmount("budget_minor", req.BudgetMinor); err != nil {
		return nil, err
	}
	if err := subsidyDate("period_start", req.PeriodStart); err != nil {
		return nil, err
	}
	if err := subsidyDate("period_end", req.PeriodEnd); err != nil {
		return nil, err
	}
	if req.DeMinimis == nil {
		return nil, invalid("de_minimis", "is required: true if the grants count towards the EU de minimis ceiling, false otherwise")
	}
	input, err := jsonArg(map[string]any{
		"id": req.ProgrammeId, "name": req.Name, "budget": req.BudgetMinor, "currency": req.Currency,
		"legalBasis": req.LegalBasis, "periodStart": req.PeriodStart, "periodEnd": req.PeriodEnd,
		"deMinimis": req.GetDeMinimis(),
	})
	if err != nil {
		return nil, err
	}
	var p subsidyProgrammeJSON
	committed, err := s.submitJSON(ctx, &p, fabric.Submission{Transaction: "Subsidies:CreateProgramme", Args: []string{input}})
	if err != nil {
		return nil, err
	}
	return &apiv1.CreateProgrammeResponse{Programme: p.proto(), Committed: committed}, nil
}

func (s *subsidiesService) ProposeGrant(ctx context.Context, req *apiv1.ProposeGrantRequest) (*apiv1.ProposeGrantResponse, error) {
	if err := subsidyRequired([2]string{"programme_id", req.ProgrammeId}, [2]string{"grant_id", req.GrantId},
		[2]string{"beneficiary", req.Beneficiary}, [2]string{"purpose", req.Purpose}); err != nil {
		return nil, err
	}
	if err := subsidyAmount("amount_minor", req.AmountMinor); err != nil {
		return nil, err
	}
	input, err := jsonArg(map[string]any{
		"programmeId": req.ProgrammeId, "grantId": req.GrantId, "beneficiary": req.Beneficiary,
		"amount": req.AmountMinor, "purpose": req.Purpose,
	})
	if err != nil {
		return nil, err
	}
	var g subsidyGrantJSON
	committed, err := s.submitJSON(ctx, &g, fabric.Submission{Transaction: "Subsidies:ProposeGrant", Args: []string{input}})
	if err != nil {
		return nil, err
	}
	return &apiv1.ProposeGrantResponse{Grant: g.proto(), Committed: committed}, nil
}

func (s *subsidiesService) ApproveGrant(ctx context.Context, req *apiv1.ApproveGrantRequest) (*apiv1.ApproveGrantResponse, error) {
	if err := subsidyRequired([2]string{"granting_msp_id", req.GrantingMspId}, [2]string{"grant_id", req.GrantId}); err != nil {
		return nil, err
	}
	var g subsidyGrantJSON
	committed, err := s.submitJSON(ctx, &g, fabric.Submission{
		Transaction: "Subsidies:ApproveGrant", Args: []string{req.GrantingMspId, req.GrantId},
	})
	if err != nil {
		return nil, err
	}
	return &apiv1.ApproveGrantResponse{Grant: g.proto(), Committed: committed}, nil
}

func (s *subsidiesService) RejectGrant(ctx context.Context, req *apiv1.RejectGrantRequest) (*apiv1.RejectGrantResponse, error) {
	if err := subsidyRequired([2]string{"granting_msp_id", req.GrantingMspId}, [2]string{"grant_id", req.GrantId},
		[2]string{"reason", req.Reason}); err != nil {
		return nil, err
	}
	var g subsidyGrantJSON
	committed, err := s.submitJSON(ctx, &g, fabric.Submission{
		Transaction: "Subsidies:RejectGrant", Args: []string{req.GrantingMspId, req.GrantId, req.Reason},
	})
	if err != nil {
		return nil, err
	}
	return &apiv1.RejectGrantResponse{Grant: g.proto(), Committed: committed}, nil
}

func (s *subsidiesService) RecordPayment(ctx context.Context, req *apiv1.RecordPaymentRequest) (*apiv1.RecordPaymentResponse, error) {
	if err := subsidyRequired([2]string{"granting_msp_id", req.GrantingMspId}, [2]string{"grant_id", req.GrantId},
		[2]string{"payment_id", req.PaymentId}); err != nil {
		return nil, err
	}
	if err := subsidyAmount("amount_minor", req.AmountMinor); err != nil {
		return nil, err
	}
	input, err := jsonArg(map[string]any{"paymentId": req.PaymentId, "amount": req.AmountMinor})
	if err != nil {
		return nil, err
	}
	var p subsidyPaymentJSON
	committed, err := s.submitJSON(ctx, &p, fabric.Submission{
		Transaction: "Subsidies:RecordPayment", Args: []string{req.GrantingMspId, req.GrantId, input},
	})
	if err != nil {
		return nil, err
	}
	return &apiv1.RecordPaymentResponse{Payment: p.proto(), Committed: committed}, nil
}

func (s *subsidiesService) GetProgramme(ctx context.Context, req *apiv1.GetProgrammeRequest) (*apiv1.GetProgrammeResponse, error) {
	if err := subsidyRequired([2]string{"granting_msp_id", req.GrantingMspId}, [2]string{"programme_id", req.ProgrammeId}); err != nil {
		return nil, err
	}
	var v struct {
		Programme      *subsidyProgrammeJSON `json:"programme"`
		ApprovedTotal  int64                 `json:"approvedTotal"`
		ApprovedGrants int32                 `json:"approvedGrants"`
		Remaining      int64                 `json:"remaining"`
	}
	if err := s.evaluateJSON(ctx, &v, "Subsidies:GetProgramme", req.GrantingMspId, req.ProgrammeId); err != nil {
		return nil, err
	}
	return &apiv1.GetProgrammeResponse{Programme: v.Programme.proto(), ApprovedTotalMinor: v.ApprovedTotal,
		ApprovedGrants: v.ApprovedGrants, RemainingMinor: v.Remaining}, nil
}

func (s *subsidiesService) GetGrant(ctx context.Context, req *apiv1.GetGrantRequest) (*apiv1.GetGrantResponse, error) {
	if err := subsidyRequired([2]string{"granting_msp_id", req.GrantingMspId}, [2]string{"grant_id", req.GrantId}); err != nil {
		return nil, err
	}
	var v struct {
		Grant    *subsidyGrantJSON    `json:"grant"`
		Payments []subsidyPaymentJSON `json:"payments"`
	}
	if err := s.evaluateJSON(ctx, &v, "Subsidies:GetGrant", req.GrantingMspId, req.GrantId); err != nil {
		return nil, err
	}
	resp := &apiv1.GetGrantResponse{Grant: v.Grant.proto()}
	for i := range v.Payments {
		resp.Payments = append(resp.Payments, v.Payments[i].proto())
	}
	return resp, nil
}

func (s *subsidiesService) ListGrants(ctx context.Context, req *apiv1.ListGrantsRequest) (*apiv1.ListGrantsResponse, error) {
	if err := subsidyRequired([2]string{"granting_msp_id", req.GrantingMspId}, [2]string{"programme_id", req.ProgrammeId}); err != nil {
		return nil, err
	}
	size, err := pageSize(req.PageSize)
	if err != nil {
		return nil, err
	}
	var page struct {
		Grants   []subsidyGrantJSON `json:"grants"`
		Bookmark string             `json:"bookmark"`
	}
	if err := s.evaluateJSON(ctx, &page, "Subsidies:ListGrants", req.GrantingMspId, req.ProgrammeId, size, req.PageToken); err != nil {
		return nil, err
	}
	resp := &apiv1.ListGrantsResponse{NextPageToken: page.Bookmark}
	for i := range page.Grants {
		resp.Grants = append(resp.Grants, page.Grants[i].proto())
	}
	return resp, nil
}

func (s *subsidiesService) AidReceived(ctx context.Context, req *apiv1.AidReceivedRequest) (*apiv1.AidReceivedResponse, error) {
	if err := required("beneficiary", req.Beneficiary); err != nil {
		return nil, err
	}
	var a subsidyAidJSON
	if err := s.evaluateJSON(ctx, &a, "Subsidies:AidReceived", req.Beneficiary); err != nil {
		return nil, err
	}
	return a.proto(), nil
}
