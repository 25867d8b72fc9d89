package base

import (
	"errors"
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/civicledger/civicledger/chaincode/spec"
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

// specError turns the verdict of one of package spec's validators on the
// argument field into INVALID_ARGUMENT, quoting the value.
func specError(field, value string, err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, spec.ErrRequired):
		return InvalidArgument("%s is required", field)
	default:
		return InvalidArgument("%s %q %v", field, Clip(value), err)
	}
}

// ValidateMSPID checks an MSP ID passed as an argument.
func ValidateMSPID(mspID string) error {
	return specError("msp id", mspID, spec.CheckMSPID(mspID))
}

// ValidateID checks the id of an entry, named field in errors.
func ValidateID(field, id string) error {
	return specError(field, id, spec.CheckID(id))
}

// NormalizeHex64 checks a SHA-256 digest or a subject reference, 64 hex
// digits in either case, and returns it in lower case, the one spelling
// that is stored and answered, so that equal digests are equal strings.
func NormalizeHex64(field, value string) (string, error) {
	v, err := spec.NormalizeHex64(value)
	if err != nil {
		return "", specError(field, value, err)
	}
	return v, nil
}

// ParseTime parses a required RFC 3339 time argument (with its offset),
// checks it lies within the years spec accepts, and returns it in UTC.
func ParseTime(field, value string) (time.Time, error) {
	if value == "" {
		return time.Time{}, InvalidArgument("%s is required", field)
	}
	t, err := time.Parse(time.RFC3339, value)
	if err != nil {
		return time.Time{}, InvalidArgument("%s %q is not an rfc 3339 time such as 2024-01-31T00:00:00Z", field, Clip(value))
	}
	if err := CheckTimeRange(field, value, t); err != nil {
		return time.Time{}, err
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

// CheckTimeRange refuses t, the argument field spelt value, unless it lies
// within the years 1900 to 2199 (spec.CheckTime).
func CheckTimeRange(field, value string, t time.Time) error {
	if err := spec.CheckTime(t); err != nil {
		return InvalidArgument("%s %s %v", field, Clip(value), err)
	}
	return nil
}
