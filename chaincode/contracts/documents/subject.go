package documents

import (
	"github.com/civicledger/civicledger/chaincode/contracts/base"
	"github.com/civicledger/civicledger/chaincode/spec"
)

// The clear subject data of a document lives in the issuer's implicit
// private data collection, under the document id. A transaction that writes
// only there (SetSubject, PurgeSubject) is endorsed by the issuer's peer
// alone, as the channel's per-administration Endorsement policy requires, so
// the data never reaches another administration's peer.

// SetSubject stores the clear subject data of document id of the caller's
// administration, passed in the transient key "subject" (a JSON object of
// at most 4 KiB with a string "salt"). Clerks and admins may call it; it is
// refused when the document already has subject data or had it purged. It
// emits EventDocumentSubjectSet.
func (c *Contract) SetSubject(ctx *base.TxContext, id string) error {
	caller, err := ctx.RequireRole(spec.RoleClerk, spec.RoleAdmin)
	if err != nil {
		return err
	}
	at, err := ctx.TxTime()
	if err != nil {
		return err
	}
	if err := base.ValidateID("id", id); err != nil {
		return err
	}
	subject, err := documentSubjectFromTransient(ctx, true)
	if err != nil {
		return err
	}
	d, existing, purged, err := documentWithSubject(ctx, caller.MSPID, id)
	if err != nil {
		return err
	}
	if purged {
		return base.FailedPrecondition("subject data of document %s of %s was purged and cannot be set again", id, d.Issuer)
	}
	if existing != nil {
		return base.AlreadyExists("document %s of %s already has subject data", id, d.Issuer)
	}
	if err := putDocumentSubject(ctx, d.Issuer, id, subject); err != nil {
		return err
	}
	return base.Emit(ctx, spec.EventDocumentSubjectSet, documentEvent(d, base.FormatTime(at)))
}

// GetSubject returns the clear subject data (JSON) of document id of the
// caller's administration: any role of the issuer may read its own data, and
// only the issuer's peers hold it. NOT_FOUND when absent or purged.
func (c *Contract) GetSubject(ctx *base.TxContext, id string) (string, error) {
	caller, err := ctx.RequireRole(spec.RoleClerk, spec.RoleApprover, spec.RoleAdmin)
	if err != nil {
		return "", err
	}
	if err := base.ValidateID("id", id); err != nil {
		return "", err
	}
	d, data, purged, err := documentWithSubject(ctx, caller.MSPID, id)
	if err != nil {
		return "", err
	}
	if purged {
		return "", base.NotFound("subject data of document %s of %s was purged", id, d.Issuer)
	}
	if data == nil {
		return "", base.NotFound("document %s of %s has no subject data", id, d.Issuer)
	}
	return string(data), nil
}

// PurgeSubject purges the clear subject data of document id of the caller's
// administration from its private data collection (Fabric 2.5 purge: gone
// from the private store and its history on every peer). The public record,
// its hash and the subject reference stay, so verification still works. Only
// admins may call it. It emits EventDocumentSubjectPurged.
func (c *Contract) PurgeSubject(ctx *base.TxContext, id string) error {
	caller, err := ctx.RequireRole(spec.RoleAdmin)
	if err != nil {
		return err
	}
	at, err := ctx.TxTime()
	if err != nil {
		return err
	}
	if err := base.ValidateID("id", id); err != nil {
		return err
	}
	d, data, purged, err := documentWithSubject(ctx, caller.MSPID, id)
	if err != nil {
		return err
	}
	if purged {
		return base.FailedPrecondition("subject data of document %s of %s was already purged", id, d.Issuer)
	}
	if data == nil {
		return base.NotFound("document %s of %s has no subject data", id, d.Issuer)
	}
	stamp := base.FormatTime(at)
	if err := purgeDocumentSubject(ctx, d.Issuer, id, stamp); err != nil {
		return err
	}
	return base.Emit(ctx, spec.EventDocumentSubjectPurged, documentEvent(d, stamp))
}
