package server

import (
	"encoding/json"
	"errors"
	"strings"
	"unicode/utf8"

	"github.com/civicledger/civicledger/chaincode/records"
	"github.com/civicledger/civicledger/chaincode/spec"
	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
)

// documentID checks a required document id has the chaincode's shape
// (spec.CheckID).
func documentID(field, id string) error {
	err := spec.CheckID(id)
	switch {
	case errors.Is(err, spec.ErrRequired):
		return invalid(field, "is required")
	case err != nil:
		return invalid(field, "%q is malformed: %s", clip(id), spec.IDShape)
	}
	return nil
}

// documentHash checks a required SHA-256 in hex, in either case, and returns
// it in the chaincode's lowercase form (spec.NormalizeHex64).
func documentHash(field, v string) (string, error) {
	sum, err := spec.NormalizeHex64(v)
	if err != nil {
		return "", sha256Hex(field, v) // says what is wrong with it
	}
	return sum, nil
}

// documentSubject checks the shape of subject data without ever quoting
// it: a JSON object of at most spec.MaxDocumentSubject bytes with a
// non-empty string "salt".
func documentSubject(raw string) error {
	const field = "subject_json"
	switch {
	case strings.TrimSpace(raw) == "":
		return invalid(field, `is required: a JSON object with a non-empty string "salt"`)
	case len(raw) > spec.MaxDocumentSubject:
		return invalid(field, "is %d bytes, at most %d", len(raw), spec.MaxDocumentSubject)
	case !utf8.ValidString(raw):
		return invalid(field, "is not valid UTF-8")
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal([]byte(raw), &fields); err != nil || fields == nil {
		return invalid(field, "must be a JSON object")
	}
	var salt string
	if err := json.Unmarshal(fields["salt"], &salt); err != nil || strings.TrimSpace(salt) == "" {
		return invalid(field, `needs a non-empty string field "salt"`)
	}
	return nil
}

// documentRegistration checks a registration and converts it to the
// chaincode's input.
func documentRegistration(req *apiv1.RegisterDocumentRequest) (records.DocumentRegistration, error) {
	in := records.DocumentRegistration{ID: req.GetId(), KeyFacts: req.GetKeyFacts(), ValidFrom: req.GetValidFrom(), ValidUntil: req.GetValidUntil()}
	if err := documentID("id", req.GetId()); err != nil {
		return in, err
	}
	var ok bool
	if in.Type, ok = documentTypes[req.GetType()]; !ok {
		return in, invalid("type", "is required: one of %s", strings.Join(spec.DocumentTypes, ", "))
	}
	var err error
	if in.SHA256, err = documentHash("sha256", req.GetSha256()); err != nil {
		return in, err
	}
	if in.SubjectRef, err = documentHash("subject_ref", req.GetSubjectRef()); err != nil {
		return in, err
	}
	if err := rfc3339("valid_from", req.GetValidFrom(), true); err != nil {
		return in, err
	}
	if err := rfc3339("valid_until", req.GetValidUntil(), false); err != nil {
		return in, err
	}
	return in, nil
}
