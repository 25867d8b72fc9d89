package contracts

import (
	"time"

	"github.com/civicledger/civicledger/chaincode/state"
)

// Reasons a use or a check is not covered by a permission, in the order
// they are tested.
const (
	ReasonNoSuchPermission   = "no such permission"
	ReasonOtherGrantee       = "permission granted to another administration"
	ReasonCategoryNotCovered = "category not covered"
	ReasonRevoked            = "permission revoked"
	ReasonNotAccepted        = "permission not accepted"
	ReasonOutsideWindow      = "outside validity window"
	ReasonSubjectNotCovered  = "subject not covered"
)

// ReasonCovered explains an allowed check or a valid use.
const ReasonCovered = "covered by an active permission"

// PermissionUse is one consultation of data, recorded by the grantee,
// whether or not a valid permission covered it. It holds no personal data
// beyond the subject reference.
type PermissionUse struct {
	// ID is the transaction that recorded the use.
	ID           string `json:"id"`
	Owner        string `json:"owner"`
	PermissionID string `json:"permissionId"`
	// Grantee is the administration that consulted the data (the caller's).
	Grantee string `json:"grantee"`
	// Category is the declared category, else the permission's, if any.
	Category   string `json:"category,omitempty" metadata:",optional"`
	SubjectRef string `json:"subjectRef"`
	Purpose    string `json:"purpose"`
	// UsedAt is the transaction time, RFC 3339 in UTC.
	UsedAt string `json:"usedAt"`
	// UsedBy is the client ID of the official who recorded it.
	UsedBy string `json:"usedBy"`
	Valid  bool   `json:"valid"`
	Reason string `json:"reason"`
}

// PermissionCheck answers Check.
type PermissionCheck struct {
	Allowed bool `json:"allowed"`
	// PermissionID is the permission that allows it or, if none does, the
	// one that comes closest (same subject), if any.
	PermissionID string `json:"permissionId,omitempty" metadata:",optional"`
	Reason       string `json:"reason"`
}

// RecordUse records that the caller's administration consulted data about
// a subject under a permission, from input (a JSON PermissionUseInput).
// A clerk, approver or admin may call it. The use is always recorded, valid
// or not, so that consultations without a valid permission stay visible;
// only malformed input is refused. It emits EventPermissionUseRecorded.
func (c *PermissionsContract) RecordUse(ctx *TxContext, input string) (*PermissionUse, error) {
	caller, err := ctx.RequireRole(RoleClerk, RoleApprover, RoleAdmin)
	if err != nil {
		return nil, err
	}
	var in PermissionUseInput
	if err := decodeInput("use", input, maxPermissionInput, &in); err != nil {
		return nil, err
	}
	in, err = validatePermissionUse(in)
	if err != nil {
		return nil, err
	}
	at, err := ctx.TxTime()
	if err != nil {
		return nil, err
	}
	_, p, found, err := getPermission(ctx, in.OwnerMSP, in.PermissionID)
	if err != nil {
		return nil, err
	}
	u := &PermissionUse{
		ID:           ctx.GetStub().GetTxID(),
		Owner:        in.OwnerMSP,
		PermissionID: in.PermissionID,
		Grantee:      caller.MSPID,
		Category:     in.Category,
		SubjectRef:   in.SubjectRef,
		Purpose:      in.Purpose,
		UsedAt:       at.Format(time.RFC3339Nano),
		UsedBy:       caller.ID,
		Reason:       ReasonNoSuchPermission,
	}
	if found {
		if u.Category == "" {
			u.Category = p.Category
		}
		u.Reason, err = permissionDefect(p, caller.MSPID, u.Category, u.SubjectRef, at)
		if err != nil {
			return nil, err
		}
	}
	u.Valid = u.Reason == ""
	if u.Valid {
		u.Reason = ReasonCovered
	}
	if err := putPermissionUse(ctx, u, at); err != nil {
		return nil, err
	}
	if err := emit(ctx, EventPermissionUseRecorded, u); err != nil {
		return nil, err
	}
	return u, nil
}

// Check tells whether, at the transaction time, the administration grantee
// may consult data of category held by ownerMSP about subjectRef (empty:
// about any subject, which only a permission without subject allows).
// Anyone on the channel may call it.
func (c *PermissionsContract) Check(ctx *TxContext, ownerMSP, grantee, category, subjectRef string) (*PermissionCheck, error) {
	if err := validateMSPID(ownerMSP); err != nil {
		return nil, err
	}
	if err := validateMSPID(grantee); err != nil {
		return nil, err
	}
	if err := validatePermissionCategory(category); err != nil {
		return nil, err
	}
	if err := validatePermissionSubject(subjectRef, false); err != nil {
		return nil, err
	}
	at, err := ctx.TxTime()
	if err != nil {
		return nil, err
	}
	ids, err := state.PermissionGrantIDs(ctx.GetStub(), ownerMSP, grantee, category)
	if err != nil {
		return nil, Internal(err, "list permissions of %s for %s", ownerMSP, grantee)
	}
	var closest *PermissionCheck
	for _, id := range ids {
		_, p, found, err := getPermission(ctx, ownerMSP, id)
		if err != nil {
			return nil, err
		}
		if !found {
			return nil, Internal(nil, "permission index names %s of %s, which does not exist", id, ownerMSP)
		}
		reason, err := permissionDefect(p, grantee, category, subjectRef, at)
		if err != nil {
			return nil, err
		}
		if reason == "" {
			return &PermissionCheck{Allowed: true, PermissionID: id, Reason: ReasonCovered}, nil
		}
		if closest == nil && (p.SubjectRef == "" || p.SubjectRef == subjectRef) {
			closest = &PermissionCheck{PermissionID: id, Reason: reason}
		}
	}
	switch {
	case closest != nil:
		return closest, nil
	case len(ids) > 0:
		return &PermissionCheck{Reason: ReasonSubjectNotCovered}, nil
	default:
		return &PermissionCheck{Reason: ReasonNoSuchPermission}, nil
	}
}

// permissionDefect returns why p does not let grantee consult category
// about subjectRef at time at, or "" if it does, testing in the order of
// the Reason constants.
func permissionDefect(p *Permission, grantee, category, subjectRef string, at time.Time) (string, error) {
	switch {
	case p.Grantee != grantee:
		return ReasonOtherGrantee, nil
	case p.Category != category:
		return ReasonCategoryNotCovered, nil
	case p.Status == PermissionRevoked:
		return ReasonRevoked, nil
	case p.Status != PermissionActive:
		return ReasonNotAccepted, nil
	}
	from, err := storedPermissionTime(p, "validFrom", p.ValidFrom)
	if err != nil {
		return "", err
	}
	until, err := storedPermissionTime(p, "validUntil", p.ValidUntil)
	if err != nil {
		return "", err
	}
	if at.Before(from) || !at.Before(until) {
		return ReasonOutsideWindow, nil
	}
	if p.SubjectRef != "" && p.SubjectRef != subjectRef {
		return ReasonSubjectNotCovered, nil
	}
	return "", nil
}
