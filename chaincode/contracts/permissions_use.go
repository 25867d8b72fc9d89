package contracts

import (
	"time"

	"github.com/civicledger/civicledger/chaincode/records"
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

// RecordUse records that the caller's administration consulted data about
// a subject under a permission, from input (a JSON PermissionUseInput).
// A clerk, approver or admin may call it. The use is always recorded, valid
// or not, so that consultations without a valid permission stay visible;
// only malformed input is refused. It emits EventPermissionUseRecorded.
func (c *PermissionsContract) RecordUse(ctx *TxContext, input string) (*records.PermissionUse, error) {
	caller, err := ctx.RequireRole(RoleClerk, RoleApprover, RoleAdmin)
	if err != nil {
		return nil, err
	}
	var in records.PermissionUseInput
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
	u := &records.PermissionUse{
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
func (c *PermissionsContract) Check(ctx *TxContext, ownerMSP, grantee, category, subjectRef string) (*records.PermissionCheck, error) {
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
	var closest *records.PermissionCheck
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
			return &records.PermissionCheck{Allowed: true, PermissionID: id, Reason: ReasonCovered}, nil
		}
		if closest == nil && (p.SubjectRef == "" || p.SubjectRef == subjectRef) {
			closest = &records.PermissionCheck{PermissionID: id, Reason: reason}
		}
	}
	switch {
	case closest != nil:
		return closest, nil
	case len(ids) > 0:
		return &records.PermissionCheck{Reason: ReasonSubjectNotCovered}, nil
	default:
		return &records.PermissionCheck{Reason: ReasonNoSuchPermission}, nil
	}
}

// permissionDefect returns why p does not let grantee consult category
// about subjectRef at time at, or "" if it does, testing in the order of
// the Reason constants.
func permissionDefect(p *records.Permission, grantee, category, subjectRef string, at time.Time) (string, error) {
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
