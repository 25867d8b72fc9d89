package server

import (
	"encoding/json"
	"regexp"
	"strings"
	"unicode/utf8"
)

// documentSubjectKey is the transient key the chaincode reads subject data from.
const documentSubjectKey = "subject"

// maxDocumentSubject is the chaincode's limit on subject data, in bytes.
const maxDocumentSubject = 4 << 10

// documentIDPattern is the chaincode's shape of a document id.
var documentIDPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)

// documentID checks a required document id has the chaincode's shape.
func documentID(field, id string) error {
	if id == "" {
		return invalid(field, "is required")
	}
	if !documentIDPattern.MatchString(id) {
		return invalid(field, "%q is malformed: a letter or digit, then letters, digits, '.', '_' or '-', at most 64 characters", clip(id))
	}
	return nil
}

// documentHash checks a required SHA-256 in hex, in either case, and returns
// it in the chaincode's lowercase form.
func documentHash(field, v string) (string, error) {
	v = strings.ToLower(v)
	if err := sha256Hex(field, v); err != nil {
		return "", err
	}
	return v, nil
}

// documentSubject checks the shape of subject data without ever quoting
// it: a JSON object of at most 4 KiB with a non-empty string "salt".
func documentSubject(raw string) error {
	const field = "subject_json"
	switch {
	case strings.TrimSpace(raw) == "":
		return invalid(field, `is required: a JSON object with a non-empty string "salt"`)
	case len(raw) > maxDocumentSubject:
		return invalid(field, "is %d bytes, at most %d", len(raw), maxDocumentSubject)
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
