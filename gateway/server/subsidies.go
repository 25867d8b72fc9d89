package server

import (
	"context"

	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
	"github.com/civicledger/civicledger/gateway/fabric"
)

// subsidiesService serves SubsidiesService over the Subsidies contract. The
// chaincode enforces the four-eyes rule, the budget, payment and de minimis
// ceilings; its refusals reach the client with their figures. Conversions
// are in subsidies_convert.go, request checks in subsidies_validate.go.
type subsidiesService struct {
	apiv1.UnimplementedSubsidiesServiceServer
	*Server
}

func (s *subsidiesService) CreateProgramme(ctx context.Context, req *apiv1.CreateProgrammeRequest) (*apiv1.CreateProgrammeResponse, error) {
	if err := requireAll("programme_id", req.ProgrammeId, "name", req.Name,
		"currency", req.Currency, "legal_basis", req.LegalBasis); err != nil {
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
	if err := requireAll("programme_id", req.ProgrammeId, "grant_id", req.GrantId,
		"beneficiary", req.Beneficiary, "purpose", req.Purpose); err != nil {
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
	if err := requireAll("granting_msp_id", req.GrantingMspId, "grant_id", req.GrantId); err != nil {
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
	if err := requireAll("granting_msp_id", req.GrantingMspId, "grant_id", req.GrantId,
		"reason", req.Reason); err != nil {
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
	if err := requireAll("granting_msp_id", req.GrantingMspId, "grant_id", req.GrantId,
		"payment_id", req.PaymentId); err != nil {
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
	if err := requireAll("granting_msp_id", req.GrantingMspId, "programme_id", req.ProgrammeId); err != nil {
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
	if err := requireAll("granting_msp_id", req.GrantingMspId, "grant_id", req.GrantId); err != nil {
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
	if err := requireAll("granting_msp_id", req.GrantingMspId, "programme_id", req.ProgrammeId); err != nil {
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
