package documents

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"

	"github.com/civicledger/civicledger/chaincode/contracts/base"
	"github.com/civicledger/civicledger/chaincode/records"
	"github.com/civicledger/civicledger/chaincode/spec"
)

// parseDocumentRegistration decodes and validates the JSON argument of
// Register. Times come back normalized to RFC 3339 UTC, fact values trimmed.
func parseDocumentRegistration(input string) (*records.DocumentRegistration, error) {
	var in records.DocumentRegistration
	if err := base.DecodeInput("registration", input, spec.MaxDocumentInput, &in); err != nil {
		return nil, err
	}
	if err := base.ValidateID("id", in.ID); err != nil {
		return nil, err
	}
	if err := base.ValidateOneOf("type", in.Type, spec.DocumentTypes); err != nil {
		return nil, err
	}
	var err error
	if in.SHA256, err = base.NormalizeHex64("sha256", in.SHA256); err != nil {
		return nil, err
	}
	if in.SubjectRef, err = base.NormalizeHex64("subjectRef", in.SubjectRef); err != nil {
		return nil, err
	}
	facts, err := normalizeDocumentKeyFacts(in.KeyFacts)
	if err != nil {
		return nil, err
	}
	in.KeyFacts = facts
	from, err := base.ParseTime("validFrom", in.ValidFrom)
	if err != nil {
		return nil, err
	}
	in.ValidFrom = base.FormatTime(from)
	if in.ValidUntil != "" {
		until, err := base.ParseTime("validUntil", in.ValidUntil)
		if err != nil {
			return nil, err
		}
		if !from.Before(until) {
			return nil, base.InvalidArgument("validFrom %s must be before validUntil %s", in.ValidFrom, base.FormatTime(until))
		}
		in.ValidUntil = base.FormatTime(until)
	}
	return &in, nil
}

// normalizeDocumentKeyFacts checks the public key facts and returns them
// with trimmed values; no facts yields an empty, non-nil map.
func normalizeDocumentKeyFacts(facts map[string]string) (map[string]string, error) {
	if len(facts) > spec.MaxDocumentKeyFacts {
		return nil, base.InvalidArgument("keyFacts has %d entries, at most %d", len(facts), spec.MaxDocumentKeyFacts)
	}
	out := make(map[string]string, len(facts))
	keys := make([]string, 0, len(facts))
	for k := range facts {
		keys = append(keys, k)
	}
	slices.Sort(keys) // the first error reported does not depend on map order
	for _, k := range keys {
		if !spec.FactKeyPattern.MatchString(k) {
			return nil, base.InvalidArgument("key fact name %q is malformed: a letter then letters, digits or '_', at most 32", base.Clip(k))
		}
		v, err := base.NormalizeText("key fact "+k, facts[k], spec.MaxDocumentFactValue)
		if err != nil {
			return nil, err
		}
		out[k] = v
	}
	return out, nil
}

// validateDocumentSubject checks the clear subject data passed in the
// transient map, a JSON object of at most 4 KiB with a non-empty string
// "salt", and returns it compacted, as it is stored.
func validateDocumentSubject(raw []byte) ([]byte, error) {
	var fields map[string]json.RawMessage
	if err := base.DecodeInput("subject data", string(raw), spec.MaxDocumentSubject, &fields); err != nil {
		return nil, err
	}
	var salt string
	if err := json.Unmarshal(fields["salt"], &salt); err != nil || strings.TrimSpace(salt) == "" {
		return nil, base.InvalidArgument("subject data needs a non-empty string field salt")
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, raw); err != nil {
		return nil, base.InvalidArgument("subject data is not valid json")
	}
	return buf.Bytes(), nil
}

// validateDocumentReason normalizes the reason of a revocation.
func validateDocumentReason(reason string) (string, error) {
	return base.NormalizeText("reason", reason, spec.MaxDocumentReason)
}
