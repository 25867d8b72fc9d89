package server

import (
	"context"
	"regexp"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
	"github.com/civicledger/civicledger/gateway/fabric"
)

// permissionsService serves PermissionsService over the Permissions
// contract. Accept and Revoke change a key that carries its own endorsement
// policy; the Fabric Gateway learns it from the first endorser and collects
// the endorsements it needs, so these are plain submits.
type permissionsService struct {
	apiv1.UnimplementedPermissionsServiceServer
	*Server
}

// permissionJSON is the chaincode's Permission.
type permissionJSON struct {
	ID           string `json:"id"`
	Owner        string `json:"owner"`
	Grantee      string `json:"grantee"`
	Category     string `json:"category"`
	Purpose      string `json:"purpose"`
	LegalBasis   string `json:"legalBasis"`
	ValidFrom    string `json:"validFrom"`
	ValidUntil   string `json:"validUntil"`
	SubjectRef   string `json:"subjectRef"`
	Status       string `json:"status"`
	OfferedAt    string `json:"offeredAt"`
	OfferedBy    string `json:"offeredBy"`
	AcceptedAt   string `json:"acceptedAt"`
	AcceptedBy   string `json:"acceptedBy"`
	RevokedAt    string `json:"revokedAt"`
	RevokedBy    string `json:"revokedBy"`
	RevokeReason string `json:"revokeReason"`
}

// permissionStatuses maps the chaincode's statuses to the API's.
var permissionStatuses = map[string]apiv1.PermissionStatus{
	"offered": apiv1.PermissionStatus_PERMISSION_STATUS_OFFERED,
	"active":  apiv1.PermissionStatus_PERMISSION_STATUS_ACTIVE,
	"revoked": apiv1.PermissionStatus_PERMISSION_STATUS_REVOKED,
}

// permissionReasons maps the chaincode's reasons to the API's.
var permissionReasons = map[string]apiv1.PermissionReason{
	"covered by an active permission":              apiv1.PermissionReason_PERMISSION_REASON_COVERED,
	"no such permission":                           apiv1.PermissionReason_PERMISSION_REASON_NO_SUCH_PERMISSION,
	"permission granted to another administration": apiv1.PermissionReason_PERMISSION_REASON_OTHER_GRANTEE,
	"category not covered":                         apiv1.PermissionReason_PERMISSION_REASON_CATEGORY_NOT_COVERED,
	"permission revoked":                           apiv1.PermissionReason_PERMISSION_REASON_REVOKED,
	"permission not accepted":                      apiv1.PermissionReason_PERMISSION_REASON_NOT_ACCEPTED,
	"outside validity window":                      apiv1.PermissionReason_PERMISSION_REASON_OUTSIDE_VALIDITY_WINDOW,
	"subject not covered":                          apiv1.PermissionReason_PERMISSION_REASON_SUBJECT_NOT_COVERED,
}

// permissionEnum maps a chaincode string through m. A value the gateway
// does not know means the chaincode and the gateway disagree: Internal,
// never a silent UNSPECIFIED.
func permissionEnum[E any](m map[string]E, what, v string) (E, error) {
	e, ok := m[v]
	if !ok {
		return e, status.Errorf(codes.Internal, "the ledger returned an unknown permission %s %q", what, v)
	}
	return e, nil
}

func (p permissionJSON) proto() (*apiv1.Permission, error) {
	st, err := permissionEnum(permissionStatuses, "status", p.Status)
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

// permissionUseJSON is the chaincode's PermissionUse.
type permissionUseJSON struct {
	ID           string `json:"id"`
	Owner        string `json:"owner"`
	PermissionID string `json:"permissionId"`
	Grantee      string `json:"grantee"`
	Category     string `json:"category"`
	SubjectRef   string `json:"subjectRef"`
	Purpose      string `json:"purpose"`
	UsedAt       string `json:"usedAt"`
	UsedBy       string `json:"usedBy"`
	Valid        bool   `json:"valid"`
	Reason       string `json:"reason"`
}

func (u permissionUseJSON) proto() (*apiv1.PermissionUse, error) {
	reason, err := permissionEnum(permissionReasons, "reason", u.Reason)
	if err != nil {
		return nil, err
	}
	return &apiv1.PermissionUse{
		Id: u.ID, OwnerMspId: u.Owner, PermissionId: u.PermissionID, GranteeMspId: u.Grantee,
		Category: u.Category, SubjectRef: u.SubjectRef, Purpose: u.Purpose,
		UsedAt: u.UsedAt, UsedBy: u.UsedBy, Valid: u.Valid, Reason: reason,
	}, nil
}

// permissionUsesProto converts a page of uses.
func permissionUsesProto(list []permissionUseJSON) ([]*apiv1.PermissionUse, error) {
	out := make([]*apiv1.PermissionUse, 0, len(list))
	for _, u := range list {
		pu, err := u.proto()
		if err != nil {
			return nil, err
		}
		out = append(out, pu)
	}
	return out, nil
}

// permissionSubjectPattern is the shape of a subject reference: a SHA-256
// as 64 lowercase hex digits (one spelling per subject).
var permissionSubjectPattern = regexp.MustCompile(`^[0-9a-f]{64}$`)

// permissionSubject checks a subject reference, which may be empty unless
// it is required.
func permissionSubject(field, v string, mandatory bool) error {
	if v == "" && !mandatory {
		return nil
	}
	if err := required(field, v); err != nil {
		return err
	}
	if !permissionSubjectPattern.MatchString(v) {
		return invalid(field, "must be a SHA-256 as 64 lowercase hex digits")
	}
	return nil
}

// permissionTime checks a required RFC 3339 time.
func permissionTime(field, v string) error {
	if err := required(field, v); err != nil {
		return err
	}
	if _, err := time.Parse(time.RFC3339Nano, v); err != nil {
		return invalid(field, "must be an RFC 3339 time such as 2025-01-01T00:00:00Z, got %q", v)
	}
	return nil
}

// permissionRequired checks the required fields of a request, in order.
func permissionRequired(fields ...[2]string) error {
	for _, f := range fields {
		if err := required(f[0], f[1]); err != nil {
			return err
		}
	}
	return nil
}

// permissionResult submits tx and converts the permission it returns.
func (p *permissionsService) permissionResult(ctx context.Context, tx string, args ...string) (*apiv1.Permission, *apiv1.Committed, error) {
	var out permissionJSON
	committed, err := p.submitJSON(ctx, &out, fabric.Submission{Transaction: tx, Args: args})
	if err != nil {
		return nil, nil, err
	}
	perm, err := out.proto()
	return perm, committed, err
}

func (p *permissionsService) OfferPermission(ctx context.Context, req *apiv1.OfferPermissionRequest) (*apiv1.OfferPermissionResponse, error) {
	err := permissionRequired([2]string{"id", req.Id}, [2]string{"grantee_msp_id", req.GranteeMspId},
		[2]string{"category", req.Category}, [2]string{"purpose", req.Purpose}, [2]string{"legal_basis", req.LegalBasis})
	if err != nil {
		return nil, err
	}
	if err := permissionTime("valid_from", req.ValidFrom); err != nil {
		return nil, err
	}
	if err := permissionTime("valid_until", req.ValidUntil); err != nil {
		return nil, err
	}
	if err := permissionSubject("subject_ref", req.SubjectRef, false); err != nil {
		return nil, err
	}
	input, err := jsonArg(struct {
		ID         string `json:"id"`
		Grantee    string `json:"grantee"`
		Category   string `json:"category"`
		Purpose    string `json:"purpose"`
		LegalBasis string `json:"legalBasis"`
		ValidFrom  string `json:"validFrom"`
		ValidUntil string `json:"validUntil"`
		SubjectRef string `json:"subjectRef,omitempty"`
	}{req.Id, req.GranteeMspId, req.Category, req.Purpose, req.LegalBasis, req.ValidFrom, req.ValidUntil, req.SubjectRef})
	if err != nil {
		return nil, err
	}
	perm, committed, err := p.permissionResult(ctx, "Permissions:Offer", input)
	if err != nil {
		return nil, err
	}
	return &apiv1.OfferPermissionResponse{Permission: perm, Committed: committed}, nil
}

func (p *permissionsService) AcceptPermission(ctx context.Context, req *apiv1.AcceptPermissionRequest) (*apiv1.AcceptPermissionResponse, error) {
	if err := permissionRequired([2]string{"owner_msp_id", req.OwnerMspId}, [2]string{"permission_id", req.PermissionId}); err != nil {
		return nil, err
	}
	perm, committed, err := p.permissionResult(ctx, "Permissions:Accept", req.OwnerMspId, req.PermissionId)
	if err != nil {
		return nil, err
	}
	return &apiv1.AcceptPermissionResponse{Permission: perm, Committed: committed}, nil
}

func (p *permissionsService) RevokePermission(ctx context.Context, req *apiv1.RevokePermissionRequest) (*apiv1.RevokePermissionResponse, error) {
	err := permissionRequired([2]string{"owner_msp_id", req.OwnerMspId}, [2]string{"permission_id", req.PermissionId}, [2]string{"reason", req.Reason})
	if err != nil {
		return nil, err
	}
	perm, committed, err := p.permissionResult(ctx, "Permissions:Revoke", req.OwnerMspId, req.PermissionId, req.Reason)
	if err != nil {
		return nil, err
	}
	return &apiv1.RevokePermissionResponse{Permission: perm, Committed: committed}, nil
}

func (p *permissionsService) RecordUse(ctx context.Context, req *apiv1.RecordUseRequest) (*apiv1.RecordUseResponse, error) {
	err := permissionRequired([2]string{"owner_msp_id", req.OwnerMspId}, [2]string{"permission_id", req.PermissionId})
	if err != nil {
		return nil, err
	}
	if err := permissionSubject("subject_ref", req.SubjectRef, true); err != nil {
		return nil, err
	}
	if err := required("purpose", req.Purpose); err != nil {
		return nil, err
	}
	input, err := jsonArg(struct {
		OwnerMSP     string `json:"ownerMSP"`
		PermissionID string `json:"permissionId"`
		SubjectRef   string `json:"subjectRef"`
		Purpose      string `json:"purpose"`
		Category     string `json:"category,omitempty"`
	}{req.OwnerMspId, req.PermissionId, req.SubjectRef, req.Purpose, req.Category})
	if err != nil {
		return nil, err
	}
	var out permissionUseJSON
	committed, err := p.submitJSON(ctx, &out, fabric.Submission{Transaction: "Permissions:RecordUse", Args: []string{input}})
	if err != nil {
		return nil, err
	}
	use, err := out.proto()
	if err != nil {
		return nil, err
	}
	return &apiv1.RecordUseResponse{Use: use, Committed: committed}, nil
}

func (p *permissionsService) CheckPermission(ctx context.Context, req *apiv1.CheckPermissionRequest) (*apiv1.CheckPermissionResponse, error) {
	err := permissionRequired([2]string{"owner_msp_id", req.OwnerMspId}, [2]string{"grantee_msp_id", req.GranteeMspId}, [2]string{"category", req.Category})
	if err != nil {
		return nil, err
	}
	if err := permissionSubject("subject_ref", req.SubjectRef, false); err != nil {
		return nil, err
	}
	var out struct {
		Allowed      bool   `json:"allowed"`
		PermissionID string `json:"permissionId"`
		Reason       string `json:"reason"`
	}
	if err := p.evaluateJSON(ctx, &out, "Permissions:Check", req.OwnerMspId, req.GranteeMspId, req.Category, req.SubjectRef); err != nil {
		return nil, err
	}
	reason, err := permissionEnum(permissionReasons, "reason", out.Reason)
	if err != nil {
		return nil, err
	}
	return &apiv1.CheckPermissionResponse{Allowed: out.Allowed, PermissionId: out.PermissionID, Reason: reason}, nil
}

func (p *permissionsService) GetPermission(ctx context.Context, req *apiv1.GetPermissionRequest) (*apiv1.GetPermissionResponse, error) {
	if err := permissionRequired([2]string{"owner_msp_id", req.OwnerMspId}, [2]string{"permission_id", req.PermissionId}); err != nil {
		return nil, err
	}
	var out permissionJSON
	if err := p.evaluateJSON(ctx, &out, "Permissions:Get", req.OwnerMspId, req.PermissionId); err != nil {
		return nil, err
	}
	perm, err := out.proto()
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
	var out struct {
		Permissions []permissionJSON `json:"permissions"`
		Bookmark    string           `json:"bookmark"`
	}
	if err := p.evaluateJSON(ctx, &out, "Permissions:ListByOwner", req.OwnerMspId, size, req.PageToken); err != nil {
		return nil, err
	}
	resp := &apiv1.ListPermissionsByOwnerResponse{NextPageToken: out.Bookmark}
	for _, pj := range out.Permissions {
		perm, err := pj.proto()
		if err != nil {
			return nil, err
		}
		resp.Permissions = append(resp.Permissions, perm)
	}
	return resp, nil
}

// permissionUsePage is the chaincode's PermissionUsePage.
type permissionUsePage struct {
	Uses     []permissionUseJSON `json:"uses"`
	Bookmark string              `json:"bookmark"`
}

func (p *permissionsService) ListUsesBySubject(ctx context.Context, req *apiv1.ListUsesBySubjectRequest) (*apiv1.ListUsesBySubjectResponse, error) {
	if err := permissionSubject("subject_ref", req.SubjectRef, true); err != nil {
		return nil, err
	}
	size, err := pageSize(req.PageSize)
	if err != nil {
		return nil, err
	}
	var out permissionUsePage
	if err := p.evaluateJSON(ctx, &out, "Permissions:ListUsesBySubject", req.SubjectRef, size, req.PageToken); err != nil {
		return nil, err
	}
	uses, err := permissionUsesProto(out.Uses)
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
	var out permissionUsePage
	if err := p.evaluateJSON(ctx, &out, "Permissions:ListInvalidUses", size, req.PageToken); err != nil {
		return nil, err
	}
	uses, err := permissionUsesProto(out.Uses)
	if err != nil {
		return nil, err
	}
	return &apiv1.ListInvalidUsesResponse{Uses: uses, NextPageToken: out.Bookmark}, nil
}
