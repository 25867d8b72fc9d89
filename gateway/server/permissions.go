package server

import (
	"context"

	"github.com/civicledger/civicledger/chaincode/records"
	"github.com/civicledger/civicledger/chaincode/spec"
	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
	"github.com/civicledger/civicledger/gateway/fabric"
)

// permissionsService serves PermissionsService over the Permissions
// contract. Accept and Revoke change a key that carries its own endorsement
// policy; the Fabric Gateway learns it from the first endorser and collects
// the endorsements it needs, so these are plain submits. Conversions are in
// permissions_convert.go.
type permissionsService struct {
	apiv1.UnimplementedPermissionsServiceServer
	ledger ledger
}

// permissionSubject checks a subject reference, which may be empty unless
// it is mandatory.
func permissionSubject(v string, mandatory bool) error {
	if v == "" && !mandatory {
		return nil
	}
	return sha256Hex("subject_ref", v)
}

func (p *permissionsService) OfferPermission(ctx context.Context, req *apiv1.OfferPermissionRequest) (*apiv1.OfferPermissionResponse, error) {
	err := requireAll("id", req.Id, "grantee_msp_id", req.GranteeMspId,
		"category", req.Category, "purpose", req.Purpose, "legal_basis", req.LegalBasis)
	if err != nil {
		return nil, err
	}
	if err := rfc3339("valid_from", req.ValidFrom, true); err != nil {
		return nil, err
	}
	if err := rfc3339("valid_until", req.ValidUntil, true); err != nil {
		return nil, err
	}
	if err := permissionSubject(req.SubjectRef, false); err != nil {
		return nil, err
	}
	input, err := jsonArg(records.PermissionOffer{
		ID: req.Id, Grantee: req.GranteeMspId, Category: req.Category, Purpose: req.Purpose,
		LegalBasis: req.LegalBasis, ValidFrom: req.ValidFrom, ValidUntil: req.ValidUntil, SubjectRef: req.SubjectRef,
	})
	if err != nil {
		return nil, err
	}
	perm, committed, err := p.submitPermission(ctx, spec.PermissionsOffer, input)
	if err != nil {
		return nil, err
	}
	return &apiv1.OfferPermissionResponse{Permission: perm, Committed: committed}, nil
}

func (p *permissionsService) AcceptPermission(ctx context.Context, req *apiv1.AcceptPermissionRequest) (*apiv1.AcceptPermissionResponse, error) {
	if err := requireAll("owner_msp_id", req.OwnerMspId, "permission_id", req.PermissionId); err != nil {
		return nil, err
	}
	perm, committed, err := p.submitPermission(ctx, spec.PermissionsAccept, req.OwnerMspId, req.PermissionId)
	if err != nil {
		return nil, err
	}
	return &apiv1.AcceptPermissionResponse{Permission: perm, Committed: committed}, nil
}

func (p *permissionsService) RevokePermission(ctx context.Context, req *apiv1.RevokePermissionRequest) (*apiv1.RevokePermissionResponse, error) {
	err := requireAll("owner_msp_id", req.OwnerMspId, "permission_id", req.PermissionId, "reason", req.Reason)
	if err != nil {
		return nil, err
	}
	perm, committed, err := p.submitPermission(ctx, spec.PermissionsRevoke, req.OwnerMspId, req.PermissionId, req.Reason)
	if err != nil {
		return nil, err
	}
	return &apiv1.RevokePermissionResponse{Permission: perm, Committed: committed}, nil
}

func (p *permissionsService) RecordUse(ctx context.Context, req *apiv1.RecordUseRequest) (*apiv1.RecordUseResponse, error) {
	err := requireAll("owner_msp_id", req.OwnerMspId, "permission_id", req.PermissionId)
	if err != nil {
		return nil, err
	}
	if err := permissionSubject(req.SubjectRef, true); err != nil {
		return nil, err
	}
	if err := required("purpose", req.Purpose); err != nil {
		return nil, err
	}
	input, err := jsonArg(records.PermissionUseInput{
		OwnerMSP: req.OwnerMspId, PermissionID: req.PermissionId, SubjectRef: req.SubjectRef,
		Purpose: req.Purpose, Category: req.Category,
	})
	if err != nil {
		return nil, err
	}
	use, committed, err := submitConverted(ctx, p.ledger, fabric.Submission{Transaction: spec.PermissionsRecordUse, Args: []string{input}}, permissionUseProto)
	if err != nil {
		return nil, err
	}
	return &apiv1.RecordUseResponse{Use: use, Committed: committed}, nil
}

func (p *permissionsService) CheckPermission(ctx context.Context, req *apiv1.CheckPermissionRequest) (*apiv1.CheckPermissionResponse, error) {
	err := requireAll("owner_msp_id", req.OwnerMspId, "grantee_msp_id", req.GranteeMspId, "category", req.Category)
	if err != nil {
		return nil, err
	}
	if err := permissionSubject(req.SubjectRef, false); err != nil {
		return nil, err
	}
	var out records.PermissionCheck
	if err := evaluateJSON(ctx, p.ledger, &out, spec.PermissionsCheck, req.OwnerMspId, req.GranteeMspId, req.Category, req.SubjectRef); err != nil {
		return nil, err
	}
	reason, err := ledgerEnum(permissionReasons, "permission reason", out.Reason)
	if err != nil {
		return nil, err
	}
	return &apiv1.CheckPermissionResponse{Allowed: out.Allowed, PermissionId: out.PermissionID, Reason: reason}, nil
}

func (p *permissionsService) GetPermission(ctx context.Context, req *apiv1.GetPermissionRequest) (*apiv1.GetPermissionResponse, error) {
	if err := requireAll("owner_msp_id", req.OwnerMspId, "permission_id", req.PermissionId); err != nil {
		return nil, err
	}
	var out records.Permission
	if err := evaluateJSON(ctx, p.ledger, &out, spec.PermissionsGet, req.OwnerMspId, req.PermissionId); err != nil {
		return nil, err
	}
	perm, err := permissionProto(out)
	if err != nil {
		return nil, err
	}
	return &apiv1.GetPermissionResponse{Permission: perm}, nil
}

func (p *permissionsService) ListPermissionsByOwner(ctx context.Context, req *apiv1.ListPermissionsByOwnerRequest) (*apiv1.ListPermissionsByOwnerResponse, error) {
	if err := required("owner_msp_id", req.OwnerMspId); err != nil {
		return nil, err
	}
	size, err := pageSize(req.PageSize)
	if err != nil {
		return nil, err
	}
	var out records.PermissionPage
	if err := evaluateJSON(ctx, p.ledger, &out, spec.PermissionsListByOwner, req.OwnerMspId, size, req.PageToken); err != nil {
		return nil, err
	}
	perms, err := convertAll(out.Permissions, permissionProto)
	if err != nil {
		return nil, err
	}
	return &apiv1.ListPermissionsByOwnerResponse{Permissions: perms, NextPageToken: out.Bookmark}, nil
}

func (p *permissionsService) ListUsesBySubject(ctx context.Context, req *apiv1.ListUsesBySubjectRequest) (*apiv1.ListUsesBySubjectResponse, error) {
	if err := permissionSubject(req.SubjectRef, true); err != nil {
		return nil, err
	}
	size, err := pageSize(req.PageSize)
	if err != nil {
		return nil, err
	}
	var out records.PermissionUsePage
	if err := evaluateJSON(ctx, p.ledger, &out, spec.PermissionsListUsesBySubject, req.SubjectRef, size, req.PageToken); err != nil {
		return nil, err
	}
	uses, err := convertAll(out.Uses, permissionUseProto)
	if err != nil {
		return nil, err
	}
	return &apiv1.ListUsesBySubjectResponse{Uses: uses, NextPageToken: out.Bookmark}, nil
}

func (p *permissionsService) ListInvalidUses(ctx context.Context, req *apiv1.ListInvalidUsesRequest) (*apiv1.ListInvalidUsesResponse, error) {
	size, err := pageSize(req.PageSize)
	if err != nil {
		return nil, err
	}
	var out records.PermissionUsePage
	if err := evaluateJSON(ctx, p.ledger, &out, spec.PermissionsListInvalidUses, size, req.PageToken); err != nil {
		return nil, err
	}
	uses, err := convertAll(out.Uses, permissionUseProto)
	if err != nil {
		return nil, err
	}
	return &apiv1.ListInvalidUsesResponse{Uses: uses, NextPageToken: out.Bookmark}, nil
}

// submitPermission submits a transaction that returns the changed Permission.
func (p *permissionsService) submitPermission(ctx context.Context, tx string, args ...string) (*apiv1.Permission, *apiv1.Committed, error) {
	return submitConverted(ctx, p.ledger, fabric.Submission{Transaction: tx, Args: args}, permissionProto)
}
