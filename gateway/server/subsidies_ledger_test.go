package server

import (
	"context"
	"testing"

	"google.golang.org/grpc/codes"
	"google.golang.org/protobuf/proto"

	"github.com/civicledger/civicledger/chaincode/spec"
	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
)

const (
	testProgrammeJSON = `{"grantingMsp":"RegistryMSP","id":"P1","name":"Digital shops","budget":5000000,"currency":"EUR",` +
		`"legalBasis":"Decree 12","periodStart":"2026-01-01","periodEnd":"2026-12-31","deMinimis":true,"createdAt":"2026-01-02T10:00:00Z","createdBy":"clerk1"}`
	testGrantJSON = `{"grantingMsp":"RegistryMSP","programmeId":"P1","grantId":"G1","beneficiary":"FR123","amount":250000,"currency":"EUR",` +
		`"deMinimis":true,"purpose":"till","status":"rejected","proposedAt":"2026-02-01T10:00:00Z","proposedBy":"clerk1",` +
		`"decidedAt":"2026-02-02T10:00:00Z","decidedBy":"approver1","decidedByMsp":"TaxMSP","rejectionReason":"duplicate","paidTotal":0}`
	testPaymentJSON = `{"grantingMsp":"RegistryMSP","grantId":"G1","paymentId":"PAY1","amount":1000,"paidTotal":1000,"recordedAt":"2026-03-01T10:00:00Z","recordedBy":"clerk1"}`
)

var (
	testProgramme = &apiv1.SubsidyProgramme{GrantingMspId: "RegistryMSP", ProgrammeId: "P1", Name: "Digital shops", BudgetMinor: 5000000,
		Currency: "EUR", LegalBasis: "Decree 12", PeriodStart: "2026-01-01", PeriodEnd: "2026-12-31", DeMinimis: true,
		CreatedAt: "2026-01-02T10:00:00Z", CreatedBy: "clerk1"}
	testGrant = &apiv1.SubsidyGrant{GrantingMspId: "RegistryMSP", ProgrammeId: "P1", GrantId: "G1", Beneficiary: "FR123",
		AmountMinor: 250000, Currency: "EUR", DeMinimis: true, Purpose: "till", Status: apiv1.SubsidyGrantStatus_SUBSIDY_GRANT_STATUS_REJECTED,
		ProposedAt: "2026-02-01T10:00:00Z", ProposedBy: "clerk1", DecidedAt: "2026-02-02T10:00:00Z", DecidedBy: "approver1",
		DecidedByMspId: "TaxMSP", RejectionReason: "duplicate"}
	testPayment = &apiv1.SubsidyPayment{GrantingMspId: "RegistryMSP", GrantId: "G1", PaymentId: "PAY1", AmountMinor: 1000,
		PaidTotalMinor: 1000, RecordedAt: "2026-03-01T10:00:00Z", RecordedBy: "clerk1"}
)

func subsidies(l *fakeLedger) *subsidiesService { return &subsidiesService{ledger: l} }

func TestSubsidiesHandlers(t *testing.T) {
	t.Run("a valid request runs the contract's transaction and converts its result", func(t *testing.T) {
		runHandlerCases(t, map[string]handlerCase{
			"CreateProgramme sends the programme as one JSON argument": {
				call: func(c context.Context, l *fakeLedger) (proto.Message, error) {
					return msg(subsidies(l).CreateProgramme(c, &apiv1.CreateProgrammeRequest{ProgrammeId: "P1", Name: "Digital shops",
						BudgetMinor: 5000000, Currency: "EUR", LegalBasis: "Decree 12", PeriodStart: "2026-01-01", PeriodEnd: "2026-12-31",
						DeMinimis: proto.Bool(true)}))
				},
				want: ledgerCall{Kind: "submit", Tx: spec.SubsidiesCreateProgramme, Args: []string{`{"id":"P1","name":"Digital shops","budget":5000000,` +
					`"currency":"EUR","legalBasis":"Decree 12","periodStart":"2026-01-01","periodEnd":"2026-12-31","deMinimis":true}`}},
				answer: testProgrammeJSON,
				resp:   &apiv1.CreateProgrammeResponse{Programme: testProgramme, Committed: testCommitted()},
			},
			"ProposeGrant sends the grant as one JSON argument": {
				call: func(c context.Context, l *fakeLedger) (proto.Message, error) {
					return msg(subsidies(l).ProposeGrant(c, &apiv1.ProposeGrantRequest{ProgrammeId: "P1", GrantId: "G1",
						Beneficiary: "FR123", AmountMinor: 250000, Purpose: "till"}))
				},
				want: ledgerCall{Kind: "submit", Tx: spec.SubsidiesProposeGrant, Args: []string{
					`{"programmeId":"P1","grantId":"G1","beneficiary":"FR123","amount":250000,"purpose":"till"}`}},
				answer: testGrantJSON,
				resp:   &apiv1.ProposeGrantResponse{Grant: testGrant, Committed: testCommitted()},
			},
			"ApproveGrant names the granting administration and the grant": {
				call: func(c context.Context, l *fakeLedger) (proto.Message, error) {
					return msg(subsidies(l).ApproveGrant(c, &apiv1.ApproveGrantRequest{GrantingMspId: "RegistryMSP", GrantId: "G1"}))
				},
				want:   ledgerCall{Kind: "submit", Tx: spec.SubsidiesApproveGrant, Args: []string{"RegistryMSP", "G1"}},
				answer: testGrantJSON,
				resp:   &apiv1.ApproveGrantResponse{Grant: testGrant, Committed: testCommitted()},
			},
			"RejectGrant sends the reason": {
				call: func(c context.Context, l *fakeLedger) (proto.Message, error) {
					return msg(subsidies(l).RejectGrant(c, &apiv1.RejectGrantRequest{GrantingMspId: "RegistryMSP", GrantId: "G1", Reason: "duplicate"}))
				},
				want:   ledgerCall{Kind: "submit", Tx: spec.SubsidiesRejectGrant, Args: []string{"RegistryMSP", "G1", "duplicate"}},
				answer: testGrantJSON,
				resp:   &apiv1.RejectGrantResponse{Grant: testGrant, Committed: testCommitted()},
			},
			"RecordPayment sends the payment as a JSON argument after the grant": {
				call: func(c context.Context, l *fakeLedger) (proto.Message, error) {
					return msg(subsidies(l).RecordPayment(c, &apiv1.RecordPaymentRequest{GrantingMspId: "RegistryMSP", GrantId: "G1",
						PaymentId: "PAY1", AmountMinor: 1000}))
				},
				want:   ledgerCall{Kind: "submit", Tx: spec.SubsidiesRecordPayment, Args: []string{"RegistryMSP", "G1", `{"paymentId":"PAY1","amount":1000}`}},
				answer: testPaymentJSON,
				resp:   &apiv1.RecordPaymentResponse{Payment: testPayment, Committed: testCommitted()},
			},
			"GetProgramme converts the totals": {
				call: func(c context.Context, l *fakeLedger) (proto.Message, error) {
					return msg(subsidies(l).GetProgramme(c, &apiv1.GetProgrammeRequest{GrantingMspId: "RegistryMSP", ProgrammeId: "P1"}))
				},
				want:   ledgerCall{Kind: "evaluate", Tx: spec.SubsidiesGetProgramme, Args: []string{"RegistryMSP", "P1"}},
				answer: `{"programme":` + testProgrammeJSON + `,"approvedTotal":250000,"approvedGrants":1,"remaining":4750000}`,
				resp:   &apiv1.GetProgrammeResponse{Programme: testProgramme, ApprovedTotalMinor: 250000, ApprovedGrants: 1, RemainingMinor: 4750000},
			},
			"GetGrant converts the grant and its payments": {
				call: func(c context.Context, l *fakeLedger) (proto.Message, error) {
					return msg(subsidies(l).GetGrant(c, &apiv1.GetGrantRequest{GrantingMspId: "RegistryMSP", GrantId: "G1"}))
				},
				want:   ledgerCall{Kind: "evaluate", Tx: spec.SubsidiesGetGrant, Args: []string{"RegistryMSP", "G1"}},
				answer: `{"grant":` + testGrantJSON + `,"payments":[` + testPaymentJSON + `]}`,
				resp:   &apiv1.GetGrantResponse{Grant: testGrant, Payments: []*apiv1.SubsidyPayment{testPayment}},
			},
			"ListGrants sends the page size and token": {
				call: func(c context.Context, l *fakeLedger) (proto.Message, error) {
					return msg(subsidies(l).ListGrants(c, &apiv1.ListGrantsRequest{GrantingMspId: "RegistryMSP", ProgrammeId: "P1", PageSize: 5, PageToken: "bm1"}))
				},
				want:   ledgerCall{Kind: "evaluate", Tx: spec.SubsidiesListGrants, Args: []string{"RegistryMSP", "P1", "5", "bm1"}},
				answer: `{"grants":[` + testGrantJSON + `],"bookmark":"bm2"}`,
				resp:   &apiv1.ListGrantsResponse{Grants: []*apiv1.SubsidyGrant{testGrant}, NextPageToken: "bm2"},
			},
			"AidReceived converts the de minimis report": {
				call: func(c context.Context, l *fakeLedger) (proto.Message, error) {
					return msg(subsidies(l).AidReceived(c, &apiv1.AidReceivedRequest{Beneficiary: "FR123"}))
				},
				want: ledgerCall{Kind: "evaluate", Tx: spec.SubsidiesAidReceived, Args: []string{"FR123"}},
				answer: `{"beneficiary":"FR123","currency":"EUR","from":"2023-03-01","to":"2026-03-01","total":250000,"ceiling":30000000,"remaining":29750000,` +
					`"byAdministration":[{"grantingMsp":"RegistryMSP","amount":250000,"grants":1}],` +
					`"awards":[{"beneficiary":"FR123","grantingMsp":"RegistryMSP","programmeId":"P1","grantId":"G1","amount":250000,"approvedAt":"2026-02-02T10:00:00Z"}]}`,
				resp: &apiv1.AidReceivedResponse{Beneficiary: "FR123", Currency: "EUR", WindowStart: "2023-03-01", WindowEnd: "2026-03-01",
					TotalMinor: 250000, CeilingMinor: 30000000, RemainingMinor: 29750000,
					ByAdministration: []*apiv1.DeMinimisShare{{GrantingMspId: "RegistryMSP", AmountMinor: 250000, Grants: 1}},
					Awards: []*apiv1.DeMinimisAward{{GrantingMspId: "RegistryMSP", ProgrammeId: "P1", GrantId: "G1", AmountMinor: 250000,
						ApprovedAt: "2026-02-02T10:00:00Z"}}},
			},
		})
	})

	t.Run("a chaincode refusal reaches the client with its gRPC code", func(t *testing.T) {
		runRefusalCases(t, map[string]refusalCase{
			"an approval by the proposing administration is PermissionDenied": {
				call: func(c context.Context, l *fakeLedger) (proto.Message, error) {
					return msg(subsidies(l).ApproveGrant(c, &apiv1.ApproveGrantRequest{GrantingMspId: "RegistryMSP", GrantId: "G1"}))
				},
				tx: spec.SubsidiesApproveGrant, refusal: "PERMISSION_DENIED: a grant is approved by another administration than the one that proposed it", want: codes.PermissionDenied,
			},
			"a grant beyond the budget is FailedPrecondition": {
				call: func(c context.Context, l *fakeLedger) (proto.Message, error) {
					return msg(subsidies(l).ApproveGrant(c, &apiv1.ApproveGrantRequest{GrantingMspId: "RegistryMSP", GrantId: "G1"}))
				},
				tx: spec.SubsidiesApproveGrant, refusal: "FAILED_PRECONDITION: approving G1 (EUR 2,500.00) exceeds the budget", want: codes.FailedPrecondition,
			},
			"an unknown programme is NotFound": {
				call: func(c context.Context, l *fakeLedger) (proto.Message, error) {
					return msg(subsidies(l).GetProgramme(c, &apiv1.GetProgrammeRequest{GrantingMspId: "RegistryMSP", ProgrammeId: "P9"}))
				},
				tx: spec.SubsidiesGetProgramme, refusal: "NOT_FOUND: no programme P9 of RegistryMSP", want: codes.NotFound,
			},
			"a currency the chaincode does not accept is InvalidArgument": {
				call: func(c context.Context, l *fakeLedger) (proto.Message, error) {
					return msg(subsidies(l).CreateProgramme(c, &apiv1.CreateProgrammeRequest{ProgrammeId: "P1", Name: "n", BudgetMinor: 1,
						Currency: "XXX", LegalBasis: "l", PeriodStart: "2026-01-01", PeriodEnd: "2026-12-31", DeMinimis: proto.Bool(false)}))
				},
				tx: spec.SubsidiesCreateProgramme, refusal: "INVALID_ARGUMENT: currency XXX is not accepted", want: codes.InvalidArgument,
			},
		})
	})

	t.Run("an invalid request never reaches the ledger", func(t *testing.T) {
		runInvalidCases(t, map[string]invalidCase{
			"a programme without de_minimis": {field: "de_minimis", call: func(c context.Context, l *fakeLedger) (proto.Message, error) {
				return msg(subsidies(l).CreateProgramme(c, &apiv1.CreateProgrammeRequest{ProgrammeId: "P1", Name: "n", BudgetMinor: 1,
					Currency: "EUR", LegalBasis: "l", PeriodStart: "2026-01-01", PeriodEnd: "2026-12-31"}))
			}},
			"a grant of a negative amount": {field: "amount_minor", call: func(c context.Context, l *fakeLedger) (proto.Message, error) {
				return msg(subsidies(l).ProposeGrant(c, &apiv1.ProposeGrantRequest{ProgrammeId: "P1", GrantId: "G1", Beneficiary: "FR123", AmountMinor: -1, Purpose: "p"}))
			}},
			"a rejection without a reason": {field: "reason", call: func(c context.Context, l *fakeLedger) (proto.Message, error) {
				return msg(subsidies(l).RejectGrant(c, &apiv1.RejectGrantRequest{GrantingMspId: "RegistryMSP", GrantId: "G1"}))
			}},
			"a payment of zero": {field: "amount_minor", call: func(c context.Context, l *fakeLedger) (proto.Message, error) {
				return msg(subsidies(l).RecordPayment(c, &apiv1.RecordPaymentRequest{GrantingMspId: "RegistryMSP", GrantId: "G1", PaymentId: "PAY1"}))
			}},
			"a grant read without the granting administration": {field: "granting_msp_id", call: func(c context.Context, l *fakeLedger) (proto.Message, error) {
				return msg(subsidies(l).GetGrant(c, &apiv1.GetGrantRequest{GrantId: "G1"}))
			}},
			"an aid query without a beneficiary": {field: "beneficiary", call: func(c context.Context, l *fakeLedger) (proto.Message, error) {
				return msg(subsidies(l).AidReceived(c, &apiv1.AidReceivedRequest{}))
			}},
		})
	})
}
