package server

import (
	"context"

	"github.com/civicledger/civicledger/chaincode/records"
	"github.com/civicledger/civicledger/chaincode/spec"
	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
	"github.com/civicledger/civicledger/gateway/fabric"
)

// subsidiesService serves SubsidiesService over the Subsidies contract. The
// chaincode enforces the four-eyes rule, the budget, payment and de minimis
// ceilings; its refusals reach the client with their figures. Conversions
// are in subsidies_convert.go, request checks in subsidies_validate.go.
type subsidiesService struct {
	apiv1.UnimplementedSubsidiesServiceServer
	ledger ledger
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
	deMinimis := req.GetDeMinimis()
	input, err := jsonArg(records.SubsidyProgrammeInput{
		ID: req.ProgrammeId, Name: req.Name, Budget: req.BudgetMinor, Currency: req.Currency,
		LegalBasis: req.LegalBasis, PeriodStart: req.PeriodStart, PeriodEnd: req.PeriodEnd,
		DeMinimis: &deMinimis,
	})
	if err != nil {
		return nil, err
	}
	var p records.SubsidyProgramme
	committed, err := submitJSON(ctx, s.ledger, &p, fabric.Submission{Transaction: spec.SubsidiesCreateProgramme, Args: []string{input}})
	if err != nil {
		return nil, err
	}
	return &apiv1.CreateProgrammeResponse{Programme: subsidyProgrammeProto(&p), Committed: committed}, nil
}

func (s *subsidiesService) ProposeGrant(ctx context.Context, req *apiv1.ProposeGrantRequest) (*apiv1.ProposeGrantResponse, error) {
	if err := requireAll("programme_id", req.ProgrammeId, "grant_id", req.GrantId,
		"beneficiary", req.Beneficiary, "purpose", req.Purpose); err != nil {
		return nil, err
	}
	if err := subsidyAmount("amount_minor", req.AmountMinor); err != nil {
		return nil, err
	}
	input, err := jsonArg(records.SubsidyGrantInput{
		ProgrammeID: req.ProgrammeId, GrantID: req.GrantId, Beneficiary: req.Beneficiary,
		Amount: req.AmountMinor, Purpose: req.Purpose,
	})
	if err != nil {
		return nil, err
	}
	var g records.SubsidyGrant
	committed, err := submitJSON(ctx, s.ledger, &g, fabric.Submission{Transaction: spec.SubsidiesProposeGrant, Args: []string{input}})
	if err != nil {
		return nil, err
	}
	return &apiv1.ProposeGrantResponse{Grant: subsidyGrantProto(&g), Committed: committed}, nil
}

func (s *subsidiesService) ApproveGrant(ctx context.Context, req *apiv1.ApproveGrantRequest) (*apiv1.ApproveGrantResponse, error) {
	if err := requireAll("granting_msp_id", req.GrantingMspId, "grant_id", req.GrantId); err != nil {
		return nil, err
	}
	var g records.SubsidyGrant
	committed, err := submitJSON(ctx, s.ledger, &g, fabric.Submission{
		Transaction: spec.SubsidiesApproveGrant, Args: []string{req.GrantingMspId, req.GrantId},
	})
	if err != nil {
		return nil, err
	}
	return &apiv1.ApproveGrantResponse{Grant: subsidyGrantProto(&g), Committed: committed}, nil
}

func (s *subsidiesService) RejectGrant(ctx context.Context, req *apiv1.RejectGrantRequest) (*apiv1.RejectGrantResponse, error) {
	if err := requireAll("granting_msp_id", req.GrantingMspId, "grant_id", req.GrantId,
		"reason", req.Reason); err != nil {
		return nil, err
	}
	var g records.SubsidyGrant
	committed, err := submitJSON(ctx, s.ledger, &g, fabric.Submission{
		Transaction: spec.SubsidiesRejectGrant, Args: []string{req.GrantingMspId, req.GrantId, req.Reason},
	})
	if err != nil {
		return nil, err
	}
	return &apiv1.RejectGrantResponse{Grant: subsidyGrantProto(&g), Committed: committed}, nil
}

func (s *subsidiesService) RecordPayment(ctx context.Context, req *apiv1.RecordPaymentRequest) (*apiv1.RecordPaymentResponse, error) {
	if err := requireAll("granting_msp_id", req.GrantingMspId, "grant_id", req.GrantId,
		"payment_id", req.PaymentId); err != nil {
		return nil, err
	}
	if err := subsidyAmount("amount_minor", req.AmountMinor); err != nil {
		return nil, err
	}
	input, err := jsonArg(records.SubsidyPaymentInput{PaymentID: req.PaymentId, Amount: req.AmountMinor})
	if err != nil {
		return nil, err
	}
	var p records.SubsidyPayment
	committed, err := submitJSON(ctx, s.ledger, &p, fabric.Submission{
		Transaction: spec.SubsidiesRecordPayment, Args: []string{req.GrantingMspId, req.GrantId, input},
	})
	if err != nil {
		return nil, err
	}
	return &apiv1.RecordPaymentResponse{Payment: subsidyPaymentProto(&p), Committed: committed}, nil
}

func (s *subsidiesService) GetProgramme(ctx context.Context, req *apiv1.GetProgrammeRequest) (*apiv1.GetProgrammeResponse, error) {
	if err := requireAll("granting_msp_id", req.GrantingMspId, "programme_id", req.ProgrammeId); err != nil {
		return nil, err
	}
	var v records.SubsidyProgrammeView
	if err := evaluateJSON(ctx, s.ledger, &v, spec.SubsidiesGetProgramme, req.GrantingMspId, req.ProgrammeId); err != nil {
		return nil, err
	}
	return &apiv1.GetProgrammeResponse{Programme: subsidyProgrammeProto(v.Programme), ApprovedTotalMinor: v.ApprovedTotal,
		ApprovedGrants: int32(v.ApprovedGrants), RemainingMinor: v.Remaining}, nil
}

func (s *subsidiesService) GetGrant(ctx context.Context, req *apiv1.GetGrantRequest) (*apiv1.GetGrantResponse, error) {
	if err := requireAll("granting_msp_id", req.GrantingMspId, "grant_id", req.GrantId); err != nil {
		return nil, err
	}
	var v records.SubsidyGrantView
	if err := evaluateJSON(ctx, s.ledger, &v, spec.SubsidiesGetGrant, req.GrantingMspId, req.GrantId); err != nil {
		return nil, err
	}
	resp := &apiv1.GetGrantResponse{Grant: subsidyGrantProto(v.Grant)}
	for _, p := range v.Payments {
		resp.Payments = append(resp.Payments, subsidyPaymentProto(p))
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
	var page records.SubsidyGrantPage
	if err := evaluateJSON(ctx, s.ledger, &page, spec.SubsidiesListGrants, req.GrantingMspId, req.ProgrammeId, size, req.PageToken); err != nil {
		return nil, err
	}
	resp := &apiv1.ListGrantsResponse{NextPageToken: page.Bookmark}
	for _, g := range page.Grants {
		resp.Grants = append(resp.Grants, subsidyGrantProto(g))
	}
	return resp, nil
}

func (s *subsidiesService) AidReceived(ctx context.Context, req *apiv1.AidReceivedRequest) (*apiv1.AidReceivedResponse, error) {
	if err := required("beneficiary", req.Beneficiary); err != nil {
		return nil, err
	}
	var a records.SubsidyAidReport
	if err := evaluateJSON(ctx, s.ledger, &a, spec.SubsidiesAidReceived, req.Beneficiary); err != nil {
		return nil, err
	}
	return subsidyAidProto(&a), nil
}
