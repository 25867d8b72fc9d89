package contracts

import (
	"bytes"
	"encoding/json"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/civicledger/civicledger/chaincode/records"
)

// documentFactKeyPattern is the shape of the name of a key fact.
var documentFactKeyPattern = regexp.MustCompile(`^[a-zA-Z][a-zA-Z0-9_]{0,31}$`)

const (
	maxDocumentInput        = 16 << 10 // bytes of the Register JSON
	maxDocumentSubject      = 4 << 10  // bytes of the transient subject JSON
	maxDocumentKeyFacts     = 16
	maxDocumentFactValue    = 128 // characters
	maxDocumentRevokeReason = 500 // characters
)

// parseDocumentRegistration decodes and validates the JSON argument of
// Register. Times come back normalized to RFC 3339 UTC, fact values trimmed.
func parseDocumentRegistration(input string) (*records.DocumentRegistration, error) {
	var in records.DocumentRegistration
	if err := decodeInput("registration", input, maxDocumentInput, &in); err != nil {
		return nil, err
	}
	if err := validateID("id", in.ID); err != nil {
		return nil, err
	}
	if err := validateOneOf("type", in.Type, DocumentTypes); err != nil {
		return nil, err
	}
	if err := validateHex64("sha256", in.SHA256); err != nil {
		return nil, err
	}
	if err := validateHex64("subjectRef", in.SubjectRef); err != nil {
		return nil, err
	}
	facts, err := normalizeDocumentKeyFacts(in.KeyFacts)
	if err != nil {
		return nil, err
	}
	in.KeyFacts = facts
	from, err := parseTime("validFrom", in.ValidFrom)
	if err != nil {
		return nil, err
	}
	in.ValidFrom = formatDocumentTime(from)
	if in.ValidUntil != "" {
		until, err := parseTime("validUntil", in.ValidUntil)
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

// formatDocumentTime is the stored form of a time: RFC 3339 in UTC, with
// fractional seconds only when present.
func formatDocumentTime(t time.Time) string {
	return t.UTC().Format(time.RFC3339Nano)
}

// validateDocumentSubject checks the clear subject data passed in the
// transient map, a JSON object of at most 4 KiB with a non-empty string
// "salt", and returns it compacted, as it is stored.
func validateDocumentSubject(raw []byte) ([]byte, error) {
	var fields map[string]json.RawMessage
	if err := decodeInput("subject data", string(raw), maxDocumentSubject, &fields); err != nil {
		return nil, err
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
