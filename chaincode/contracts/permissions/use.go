package permissions

import (
	"time"

	"github.com/civicledger/civicledger/chaincode/contracts/base"
	"github.com/civicledger/civicledger/chaincode/records"
	"github.com/civicledger/civicledger/chaincode/spec"
	"github.com/civicledger/civicledger/chaincode/state"
)

// RecordUse records that the caller's administration consulted data about
// a subject under a permission, from input (a JSON PermissionUseInput).
// A clerk, approver or admin may call it. The use is always recorded, valid
// or not, so that consultations without a valid permission stay visible;
// only malformed input is refused. It emits EventPermissionUseRecorded.
func (c *Contract) RecordUse(ctx *base.TxContext, input string) (*records.PermissionUse, error) {
	caller, err := ctx.RequireRole(spec.RoleClerk, spec.RoleApprover, spec.RoleAdmin)
	if err != nil {
		return nil, err
	}
	var in records.PermissionUseInput
	if err := base.DecodeInput("use", input, spec.MaxPermissionInput, &in); err != nil {
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
		Reason:       spec.ReasonNoSuchPermission,
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
		u.Reason = spec.ReasonCovered
	}
	if err := putPermissionUse(ctx, u, at); err != nil {
		return nil, err
	}
	if err := base.Emit(ctx, spec.EventPermissionUseRecorded, u); err != nil {
		return nil, err
	}
	return u, nil
}

// Check tells whether, at the transaction time, the administration grantee
// may consult data of category held by ownerMSP about subjectRef (empty:
// about any subject, which only a permission without subject allows).
// Anyone on the channel may call it.
func (c *Contract) Check(ctx *base.TxContext, ownerMSP, grantee, category, subjectRef string) (*records.PermissionCheck, error) {
	if err := base.ValidateMSPID(ownerMSP); err != nil {
		return nil, err
	}
	if err := base.ValidateMSPID(grantee); err != nil {
		return nil, err
	}
	if err := validatePermissionCategory(category); err != nil {
		return nil, err
	}
	subjectRef, err := normalizePermissionSubject(subjectRef, false)
	if err != nil {
		return nil, err
	}
	at, err := ctx.TxTime()
	if err != nil {
		return nil, err
	}
	ids, err := state.PermissionGrantIDs(ctx.GetStub(), ownerMSP, grantee, category)
	if err != nil {
		return nil, base.Internal(err, "list permissions of %s for %s", ownerMSP, grantee)
	}
	var closest *records.PermissionCheck
	for _, id := range ids {
		_, p, found, err := getPermission(ctx, ownerMSP, id)
		if err != nil {
			return nil, err
		}
		if !found {
			return nil, base.Internal(nil, "permission index names %s of %s, which does not exist", id, ownerMSP)
		}
		reason, err := permissionDefect(p, grantee, category, subjectRef, at)
		if err != nil {
			return nil, err
		}
		if reason == "" {
			return &records.PermissionCheck{Allowed: true, PermissionID: id, Reason: spec.ReasonCovered}, nil
		}
		if closest == nil && (p.SubjectRef == "" || p.SubjectRef == subjectRef) {
			closest = &records.PermissionCheck{PermissionID: id, Reason: reason}
		}
	}
	switch {
	case closest != nil:
		return closest, nil
	case len(ids) > 0:
		return &records.PermissionCheck{Reason: spec.ReasonSubjectNotCovered}, nil
	default:
		return &records.PermissionCheck{Reason: spec.ReasonNoSuchPermission}, nil
	}
}

// permissionDefect returns why p does not let grantee consult category
// about subjectRef at time at, or "" if it does, testing in the order of
// the Reason constants.
func permissionDefect(p *records.Permission, grantee, category, subjectRef string, at time.Time) (string, error) {
	switch {
	case p.Grantee != grantee:
		return spec.ReasonOtherGrantee, nil
	case p.Category != category:
		return spec.ReasonCategoryNotCovered, nil
	case p.Status == spec.PermissionRevoked:
		return spec.ReasonRevoked, nil
	case p.Status != spec.PermissionActive:
		return spec.ReasonNotAccepted, nil
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
		return spec.ReasonOutsideWindow, nil
	}
	if p.SubjectRef != "" && p.SubjectRef != subjectRef {
		return spec.ReasonSubjectNotCovered, nil
	}
	return "", nil
}
