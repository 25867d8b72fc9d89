package server

import (
	"github.com/civicledger/civicledger/chaincode/records"
	"github.com/civicledger/civicledger/chaincode/spec"
	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
)

// Conversion between the Permissions contract's records (chaincode/records)
// and the API's messages.

// permissionStatuses maps the chaincode's statuses to the API's.
var permissionStatuses = map[string]apiv1.PermissionStatus{
	spec.PermissionOffered: apiv1.PermissionStatus_PERMISSION_STATUS_OFFERED,
	spec.PermissionActive:  apiv1.PermissionStatus_PERMISSION_STATUS_ACTIVE,
	spec.PermissionRevoked: apiv1.PermissionStatus_PERMISSION_STATUS_REVOKED,
}

// permissionReasons maps the chaincode's reasons to the API's.
var permissionReasons = map[string]apiv1.PermissionReason{
	spec.ReasonCovered:            apiv1.PermissionReason_PERMISSION_REASON_COVERED,
	spec.ReasonNoSuchPermission:   apiv1.PermissionReason_PERMISSION_REASON_NO_SUCH_PERMISSION,
	spec.ReasonOtherGrantee:       apiv1.PermissionReason_PERMISSION_REASON_OTHER_GRANTEE,
	spec.ReasonCategoryNotCovered: apiv1.PermissionReason_PERMISSION_REASON_CATEGORY_NOT_COVERED,
	spec.ReasonRevoked:            apiv1.PermissionReason_PERMISSION_REASON_REVOKED,
	spec.ReasonNotAccepted:        apiv1.PermissionReason_PERMISSION_REASON_NOT_ACCEPTED,
	spec.ReasonOutsideWindow:      apiv1.PermissionReason_PERMISSION_REASON_OUTSIDE_VALIDITY_WINDOW,
	spec.ReasonSubjectNotCovered:  apiv1.PermissionReason_PERMISSION_REASON_SUBJECT_NOT_COVERED,
}

func permissionProto(p records.Permission) (*apiv1.Permission, error) {
	st, err := ledgerEnum(permissionStatuses, "permission status", p.Status)
	if err != nil {
		return nil, err
	}
	return &apiv1.Permission{
		Id: p.ID, OwnerMspId: p.Owner, GranteeMspId: p.Grantee, Category: p.Category,
		Purpose: p.Purpose, LegalBasis: p.LegalBasis, ValidFrom: p.ValidFrom, ValidUntil: p.ValidUntil,
		SubjectRef: p.SubjectRef, Status: st, OfferedAt: p.OfferedAt, OfferedBy: p.OfferedBy,
		AcceptedAt: p.AcceptedAt, AcceptedBy: p.AcceptedBy,
		RevokedAt: p.RevokedAt, RevokedBy: p.RevokedBy, RevokeReason: p.RevokeReason,
	}, nil
}

func permissionUseProto(u records.PermissionUse) (*apiv1.PermissionUse, error) {
	reason, err := ledgerEnum(permissionReasons, "permission reason", u.Reason)
	if err != nil {
		return nil, err
	}
	return &apiv1.PermissionUse{
		Id: u.ID, OwnerMspId: u.Owner, PermissionId: u.PermissionID, GranteeMspId: u.Grantee,
		Category: u.Category, SubjectRef: u.SubjectRef, Purpose: u.Purpose,
		UsedAt: u.UsedAt, UsedBy: u.UsedBy, Valid: u.Valid, Reason: reason,
	}, nil
}
