package contracts

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// mspIDPattern is the shape of an MSP ID accepted as an argument.
var mspIDPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9.-]{0,63}$`)

// validateMSPID checks an MSP ID passed as an argument.
func validateMSPID(mspID string) error {
	if mspID == "" {
		return InvalidArgument("msp id is required")
	}
	if !mspIDPattern.MatchString(mspID) {
		return InvalidArgument("msp id %q is malformed: letters, digits, '.' and '-', at most 64", clip(mspID))
	}
	return nil
}

// normalizeText trims surrounding space from a free-text field and checks it
// is valid UTF-8, non-blank, at most max characters and free of control
// characters. It returns the trimmed value, which is what gets stored.
func normalizeText(field, value string, max int) (string, error) {
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

// validateOneOf checks that value is one of allowed.
func validateOneOf(field, value string, allowed []string) error {
	for _, a := range allowed {
		if value == a {
			return nil
		}
	}
	return InvalidArgument("%s %q is not one of %s", field, clip(value), strings.Join(allowed, ", "))
}

// clip shortens a rejected value quoted in an error message.
func clip(s string) string {
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
