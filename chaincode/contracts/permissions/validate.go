package permissions

import (
	"time"

	"github.com/civicledger/civicledger/chaincode/contracts/base"
	"github.com/civicledger/civicledger/chaincode/records"
	"github.com/civicledger/civicledger/chaincode/spec"
)

// permissionKeyTime is the layout of times inside use keys: UTC with a fixed
// number of digits, so that keys sort in time order.
const permissionKeyTime = "2006-01-02T15:04:05.000000000Z"

// validatePermissionRef checks the arguments that name a permission: its
// owner's MSP ID and its id.
func validatePermissionRef(ownerMSP, id string) error {
	if err := base.ValidateMSPID(ownerMSP); err != nil {
		return err
	}
	return base.ValidateID("permission id", id)
}

// validatePermissionCategory checks a data category such as "tax-income".
func validatePermissionCategory(category string) error {
	return base.ValidateShape("category", category, spec.CategoryPattern, "lowercase letters, digits and '-', 2 to 41, starting with a letter")
}

// normalizePermissionSubject checks a subject reference, the salted SHA-256
// of the subject's identity as 64 hex digits in either case, and returns it
// in lower case (one spelling per subject, since it is part of keys). Empty
// is accepted unless required.
func normalizePermissionSubject(ref string, required bool) (string, error) {
	if ref == "" && !required {
		return "", nil
	}
	return base.NormalizeHex64("subjectRef", ref)
}

// newPermission validates an offer made by caller at tx time at and builds
// the permission it creates. It does not check that the grantee is a
// member, which needs the ledger.
func newPermission(caller base.Caller, at time.Time, in records.PermissionOffer) (*records.Permission, error) {
	if err := base.ValidateID("id", in.ID); err != nil {
		return nil, err
	}
	if err := base.ValidateMSPID(in.Grantee); err != nil {
		return nil, err
	}
	if in.Grantee == caller.MSPID {
		return nil, base.InvalidArgument("grantee %s is the owner: an administration does not grant itself access", in.Grantee)
	}
	if err := validatePermissionCategory(in.Category); err != nil {
		return nil, err
	}
	purpose, err := base.NormalizeText("purpose", in.Purpose, spec.MaxPermissionPurpose)
	if err != nil {
		return nil, err
	}
	legalBasis, err := base.NormalizeText("legal basis", in.LegalBasis, spec.MaxPermissionLegalBasis)
	if err != nil {
		return nil, err
	}
	from, err := base.ParseTime("validFrom", in.ValidFrom)
	if err != nil {
		return nil, err
	}
	until, err := base.ParseTime("validUntil", in.ValidUntil)
	if err != nil {
		return nil, err
	}
	if !from.Before(until) {
		return nil, base.InvalidArgument("validFrom %s is not before validUntil %s", from.Format(time.RFC3339Nano), until.Format(time.RFC3339Nano))
	}
	if !at.Before(until) {
		return nil, base.InvalidArgument("validUntil %s is already past", until.Format(time.RFC3339Nano))
	}
	subjectRef, err := normalizePermissionSubject(in.SubjectRef, false)
	if err != nil {
		return nil, err
	}
	in.SubjectRef = subjectRef
	return &records.Permission{
		ID:         in.ID,
		Owner:      caller.MSPID,
		Grantee:    in.Grantee,
		Category:   in.Category,
		Purpose:    purpose,
		LegalBasis: legalBasis,
		ValidFrom:  from.Format(time.RFC3339Nano),
		ValidUntil: until.Format(time.RFC3339Nano),
		SubjectRef: in.SubjectRef,
		Status:     spec.PermissionOffered,
		OfferedAt:  at.Format(time.RFC3339Nano),
		OfferedBy:  caller.ID,
	}, nil
}

// validatePermissionUse checks the input of RecordUse and returns it with
// its purpose trimmed.
func validatePermissionUse(in records.PermissionUseInput) (records.PermissionUseInput, error) {
	if err := base.ValidateMSPID(in.OwnerMSP); err != nil {
		return in, err
	}
	if err := base.ValidateID("permissionId", in.PermissionID); err != nil {
		return in, err
	}
	subjectRef, err := normalizePermissionSubject(in.SubjectRef, true)
	if err != nil {
		return in, err
	}
	in.SubjectRef = subjectRef
	purpose, err := base.NormalizeText("purpose", in.Purpose, spec.MaxPermissionPurpose)
	if err != nil {
		return in, err
	}
	in.Purpose = purpose
	if in.Category != "" {
		if err := validatePermissionCategory(in.Category); err != nil {
			return in, err
		}
	}
	return in, nil
}
