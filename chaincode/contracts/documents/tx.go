package documents

import (
	"slices"
	"time"

	"github.com/civicledger/civicledger/chaincode/contracts/base"
	"github.com/civicledger/civicledger/chaincode/records"
	"github.com/civicledger/civicledger/chaincode/spec"
)

// Register records a new document of the caller's administration from the
// JSON input {"id","type","sha256","keyFacts","validFrom","validUntil",
// "subjectRef"}; the issuer is the caller's MSP. Clear subject data may come
// in the transient key "subject" (see SetSubject for a way that keeps it on
// the issuer's peer). Clerks and admins may call it; the issuer must have a
// directory profile. The record and its indexes then take the key-level
// policy "issuer's peer plus one other member's". It emits
// EventDocumentRegistered.
func (c *Contract) Register(ctx *base.TxContext, input string) (*records.Document, error) {
	caller, err := ctx.RequireRole(spec.RoleClerk, spec.RoleAdmin)
	if err != nil {
		return nil, err
	}
	at, err := ctx.TxTime()
	if err != nil {
		return nil, err
	}
	in, err := parseDocumentRegistration(input)
	if err != nil {
		return nil, err
	}
	subject, err := documentSubjectFromTransient(ctx, false)
	if err != nil {
		return nil, err
	}
	members, err := base.MemberMSPs(ctx)
	if err != nil {
		return nil, err
	}
	if !slices.Contains(members, caller.MSPID) {
		return nil, base.FailedPrecondition("administration %s has no directory profile: publish it with Directory:SetProfile before registering documents", caller.MSPID)
	}
	if _, found, err := getDocument(ctx, caller.MSPID, in.ID); err != nil {
		return nil, err
	} else if found {
		return nil, base.AlreadyExists("document %s is already registered by %s", in.ID, caller.MSPID)
	}
	d := &records.Document{
		Issuer: caller.MSPID, ID: in.ID, Type: in.Type, SHA256: in.SHA256, KeyFacts: in.KeyFacts,
		ValidFrom: in.ValidFrom, ValidUntil: in.ValidUntil, SubjectRef: in.SubjectRef,
		Status: spec.DocumentValid, RegisteredAt: base.FormatTime(at), RegisteredBy: caller.ID,
	}
	if err := createDocument(ctx, d, members); err != nil {
		return nil, err
	}
	if subject != nil {
		if err := putDocumentSubject(ctx, d.Issuer, d.ID, subject); err != nil {
			return nil, err
		}
	}
	if err := base.Emit(ctx, spec.EventDocumentRegistered, documentEvent(d, d.RegisteredAt)); err != nil {
		return nil, err
	}
	return d, nil
}

// Revoke marks document id of the caller's administration revoked, for a
// reason of at most 500 characters. Approvers and admins may call it; a
// document already revoked or superseded is refused. Another administration
// naming the same id addresses its own document, never the issuer's. It
// emits EventDocumentRevoked.
func (c *Contract) Revoke(ctx *base.TxContext, id, reason string) (*records.Document, error) {
	caller, err := ctx.RequireRole(spec.RoleApprover, spec.RoleAdmin)
	if err != nil {
		return nil, err
	}
	at, err := ctx.TxTime()
	if err != nil {
		return nil, err
	}
	if err := base.ValidateID("id", id); err != nil {
		return nil, err
	}
	reason, err = validateDocumentReason(reason)
	if err != nil {
		return nil, err
	}
	d, err := requireValidDocument(ctx, caller.MSPID, id)
	if err != nil {
		return nil, err
	}
	d.RevokedReason = reason
	if err := changeDocumentStatus(ctx, d, spec.DocumentRevoked, caller, at, spec.EventDocumentRevoked); err != nil {
		return nil, err
	}
	return d, nil
}

// Supersede marks document id of the caller's administration superseded by
// newID, a document the same administration registered before that is
// still valid and not expired (it may not be valid yet: a renewal issued
// ahead of time). Approvers and admins may call it. It emits
// EventDocumentSuperseded and returns the superseded record.
func (c *Contract) Supersede(ctx *base.TxContext, id, newID string) (*records.Document, error) {
	caller, err := ctx.RequireRole(spec.RoleApprover, spec.RoleAdmin)
	if err != nil {
		return nil, err
	}
	at, err := ctx.TxTime()
	if err != nil {
		return nil, err
	}
	if err := base.ValidateID("id", id); err != nil {
		return nil, err
	}
	if err := base.ValidateID("newId", newID); err != nil {
		return nil, err
	}
	if id == newID {
		return nil, base.InvalidArgument("a document cannot supersede itself")
	}
	old, err := requireValidDocument(ctx, caller.MSPID, id)
	if err != nil {
		return nil, err
	}
	repl, err := requireDocument(ctx, caller.MSPID, newID)
	if err != nil {
		return nil, err
	}
	v, err := documentVerdict(repl, at)
	if err != nil {
		return nil, err
	}
	if v.Status != spec.DocumentValid && v.Status != spec.DocumentNotYetValid {
		return nil, base.FailedPrecondition("replacement document %s of %s is %s", newID, repl.Issuer, v.Status)
	}
	old.SupersededBy = newID
	if err := changeDocumentStatus(ctx, old, spec.DocumentSuperseded, caller, at, spec.EventDocumentSuperseded); err != nil {
		return nil, err
	}
	return old, nil
}

// requireValidDocument reads document id of issuer, NOT_FOUND when absent
// and FAILED_PRECONDITION when already revoked or superseded.
func requireValidDocument(ctx *base.TxContext, issuer, id string) (*records.Document, error) {
	d, err := requireDocument(ctx, issuer, id)
	if err != nil {
		return nil, err
	}
	if d.Status != spec.DocumentValid {
		return nil, base.FailedPrecondition("document %s of %s is already %s", id, d.Issuer, d.Status)
	}
	return d, nil
}

// changeDocumentStatus gives d its final status, set by caller at time at,
// writes it and emits event.
func changeDocumentStatus(ctx *base.TxContext, d *records.Document, status string, caller base.Caller, at time.Time, event string) error {
	d.Status = status
	d.StatusChangedAt, d.StatusChangedBy = base.FormatTime(at), caller.ID
	if err := putDocument(ctx, d); err != nil {
		return err
	}
	return base.Emit(ctx, event, documentEvent(d, d.StatusChangedAt))
}
