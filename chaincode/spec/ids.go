package spec

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
)

// Shapes of the identifiers that arguments carry. They are parts of ledger
// keys, so each admits one spelling only and nothing a composite key or a
// URL would have to escape. Each pattern comes with its description in
// words, for error messages.
var (
	// MSPIDPattern is the shape of an MSP ID.
	MSPIDPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9.-]{0,63}$`)
	// IDPattern is the shape of the ids an administration gives its own
	// entries: documents, bodies, meetings, programmes, grants, payments
	// and permissions.
	IDPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)
	// Hex64Pattern is a SHA-256 digest, or a salted-hash reference to a
	// person, in its canonical (lower-case) spelling.
	Hex64Pattern = regexp.MustCompile(`^[0-9a-f]{64}$`)
	// FactKeyPattern is the shape of the name of a document's key fact.
	FactKeyPattern = regexp.MustCompile(`^[a-zA-Z][a-zA-Z0-9_]{0,31}$`)
	// CategoryPattern is the shape of a permission's data category.
	CategoryPattern = regexp.MustCompile(`^[a-z][a-z0-9-]{1,40}$`)
)

// Descriptions of the shapes above, as error messages give them.
const (
	MSPIDShape    = "letters, digits, '.' and '-', at most 64"
	IDShape       = "a letter or digit, then letters, digits, '.', '_' or '-', at most 64 in all"
	Hex64Shape    = "64 hex digits (a sha-256), in either case"
	FactKeyShape  = "a letter then letters, digits or '_', at most 32"
	CategoryShape = "lowercase letters, digits and '-', 2 to 41, starting with a letter"
)

// Sentinels of the validators, for errors.Is: a value is either missing or
// present but malformed.
var (
	ErrRequired  = errors.New("is required")
	ErrMalformed = errors.New("is malformed")
)

// checkShape reports ErrRequired for an empty value and ErrMalformed, with
// the shape in words, for one that pattern does not match.
func checkShape(value string, pattern *regexp.Regexp, shape string) error {
	if value == "" {
		return ErrRequired
	}
	if !pattern.MatchString(value) {
		return fmt.Errorf("%w: %s", ErrMalformed, shape)
	}
	return nil
}

// CheckMSPID checks the syntax of an MSP ID.
func CheckMSPID(mspID string) error { return checkShape(mspID, MSPIDPattern, MSPIDShape) }

// CheckID checks the syntax of the id of an entry.
func CheckID(id string) error { return checkShape(id, IDPattern, IDShape) }

// CheckFactKey checks the name of a document's key fact.
func CheckFactKey(name string) error { return checkShape(name, FactKeyPattern, FactKeyShape) }

// CheckCategory checks a permission's data category.
func CheckCategory(category string) error {
	return checkShape(category, CategoryPattern, CategoryShape)
}

// NormalizeHex64 checks a SHA-256 digest or a subject reference, 64 hex
// digits in either case (PowerShell's Get-FileHash prints upper case), and
// returns it in its canonical lower-case form, the one stored and answered,
// so that equal digests are equal strings.
func NormalizeHex64(s string) (string, error) {
	s = strings.ToLower(s)
	if err := checkShape(s, Hex64Pattern, Hex64Shape); err != nil {
		return "", err
	}
	return s, nil
}
