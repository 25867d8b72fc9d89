package server

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/civicledger/civicledger/chaincode/records"
	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
)

func TestPermissionConversion(t *testing.T) {
	t.Run("every reason the chaincode documents has its own enum value", func(t *testing.T) {
		seen := map[apiv1.PermissionReason]bool{}
		for text, r := range permissionReasons {
			require.NotEqual(t, apiv1.PermissionReason_PERMISSION_REASON_UNSPECIFIED, r, text)
			require.False(t, seen[r], "%s maps to a value used twice", text)
			seen[r] = true
		}
		require.Len(t, seen, len(apiv1.PermissionReason_name)-1)
	})

	t.Run("a permission converts field by field", func(t *testing.T) {
		p, err := permissionProto(records.Permission{ID: "housing-2024", Owner: "RegistryMSP", Grantee: "TreasuryMSP", Category: "tax-income",
			Status: "active", AcceptedAt: "2024-01-03T09:00:00Z"})
		require.NoError(t, err)
		require.Equal(t, "housing-2024", p.Id)
		require.Equal(t, "TreasuryMSP", p.GranteeMspId)
		require.Equal(t, apiv1.PermissionStatus_PERMISSION_STATUS_ACTIVE, p.Status)
		require.Equal(t, "2024-01-03T09:00:00Z", p.AcceptedAt)
	})

	t.Run("an invalid use keeps its reason", func(t *testing.T) {
		u, err := permissionUseProto(records.PermissionUse{ID: "tx1", Valid: false, Reason: "permission revoked"})
		require.NoError(t, err)
		require.False(t, u.Valid)
		require.Equal(t, apiv1.PermissionReason_PERMISSION_REASON_REVOKED, u.Reason)
	})

	t.Run("a status or reason the gateway does not know is an internal error, not UNSPECIFIED", func(t *testing.T) {
		_, err := permissionProto(records.Permission{Status: "suspended"})
		require.Equal(t, codes.Internal, status.Code(err))
		_, err = permissionUseProto(records.PermissionUse{Reason: "because"})
		require.Equal(t, codes.Internal, status.Code(err))
	})
}

func TestPermissionValidation(t *testing.T) {
	svc := &permissionsService{ledger: &fakeLedger{}} // validation fails before any ledger call
	hex := "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
	offer := func(edit func(*apiv1.OfferPermissionRequest)) *apiv1.OfferPermissionRequest {
		r := &apiv1.OfferPermissionRequest{Id: "p1", GranteeMspId: "TreasuryMSP", Category: "tax-income", Purpose: "p",
			LegalBasis: "l", ValidFrom: "2025-01-01T00:00:00Z", ValidUntil: "2099-01-01T00:00:00Z"}
		edit(r)
		return r
	}
	cases := map[string]struct {
		call  func() error
		field string
	}{
		"an offer without grantee": {func() error {
			_, err := svc.OfferPermission(context.Background(), offer(func(r *apiv1.OfferPermissionRequest) { r.GranteeMspId = "" }))
			return err
		}, "grantee_msp_id"},
		"an offer with a date that is not RFC 3339": {func() error {
			_, err := svc.OfferPermission(context.Background(), offer(func(r *apiv1.OfferPermissionRequest) { r.ValidUntil = "2099-01-01" }))
			return err
		}, "valid_until"},
		"an offer with a subject reference that is not hex": {func() error {
			_, err := svc.OfferPermission(context.Background(), offer(func(r *apiv1.OfferPermissionRequest) { r.SubjectRef = "9G86" + hex[4:] }))
			return err
		}, "subject_ref"},
		"an accept without owner": {func() error {
			_, err := svc.AcceptPermission(context.Background(), &apiv1.AcceptPermissionRequest{PermissionId: "p1"})
			return err
		}, "owner_msp_id"},
		"a revoke without reason": {func() error {
			_, err := svc.RevokePermission(context.Background(), &apiv1.RevokePermissionRequest{OwnerMspId: "RegistryMSP", PermissionId: "p1"})
			return err
		}, "reason"},
		"a use without subject": {func() error {
			_, err := svc.RecordUse(context.Background(), &apiv1.RecordUseRequest{OwnerMspId: "RegistryMSP", PermissionId: "p1", Purpose: "x"})
			return err
		}, "subject_ref"},
		"a check without category": {func() error {
			_, err := svc.CheckPermission(context.Background(), &apiv1.CheckPermissionRequest{OwnerMspId: "RegistryMSP", GranteeMspId: "TreasuryMSP"})
			return err
		}, "category"},
		"a get without id": {func() error {
			_, err := svc.GetPermission(context.Background(), &apiv1.GetPermissionRequest{OwnerMspId: "RegistryMSP"})
			return err
		}, "permission_id"},
		"a list with a page size over 100": {func() error {
			_, err := svc.ListPermissionsByOwner(context.Background(), &apiv1.ListPermissionsByOwnerRequest{OwnerMspId: "RegistryMSP", PageSize: 101})
			return err
		}, "page_size"},
		"uses of a malformed subject": {func() error {
			_, err := svc.ListUsesBySubject(context.Background(), &apiv1.ListUsesBySubjectRequest{SubjectRef: "abc"})
			return err
		}, "subject_ref"},
		"invalid uses with a negative page size": {func() error {
			_, err := svc.ListInvalidUses(context.Background(), &apiv1.ListInvalidUsesRequest{PageSize: -1})
			return err
		}, "page_size"},
	}
	for name, c := range cases {
		t.Run(name+" is refused with the field's name", func(t *testing.T) {
			st := status.Convert(c.call())
			require.Equal(t, codes.InvalidArgument, st.Code(), st.Message())
			require.Contains(t, st.Message(), c.field)
		})
	}
}
