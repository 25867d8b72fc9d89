//go:build integration

package integration

import (
	"crypto/sha256"
	"encoding/hex"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"

	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
)

// permissionsClient is the PermissionsService of mspID's gateway as user.
func permissionsClient(t *testing.T, mspID, user string) apiv1.PermissionsServiceClient {
	t.Helper()
	return apiv1.NewPermissionsServiceClient(gw(t, mspID, user))
}

// permissionsOffer is a valid offer from RegistryMSP to TreasuryMSP of
// civil-status data, open since an hour, for a year.
func permissionsOffer(id string) *apiv1.OfferPermissionRequest {
	now := time.Now().UTC()
	return &apiv1.OfferPermissionRequest{
		Id: id, GranteeMspId: treasury, Category: "civil-status",
		Purpose: "checking household composition for housing aid", LegalBasis: "Housing code art. 12",
		ValidFrom: now.Add(-time.Hour).Format(time.RFC3339), ValidUntil: now.AddDate(1, 0, 0).Format(time.RFC3339),
	}
}

// permissionsSubject is a subject reference unique to the run.
func permissionsSubject(seed string) string {
	sum := sha256.Sum256([]byte("subject:" + seed))
	return hex.EncodeToString(sum[:])
}

// permissionsCommittedBy checks through the ledger that a transaction is
// VALID and returns the MSP IDs of its endorsers.
func permissionsCommittedBy(t *testing.T, committed *apiv1.Committed, function string) []string {
	t.Helper()
	require.NotEmpty(t, committed.GetTransactionId())
	tx, err := apiv1.NewLedgerServiceClient(gw(t, council, "clerk")).GetTransaction(ctx(t),
		&apiv1.GetTransactionRequest{TransactionId: committed.TransactionId})
	require.NoError(t, err)
	require.True(t, tx.Valid, "validation code %s", tx.ValidationCode)
	require.Equal(t, function, tx.Function)
	return tx.Endorsers
}

// permissionsIsInvalidUse pages through the auditors' list looking for a use.
func permissionsIsInvalidUse(t *testing.T, id string) bool {
	t.Helper()
	req := &apiv1.ListInvalidUsesRequest{PageSize: 100}
	for {
		page, err := permissionsClient(t, council, "clerk").ListInvalidUses(ctx(t), req)
		require.NoError(t, err)
		for _, u := range page.Uses {
			if u.Id == id {
				return true
			}
		}
		if page.NextPageToken == "" {
			return false
		}
		req.PageToken = page.NextPageToken
	}
}

func TestPermissionsService(t *testing.T) {
	id := uniqueID("PERM")
	subject := permissionsSubject(id)

	t.Run("an approver of the owner offers a permission, which stays offered until the grantee accepts it", func(t *testing.T) {
		resp, err := permissionsClient(t, registry, "approver").OfferPermission(ctx(t), permissionsOffer(id))
		require.NoError(t, err)
		require.Equal(t, apiv1.PermissionStatus_PERMISSION_STATUS_OFFERED, resp.Permission.Status)
		require.Equal(t, registry, resp.Permission.OwnerMspId)
		require.Empty(t, resp.Permission.SubjectRef)
		permissionsCommittedBy(t, resp.Committed, "Permissions:Offer")

		got, err := permissionsClient(t, council, "clerk").GetPermission(ctx(t), &apiv1.GetPermissionRequest{OwnerMspId: registry, PermissionId: id})
		require.NoError(t, err)
		require.Equal(t, treasury, got.Permission.GranteeMspId)
		require.Equal(t, apiv1.PermissionStatus_PERMISSION_STATUS_OFFERED, got.Permission.Status)
	})

	t.Run("the same offer sent twice with one idempotency key is committed once", func(t *testing.T) {
		req, key := permissionsOffer(uniqueID("PERM-IDEM")), uniqueID("key")
		first, err := permissionsClient(t, registry, "approver").OfferPermission(withIdempotencyKey(ctx(t), key), req)
		require.NoError(t, err)
		second, err := permissionsClient(t, registry, "approver").OfferPermission(withIdempotencyKey(ctx(t), key), req)
		require.NoError(t, err)
		require.Equal(t, first.Committed.TransactionId, second.Committed.TransactionId)
	})

	t.Run("offering an id the owner already used is refused as already existing", func(t *testing.T) {
		_, err := permissionsClient(t, registry, "approver").OfferPermission(ctx(t), permissionsOffer(id))
		requireCode(t, err, codes.AlreadyExists)
	})

	t.Run("a clerk may not offer a permission", func(t *testing.T) {
		_, err := permissionsClient(t, registry, "clerk").OfferPermission(ctx(t), permissionsOffer(uniqueID("PERM")))
		requireCode(t, err, codes.PermissionDenied)
	})

	t.Run("an offer to an administration that is not a member is not found", func(t *testing.T) {
		req := permissionsOffer(uniqueID("PERM"))
		req.GranteeMspId = "NowhereMSP"
		_, err := permissionsClient(t, registry, "approver").OfferPermission(ctx(t), req)
		requireCode(t, err, codes.NotFound)
	})

	t.Run("malformed offers are refused, by the gateway or by the ledger", func(t *testing.T) {
		for name, edit := range map[string]func(*apiv1.OfferPermissionRequest){
			"no purpose":            func(r *apiv1.OfferPermissionRequest) { r.Purpose = "" },
			"a date without time":   func(r *apiv1.OfferPermissionRequest) { r.ValidFrom = "2025-01-01" },
			"an uppercase category": func(r *apiv1.OfferPermissionRequest) { r.Category = "Civil-Status" },
			"the owner as grantee":  func(r *apiv1.OfferPermissionRequest) { r.GranteeMspId = registry },
			"a window that ended": func(r *apiv1.OfferPermissionRequest) {
				r.ValidFrom, r.ValidUntil = "2020-01-01T00:00:00Z", "2021-01-01T00:00:00Z"
			},
			"a subject that is not a SHA-256":  func(r *apiv1.OfferPermissionRequest) { r.SubjectRef = "abc" },
			"a window ending before it starts": func(r *apiv1.OfferPermissionRequest) { r.ValidFrom, r.ValidUntil = r.ValidUntil, r.ValidFrom },
		} {
			t.Run("an offer with "+name+" is refused", func(t *testing.T) {
				req := permissionsOffer(uniqueID("PERM"))
				edit(req)
				_, err := permissionsClient(t, registry, "approver").OfferPermission(ctx(t), req)
				requireCode(t, err, codes.InvalidArgument)
			})
		}
	})

	t.Run("a third administration's approver cannot accept the offer", func(t *testing.T) {
		_, err := permissionsClient(t, council, "approver").AcceptPermission(ctx(t), &apiv1.AcceptPermissionRequest{OwnerMspId: registry, PermissionId: id})
		requireCode(t, err, codes.PermissionDenied)
	})

	t.Run("the owner cannot accept its own offer", func(t *testing.T) {
		_, err := permissionsClient(t, registry, "approver").AcceptPermission(ctx(t), &apiv1.AcceptPermissionRequest{OwnerMspId: registry, PermissionId: id})
		requireCode(t, err, codes.PermissionDenied)
	})

	t.Run("a clerk of the grantee cannot accept", func(t *testing.T) {
		_, err := permissionsClient(t, treasury, "clerk").AcceptPermission(ctx(t), &apiv1.AcceptPermissionRequest{OwnerMspId: registry, PermissionId: id})
		requireCode(t, err, codes.PermissionDenied)
	})

	t.Run("a use before acceptance is recorded as not valid rather than refused", func(t *testing.T) {
		resp, err := permissionsClient(t, treasury, "clerk").RecordUse(ctx(t), &apiv1.RecordUseRequest{
			OwnerMspId: registry, PermissionId: id, SubjectRef: subject, Purpose: "housing aid file 76",
		})
		require.NoError(t, err)
		require.False(t, resp.Use.Valid)
		require.Equal(t, apiv1.PermissionReason_PERMISSION_REASON_NOT_ACCEPTED, resp.Use.Reason)
		require.Equal(t, resp.Committed.TransactionId, resp.Use.Id)
	})

	t.Run("the grantee accepts through its own gateway and the commit carries both peers' endorsements", func(t *testing.T) {
		resp, err := permissionsClient(t, treasury, "approver").AcceptPermission(ctx(t), &apiv1.AcceptPermissionRequest{OwnerMspId: registry, PermissionId: id})
		require.NoError(t, err)
		require.Equal(t, apiv1.PermissionStatus_PERMISSION_STATUS_ACTIVE, resp.Permission.Status)
		require.NotEmpty(t, resp.Permission.AcceptedAt)
		endorsers := permissionsCommittedBy(t, resp.Committed, "Permissions:Accept")
		require.Contains(t, endorsers, registry)
		require.Contains(t, endorsers, treasury)
	})

	t.Run("accepting a second time fails its precondition", func(t *testing.T) {
		_, err := permissionsClient(t, treasury, "approver").AcceptPermission(ctx(t), &apiv1.AcceptPermissionRequest{OwnerMspId: registry, PermissionId: id})
		requireCode(t, err, codes.FailedPrecondition)
	})

	t.Run("a use under the active permission is valid and the citizen sees it", func(t *testing.T) {
		resp, err := permissionsClient(t, treasury, "clerk").RecordUse(ctx(t), &apiv1.RecordUseRequest{
			OwnerMspId: registry, PermissionId: id, SubjectRef: subject, Purpose: "housing aid file 77", Category: "civil-status",
		})
		require.NoError(t, err)
		require.True(t, resp.Use.Valid, "reason %s", resp.Use.Reason)
		require.Equal(t, apiv1.PermissionReason_PERMISSION_REASON_COVERED, resp.Use.Reason)
		require.Equal(t, treasury, resp.Use.GranteeMspId)

		page, err := permissionsClient(t, council, "clerk").ListUsesBySubject(ctx(t), &apiv1.ListUsesBySubjectRequest{SubjectRef: subject})
		require.NoError(t, err)
		require.Len(t, page.Uses, 2, "the refused use before acceptance, then this one")
		require.False(t, page.Uses[0].Valid)
		require.Equal(t, resp.Use.Id, page.Uses[1].Id)
		require.Empty(t, page.NextPageToken)
	})

	t.Run("check allows the grantee and says why others are not allowed", func(t *testing.T) {
		c := permissionsClient(t, council, "clerk")
		got, err := c.CheckPermission(ctx(t), &apiv1.CheckPermissionRequest{OwnerMspId: registry, GranteeMspId: treasury, Category: "civil-status", SubjectRef: subject})
		require.NoError(t, err)
		require.True(t, got.Allowed)
		require.Equal(t, apiv1.PermissionReason_PERMISSION_REASON_COVERED, got.Reason)
		require.NotEmpty(t, got.PermissionId)

		got, err = c.CheckPermission(ctx(t), &apiv1.CheckPermissionRequest{OwnerMspId: registry, GranteeMspId: council, Category: "civil-status"})
		require.NoError(t, err)
		require.False(t, got.Allowed)
		require.Equal(t, apiv1.PermissionReason_PERMISSION_REASON_NO_SUCH_PERMISSION, got.Reason)
	})

	t.Run("a use by an administration that is not the grantee is recorded as invalid and listed for auditors", func(t *testing.T) {
		resp, err := permissionsClient(t, council, "clerk").RecordUse(ctx(t), &apiv1.RecordUseRequest{
			OwnerMspId: registry, PermissionId: id, SubjectRef: subject, Purpose: "curiosity",
		})
		require.NoError(t, err)
		require.False(t, resp.Use.Valid)
		require.Equal(t, apiv1.PermissionReason_PERMISSION_REASON_OTHER_GRANTEE, resp.Use.Reason)
		require.True(t, permissionsIsInvalidUse(t, resp.Use.Id))
	})

	t.Run("the grantee cannot revoke the permission", func(t *testing.T) {
		_, err := permissionsClient(t, treasury, "approver").RevokePermission(ctx(t),
			&apiv1.RevokePermissionRequest{OwnerMspId: registry, PermissionId: id, Reason: "not ours to end"})
		requireCode(t, err, codes.PermissionDenied)
	})

	t.Run("the owner revokes an accepted permission and a later use is recorded as invalid", func(t *testing.T) {
		resp, err := permissionsClient(t, registry, "approver").RevokePermission(ctx(t),
			&apiv1.RevokePermissionRequest{OwnerMspId: registry, PermissionId: id, Reason: "purpose fulfilled"})
		require.NoError(t, err)
		require.Equal(t, apiv1.PermissionStatus_PERMISSION_STATUS_REVOKED, resp.Permission.Status)
		require.Equal(t, "purpose fulfilled", resp.Permission.RevokeReason)
		require.Contains(t, permissionsCommittedBy(t, resp.Committed, "Permissions:Revoke"), registry)

		use, err := permissionsClient(t, treasury, "clerk").RecordUse(ctx(t), &apiv1.RecordUseRequest{
			OwnerMspId: registry, PermissionId: id, SubjectRef: subject, Purpose: "late lookup",
		})
		require.NoError(t, err)
		require.False(t, use.Use.Valid)
		require.Equal(t, apiv1.PermissionReason_PERMISSION_REASON_REVOKED, use.Use.Reason)
	})

	t.Run("revoking a second time fails its precondition", func(t *testing.T) {
		_, err := permissionsClient(t, registry, "approver").RevokePermission(ctx(t),
			&apiv1.RevokePermissionRequest{OwnerMspId: registry, PermissionId: id, Reason: "again"})
		requireCode(t, err, codes.FailedPrecondition)
	})

	t.Run("the owner withdraws an offer that was never accepted", func(t *testing.T) {
		other := uniqueID("PERM-WITHDRAW")
		_, err := permissionsClient(t, registry, "approver").OfferPermission(ctx(t), permissionsOffer(other))
		require.NoError(t, err)
		resp, err := permissionsClient(t, registry, "admin").RevokePermission(ctx(t),
			&apiv1.RevokePermissionRequest{OwnerMspId: registry, PermissionId: other, Reason: "offered by mistake"})
		require.NoError(t, err)
		require.Equal(t, apiv1.PermissionStatus_PERMISSION_STATUS_REVOKED, resp.Permission.Status)
		endorsers := permissionsCommittedBy(t, resp.Committed, "Permissions:Revoke")
		require.Contains(t, endorsers, registry)
		require.Contains(t, endorsers, treasury)
	})

	t.Run("an unknown permission is not found", func(t *testing.T) {
		_, err := permissionsClient(t, treasury, "clerk").GetPermission(ctx(t), &apiv1.GetPermissionRequest{OwnerMspId: registry, PermissionId: "no-such-permission"})
		requireCode(t, err, codes.NotFound)
		_, err = permissionsClient(t, treasury, "approver").AcceptPermission(ctx(t), &apiv1.AcceptPermissionRequest{OwnerMspId: registry, PermissionId: "no-such-permission"})
		requireCode(t, err, codes.NotFound)
	})

	t.Run("the owner's permissions are listed page by page in id order", func(t *testing.T) {
		c := permissionsClient(t, treasury, "clerk")
		first, err := c.ListPermissionsByOwner(ctx(t), &apiv1.ListPermissionsByOwnerRequest{OwnerMspId: registry, PageSize: 1})
		require.NoError(t, err)
		require.Len(t, first.Permissions, 1)
		require.NotEmpty(t, first.NextPageToken)
		second, err := c.ListPermissionsByOwner(ctx(t), &apiv1.ListPermissionsByOwnerRequest{OwnerMspId: registry, PageSize: 1, PageToken: first.NextPageToken})
		require.NoError(t, err)
		require.Len(t, second.Permissions, 1)
		require.Less(t, first.Permissions[0].Id, second.Permissions[0].Id)

		_, err = c.ListPermissionsByOwner(ctx(t), &apiv1.ListPermissionsByOwnerRequest{OwnerMspId: registry, PageToken: "not-a-bookmark"})
		requireCode(t, err, codes.InvalidArgument)
	})

	t.Run("malformed queries are refused with the field to fix", func(t *testing.T) {
		c := permissionsClient(t, treasury, "clerk")
		_, err := c.ListUsesBySubject(ctx(t), &apiv1.ListUsesBySubjectRequest{SubjectRef: "ABC"})
		requireCode(t, err, codes.InvalidArgument)
		_, err = c.ListInvalidUses(ctx(t), &apiv1.ListInvalidUsesRequest{PageSize: 101})
		requireCode(t, err, codes.InvalidArgument)
		_, err = c.CheckPermission(ctx(t), &apiv1.CheckPermissionRequest{OwnerMspId: registry, GranteeMspId: treasury, Category: "Tax"})
		requireCode(t, err, codes.InvalidArgument)
		_, err = c.RecordUse(ctx(t), &apiv1.RecordUseRequest{OwnerMspId: registry, PermissionId: id, SubjectRef: subject})
		requireCode(t, err, codes.InvalidArgument)
	})
}
