package contracts

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Shapes and limits of documents register inputs.
var (
	documentIDPattern      = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)
	documentHashPattern    = regexp.MustCompile(`^[0-9a-f]{64}$`)
	documentFactKeyPattern = regexp.MustCompile(`^[a-zA-Z][a-zA-Z0-9_]{0,31}$`)
)

const (
	maxDocumentInput        = 16 << 10 // bytes of the Register JSON
	maxDocumentSubject      = 4 << 10  // bytes of the transient subject JSON
	maxDocumentKeyFacts     = 16
	maxDocumentFactValue    = 128 // characters
	maxDocumentRevokeReason = 500 // characters
)

// documentRegistration is the JSON argument of Register.
type documentRegistration struct {
	ID         string            `json:"id"`
	Type       string            `json:"type"`
	SHA256     string            `json:"sha256"`
	KeyFacts   map[string]string `json:"keyFacts"`
	ValidFrom  string            `json:"validFrom"`
	ValidUntil string            `json:"validUntil"`
	SubjectRef string            `json:"subjectRef"`
}

// parseDocumentRegistration decodes and validates the JSON argument of
// Register. Times come back normalized to RFC 3339 UTC, fact values trimmed.
func parseDocumentRegistration(input string) (*documentRegistration, error) {
	var in documentRegistration
	if err := decodeDocumentJSON("registration", input, maxDocumentInput, &in); err != nil {
		return nil, err
	}
	if err := validateDocumentID("id", in.ID); err != nil {
		return nil, err
	}
	if err := validateOneOf("type", in.Type, DocumentTypes); err != nil {
		return nil, err
	}
	if err := validateDocumentHash("sha256", in.SHA256); err != nil {
		return nil, err
	}
	if err := validateDocumentHash("subjectRef", in.SubjectRef); err != nil {
		return nil, err
	}
	facts, err := normalizeDocumentKeyFacts(in.KeyFacts)
	if err != nil {
		return nil, err
	}
	in.KeyFacts = facts
	from, err := parseDocumentTime("validFrom", in.ValidFrom)
	if err != nil {
		return nil, err
	}
	in.ValidFrom = formatDocumentTime(from)
	if in.ValidUntil != "" {
		until, err := parseDocumentTime("validUntil", in.ValidUntil)
		if err != nil {
			return nil, err
		}
		if !from.Before(until) {
			return nil, InvalidArgument("validFrom %s must be before validUntil %s", in.ValidFrom, formatDocumentTime(until))
		}
		in.ValidUntil = formatDocumentTime(until)
	}
	return &in, nil
}

// decodeDocumentJSON decodes input, one JSON object of at most max bytes
// with no unknown field and nothing after it, into v.
func decodeDocumentJSON(what, input string, max int, v any) error {
	if len(input) > max {
		return InvalidArgument("%s is too large: %d bytes, at most %d", what, len(input), max)
	}
	if !utf8.ValidString(input) {
		return InvalidArgument("%s is not valid utf-8", what)
	}
	if strings.TrimSpace(input) == "" {
		return InvalidArgument("%s is required", what)
	}
	dec := json.NewDecoder(strings.NewReader(input))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return documentJSONError(what, err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return InvalidArgument("%s has data after the json object", what)
	}
	return nil
}

// documentJSONError turns a decoding error into a short INVALID_ARGUMENT
// that names the offending field without echoing large inputs.
func documentJSONError(what string, err error) error {
	var typeErr *json.UnmarshalTypeError
	var syntaxErr *json.SyntaxError
	switch {
	case errors.As(err, &typeErr) && typeErr.Field == "":
		return InvalidArgument("%s must be a json object", what)
	case errors.As(err, &typeErr) && strings.HasPrefix(typeErr.Field, "keyFacts") && typeErr.Type.Kind() == reflect.String:
		return InvalidArgument("%s field keyFacts must map names to strings, not to a json %s", what, typeErr.Value)
	case errors.As(err, &typeErr):
		return InvalidArgument("%s field %s must be %s, not a json %s", what, clip(typeErr.Field), documentJSONKind(typeErr.Type), typeErr.Value)
	case errors.As(err, &syntaxErr):
		return InvalidArgument("%s is not valid json at byte %d: %s", what, syntaxErr.Offset, clip(syntaxErr.Error()))
	case errors.Is(err, io.ErrUnexpectedEOF):
		return InvalidArgument("%s is not valid json: unexpected end", what)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return InvalidArgument("%s has unknown field %s", what, clip(strings.TrimPrefix(err.Error(), "json: unknown field ")))
	default:
		return InvalidArgument("%s is not valid json: %s", what, clip(err.Error()))
	}
}

// documentJSONKind names the JSON shape a Go type expects.
func documentJSONKind(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Map, reflect.Struct:
		return "an object"
	default:
		return "a " + t.Kind().String()
	}
}

// validateDocumentID checks an issuer-scoped document id.
func validateDocumentID(field, id string) error {
	if id == "" {
		return InvalidArgument("%s is required", field)
	}
	if !documentIDPattern.MatchString(id) {
		return InvalidArgument("%s %q is malformed: a letter or digit then letters, digits, '.', '_' or '-', at most 64", field, clip(id))
	}
	return nil
}

// validateDocumentHash checks a SHA-256 in lowercase hex.
func validateDocumentHash(field, h string) error {
	if h == "" {
		return InvalidArgument("%s is required", field)
	}
	if !documentHashPattern.MatchString(h) {
		return InvalidArgument("%s %q is not a sha-256 in 64 lowercase hex digits", field, clip(h))
	}
	return nil
}

// normalizeDocumentKeyFacts checks the public key facts and returns them
// with trimmed values; no facts yields an empty, non-nil map.
func normalizeDocumentKeyFacts(facts map[string]string) (map[string]string, error) {
	if len(facts) > maxDocumentKeyFacts {
		return nil, InvalidArgument("keyFacts has %d entries, at most %d", len(facts), maxDocumentKeyFacts)
	}
	out := make(map[string]string, len(facts))
	keys := make([]string, 0, len(facts))
	for k := range facts {
		keys = append(keys, k)
	}
	slices.Sort(keys) // the first error reported does not depend on map order
	for _, k := range keys {
		if !documentFactKeyPattern.MatchString(k) {
			return nil, InvalidArgument("key fact name %q is malformed: a letter then letters, digits or '_', at most 32", clip(k))
		}
		v, err := normalizeText("key fact "+k, facts[k], maxDocumentFactValue)
		if err != nil {
			return nil, err
		}
		out[k] = v
	}
	return out, nil
}

// parseDocumentTime parses an RFC 3339 time argument.
func parseDocumentTime(field, value string) (time.Time, error) {
	if value == "" {
		return time.Time{}, InvalidArgument("%s is required", field)
	}
	t, err := time.Parse(time.RFC3339, value)
	if err != nil {
		return time.Time{}, InvalidArgument("%s %q is not an rfc 3339 time such as 2024-01-31T00:00:00Z", field, clip(value))
	}
	return t, nil
}

// formatDocumentTime is the stored form of a time: RFC 3339 in UTC, with
// fractional seconds only when present.
func formatDocumentTime(t time.Time) string {
	return t.UTC().Format(time.RFC3339Nano)
}

// validateDocumentSubject checks the clear subject data passed in the
// transient map, a JSON object of at most 4 KiB with a non-empty string
// "salt", and returns it compacted, as it is stored.
func validateDocumentSubject(raw []byte) ([]byte, error) {
	if len(raw) > maxDocumentSubject {
		return nil, InvalidArgument("subject data is too large: %d bytes, at most %d", len(raw), maxDocumentSubject)
	}
	if !utf8.Valid(raw) {
		return nil, InvalidArgument("subject data is not valid utf-8")
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(raw, &fields); err != nil {
		return nil, documentJSONError("subject data", err)
	}
	if fields == nil {
		return nil, InvalidArgument("subject data must be a json object")
	}
	var salt string
	if err := json.Unmarshal(fields["salt"], &salt); err != nil || strings.TrimSpace(salt) == "" {
		return nil, InvalidArgument("subject data needs a non-empty string field salt")
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, raw); err != nil {
		return nil, InvalidArgument("subject data is not valid json")
	}
	return buf.Bytes(), nil
}

// validateDocumentReason normalizes the reason of a revocation.
func validateDocumentReason(reason string) (string, error) {
	return normalizeText("reason", reason, maxDocumentRevokeReason)
}
