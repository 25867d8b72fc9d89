package contracts

import (
	"encoding/json"
	"errors"
	"io"
	"reflect"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"
)

// Limits of permission fields, in characters unless stated otherwise.
const (
	maxPermissionPurpose    = 500
	maxPermissionLegalBasis = 200
	maxPermissionReason     = 500
	// maxPermissionInput is the largest JSON input accepted, in bytes.
	maxPermissionInput = 16 << 10
	// maxPermissionPageSize bounds the page size of every list.
	maxPermissionPageSize = 100
)

var (
	permissionIDPattern       = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)
	permissionCategoryPattern = regexp.MustCompile(`^[a-z][a-z0-9-]{1,40}$`)
	permissionSubjectPattern  = regexp.MustCompile(`^[0-9a-f]{64}$`)
)

// permissionKeyTime is the layout of times inside use keys: UTC with a fixed
// number of digits, so that keys sort in time order.
const permissionKeyTime = "2006-01-02T15:04:05.000000000Z"

// PermissionOffer is the JSON input of Permissions:Offer. The owner is the
// caller's administration, never a field.
type PermissionOffer struct {
	ID         string `json:"id"`
	Grantee    string `json:"grantee"`
	Category   string `json:"category"`
	Purpose    string `json:"purpose"`
	LegalBasis string `json:"legalBasis"`
	ValidFrom  string `json:"validFrom"`
	ValidUntil string `json:"validUntil"`
	// SubjectRef, if set, limits the permission to one subject.
	SubjectRef string `json:"subjectRef,omitempty"`
}

// PermissionUseInput is the JSON input of Permissions:RecordUse. The
// grantee is the caller's administration, never a field.
type PermissionUseInput struct {
	OwnerMSP     string `json:"ownerMSP"`
	PermissionID string `json:"permissionId"`
	SubjectRef   string `json:"subjectRef"`
	Purpose      string `json:"purpose"`
	// Category, if set, is the data category consulted; the use is valid
	// only if it is the permission's.
	Category string `json:"category,omitempty"`
}

// decodePermissionInput decodes raw, the JSON object argument called name,
// into v (a pointer to a struct). It is strict, because a signed input must
// mean one thing to every reader: an object, field names exactly as
// declared (no case folding), no field twice, no unknown field, the declared
// types, nothing after the object. Every failure is INVALID_ARGUMENT.
func decodePermissionInput(name, raw string, v any) error {
	if strings.TrimSpace(raw) == "" {
		return InvalidArgument("%s is required: a json object", name)
	}
	if len(raw) > maxPermissionInput {
		return InvalidArgument("%s is too large: %d bytes, at most %d", name, len(raw), maxPermissionInput)
	}
	if !utf8.ValidString(raw) {
		return InvalidArgument("%s is not valid utf-8", name)
	}
	allowed := permissionJSONFields(reflect.TypeOf(v).Elem())
	dec := json.NewDecoder(strings.NewReader(raw))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return InvalidArgument("%s must be a json object", name)
	}
	seen := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return InvalidArgument("%s is not valid json", name)
		}
		field, ok := tok.(string)
		if !ok {
			return InvalidArgument("%s is not valid json", name)
		}
		if !allowed[field] {
			return InvalidArgument("%s has unknown field %q", name, clip(field))
		}
		if seen[field] {
			return InvalidArgument("%s has field %q more than once", name, field)
		}
		seen[field] = true
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return InvalidArgument("%s is not valid json", name)
		}
	}
	if _, err := dec.Token(); err != nil {
		return InvalidArgument("%s is not valid json", name)
	}
	if _, err := dec.Token(); err != io.EOF {
		return InvalidArgument("%s has data after the json object", name)
	}
	if err := json.Unmarshal([]byte(raw), v); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return InvalidArgument("%s field %q must be a %s, not a json %s", name, te.Field, te.Type, te.Value)
		}
		return InvalidArgument("%s is not valid json", name)
	}
	return nil
}

// permissionJSONFields returns the JSON names of the fields of struct t.
func permissionJSONFields(t reflect.Type) map[string]bool {
	out := map[string]bool{}
	for f := range t.Fields() {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name != "" && name != "-" {
			out[name] = true
		}
	}
	return out
}

// validatePermissionID checks a permission id: 1 to 64 letters, digits,
// '.', '_' or '-', starting with a letter or digit.
func validatePermissionID(id string) error {
	if id == "" {
		return InvalidArgument("permission id is required")
	}
	if !permissionIDPattern.MatchString(id) {
		return InvalidArgument("permission id %q is malformed: letters, digits, '.', '_' and '-', at most 64", clip(id))
	}
	return nil
}

// validatePermissionCategory checks a data category such as "tax-income".
func validatePermissionCategory(category string) error {
	if category == "" {
		return InvalidArgument("category is required")
	}
	if !permissionCategoryPattern.MatchString(category) {
		return InvalidArgument("category %q is malformed: lowercase letters, digits and '-', 2 to 41, starting with a letter", clip(category))
	}
	return nil
}

// validatePermissionSubject checks a subject reference: the salted SHA-256
// of the subject's identity, as 64 lowercase hex digits (one spelling per
// subject, since it is part of keys). Empty is accepted unless required.
func validatePermissionSubject(ref string, required bool) error {
	if ref == "" {
		if required {
			return InvalidArgument("subject reference is required")
		}
		return nil
	}
	if !permissionSubjectPattern.MatchString(ref) {
		return InvalidArgument("subject reference %q is malformed: 64 lowercase hex digits", clip(ref))
	}
	return nil
}

// parsePermissionTime parses a required RFC 3339 time argument, in UTC.
func parsePermissionTime(field, value string) (time.Time, error) {
	if value == "" {
		return time.Time{}, InvalidArgument("%s is required", field)
	}
	t, err := time.Parse(time.RFC3339, value)
	if err != nil {
		return time.Time{}, InvalidArgument("%s %q is not an rfc 3339 time", field, clip(value))
	}
	return t.UTC(), nil
}

// validatePermissionPageSize checks the page size of a list.
func validatePermissionPageSize(pageSize int32) error {
	if pageSize < 1 || pageSize > maxPermissionPageSize {
		return InvalidArgument("page size %d is out of range: 1 to %d", pageSize, maxPermissionPageSize)
	}
	return nil
}

// newPermission validates an offer made by caller at tx time at and builds
// the permission it creates. It does not check that the grantee is a
// member, which needs the ledger.
func newPermission(caller Caller, at time.Time, in PermissionOffer) (*Permission, error) {
	if err := validatePermissionID(in.ID); err != nil {
		return nil, err
	}
	if err := validateMSPID(in.Grantee); err != nil {
		return nil, err
	}
	if in.Grantee == caller.MSPID {
		return nil, InvalidArgument("grantee %s is the owner: an administration does not grant itself access", in.Grantee)
	}
	if err := validatePermissionCategory(in.Category); err != nil {
		return nil, err
	}
	purpose, err := normalizeText("purpose", in.Purpose, maxPermissionPurpose)
	if err != nil {
		return nil, err
	}
	legalBasis, err := normalizeText("legal basis", in.LegalBasis, maxPermissionLegalBasis)
	if err != nil {
		return nil, err
	}
	from, err := parsePermissionTime("validFrom", in.ValidFrom)
	if err != nil {
		return nil, err
	}
	until, err := parsePermissionTime("validUntil", in.ValidUntil)
	if err != nil {
		return nil, err
	}
	if !from.Before(until) {
		return nil, InvalidArgument("validFrom %s is not before validUntil %s", from.Format(time.RFC3339Nano), until.Format(time.RFC3339Nano))
	}
	if !at.Before(until) {
		return nil, InvalidArgument("validUntil %s is already past", until.Format(time.RFC3339Nano))
	}
	if err := validatePermissionSubject(in.SubjectRef, false); err != nil {
		return nil, err
	}
	return &Permission{
		ID:         in.ID,
		Owner:      caller.MSPID,
		Grantee:    in.Grantee,
		Category:   in.Category,
		Purpose:    purpose,
		LegalBasis: legalBasis,
		ValidFrom:  from.Format(time.RFC3339Nano),
		ValidUntil: until.Format(time.RFC3339Nano),
		SubjectRef: in.SubjectRef,
		Status:     PermissionOffered,
		OfferedAt:  at.Format(time.RFC3339Nano),
		OfferedBy:  caller.ID,
	}, nil
}

// validatePermissionUse checks the input of RecordUse and returns it with
// its purpose trimmed.
func validatePermissionUse(in PermissionUseInput) (PermissionUseInput, error) {
	if err := validateMSPID(in.OwnerMSP); err != nil {
		return in, err
	}
	if err := validatePermissionID(in.PermissionID); err != nil {
		return in, err
	}
	if err := validatePermissionSubject(in.SubjectRef, true); err != nil {
		return in, err
	}
	purpose, err := normalizeText("purpose", in.Purpose, maxPermissionPurpose)
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
