package server

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"

	"github.com/civicledger/civicledger/chaincode/records"
	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
)

func TestSubsidiesValidation(t *testing.T) {
	s := &subsidiesService{} // validation fails before the ledger is called
	valid := func() *apiv1.CreateProgrammeRequest {
		return &apiv1.CreateProgrammeRequest{ProgrammeId: "P", Name: "n", BudgetMinor: 1, Currency: "EUR", LegalBasis: "l",
			PeriodStart: "2024-01-01", PeriodEnd: "2024-12-31", DeMinimis: proto.Bool(true)}
	}
	cases := map[string]struct {
		call  func() error
		field string
	}{
		"a programme without de_minimis is refused rather than exempted": {func() error {
			r := valid()
			r.DeMinimis = nil
			_, err := s.CreateProgramme(context.Background(), r)
			return err
		}, "de_minimis"},
		"a budget of zero is refused": {func() error {
			r := valid()
			r.BudgetMinor = 0
			_, err := s.CreateProgramme(context.Background(), r)
			return err
		}, "budget_minor"},
		"a period date that is not YYYY-MM-DD is refused": {func() error {
			r := valid()
			r.PeriodEnd = "31/12/2024"
			_, err := s.CreateProgramme(context.Background(), r)
			return err
		}, "period_end"},
		"a negative grant amount is refused": {func() error {
			_, err := s.ProposeGrant(context.Background(), &apiv1.ProposeGrantRequest{ProgrammeId: "P", GrantId: "G",
				Beneficiary: "FR123", AmountMinor: -5, Purpose: "x"})
			return err
		}, "amount_minor"},
		"an approval without the granting administration is refused": {func() error {
			_, err := s.ApproveGrant(context.Background(), &apiv1.ApproveGrantRequest{GrantId: "G"})
			return err
		}, "granting_msp_id"},
		"a rejection without a reason is refused": {func() error {
			_, err := s.RejectGrant(context.Background(), &apiv1.RejectGrantRequest{GrantingMspId: "RegistryMSP", GrantId: "G"})
			return err
		}, "reason"},
		"a payment without an id is refused": {func() error {
			_, err := s.RecordPayment(context.Background(), &apiv1.RecordPaymentRequest{GrantingMspId: "RegistryMSP", GrantId: "G", AmountMinor: 1})
			return err
		}, "payment_id"},
		"a page size above 100 is refused": {func() error {
			_, err := s.ListGrants(context.Background(), &apiv1.ListGrantsRequest{GrantingMspId: "RegistryMSP", ProgrammeId: "P", PageSize: 101})
			return err
		}, "page_size"},
		"an aid query without a beneficiary is refused": {func() error {
			_, err := s.AidReceived(context.Background(), &apiv1.AidReceivedRequest{})
			return err
		}, "beneficiary"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			st := status.Convert(c.call())
			require.Equal(t, codes.InvalidArgument, st.Code(), st.Message())
			require.Contains(t, st.Message(), c.field+":")
		})
	}
}

func TestSubsidyGrantConversion(t *testing.T) {
	t.Run("a decided grant keeps its status, decider and amounts", func(t *testing.T) {
		var g records.SubsidyGrant
		require.NoError(t, json.Unmarshal([]byte(`{"grantingMsp":"RegistryMSP","programmeId":"P","grantId":"G",
			"beneficiary":"FR123","amount":2500000,"currency":"EUR","deMinimis":true,"purpose":"x","status":"rejected",
			"proposedAt":"t1","proposedBy":"c1","decidedAt":"t2","decidedBy":"c2","decidedByMsp":"TreasuryMSP",
			"rejectionReason":"not an SME","paidTotal":0}`), &g))
		p := subsidyGrantProto(&g)
		require.Equal(t, apiv1.SubsidyGrantStatus_SUBSIDY_GRANT_STATUS_REJECTED, p.Status)
		require.Equal(t, int64(2500000), p.AmountMinor)
		require.Equal(t, "TreasuryMSP", p.DecidedByMspId)
		require.Equal(t, "not an SME", p.RejectionReason)
	})
	t.Run("a status the gateway does not know is unspecified", func(t *testing.T) {
		g := records.SubsidyGrant{Status: "suspended"}
		require.Equal(t, apiv1.SubsidyGrantStatus_SUBSIDY_GRANT_STATUS_UNSPECIFIED, subsidyGrantProto(&g).Status)
	})
}
