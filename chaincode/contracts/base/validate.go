package base

import (
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Shapes of the identifiers that arguments carry. They are parts of ledger
// keys, so each admits one spelling only and nothing a composite key or a
// URL would have to escape.
var (
	// mspIDPattern is the shape of an MSP ID.
	mspIDPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9.-]{0,63}$`)
	// idPattern is the shape of the ids an administration gives its own
	// entries: documents, bodies, meetings, programmes, grants, payments
	// and permissions.
	idPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)
	// hex64Pattern is a SHA-256 digest, or a salted-hash reference to a
	// person, in its one canonical spelling.
	hex64Pattern = regexp.MustCompile(`^[0-9a-f]{64}$`)
)

// ValidateShape checks that the argument field is present and matches
// pattern; shape describes the pattern to the client.
func ValidateShape(field, value string, pattern *regexp.Regexp, shape string) error {
	if value == "" {
		return InvalidArgument("%s is required", field)
	}
	if !pattern.MatchString(value) {
		return InvalidArgument("%s %q is malformed: %s", field, Clip(value), shape)
	}
	return nil
}

// ValidateMSPID checks an MSP ID passed as an argument.
func ValidateMSPID(mspID string) error {
	return ValidateShape("msp id", mspID, mspIDPattern, "letters, digits, '.' and '-', at most 64")
}

// ValidateID checks the id of an entry, named field in errors.
func ValidateID(field, id string) error {
	return ValidateShape(field, id, idPattern, "a letter or digit, then letters, digits, '.', '_' or '-', at most 64 in all")
}

// ValidateHex64 checks a SHA-256 digest or a subject reference: 64
// lowercase hex digits, so that equal digests are equal strings.
func ValidateHex64(field, value string) error {
	return ValidateShape(field, value, hex64Pattern, "64 lowercase hex digits (a sha-256)")
}

// ParseTime parses a required RFC 3339 time argument (with its offset) and
// returns it in UTC.
func ParseTime(field, value string) (time.Time, error) {
	if value == "" {
		return time.Time{}, InvalidArgument("%s is required", field)
	}
	t, err := time.Parse(time.RFC3339, value)
	if err != nil {
		return time.Time{}, InvalidArgument("%s %q is not an rfc 3339 time such as 2024-01-31T00:00:00Z", field, Clip(value))
	}
	return t.UTC(), nil
}

// NormalizeText trims surrounding space from a free-text field and checks it
// is valid UTF-8, non-blank, at most max characters and free of control
// characters. It returns the trimmed value, which is what gets stored.
func NormalizeText(field, value string, max int) (string, error) {
	if !utf8.ValidString(value) {
		return "", InvalidArgument("%s is not valid utf-8", field)
	}
	value = strings.TrimSpace(value)
	if value == "" {
		return "", InvalidArgument("%s is required", field)
	}
	if n := utf8.RuneCountInString(value); n > max {
		return "", InvalidArgument("%s is too long: %d characters, at most %d", field, n, max)
	}
	if strings.IndexFunc(value, unicode.IsControl) >= 0 {
		return "", InvalidArgument("%s contains control characters", field)
	}
	return value, nil
}

// ValidateOneOf checks that value is one of allowed.
func ValidateOneOf(field, value string, allowed []string) error {
	for _, a := range allowed {
		if value == a {
			return nil
		}
	}
	return InvalidArgument("%s %q is not one of %s", field, Clip(value), strings.Join(allowed, ", "))
}

// Clip shortens a rejected value quoted in an error message.
func Clip(s string) string {
	const max = 64
	if len(s) <= max {
		return s
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "..."
}

// FormatTime is the stored form of a time: RFC 3339 in UTC, with
// fractional seconds only when present.
func FormatTime(t time.Time) string {
	return t.UTC().Format(time.RFC3339Nano)
}
