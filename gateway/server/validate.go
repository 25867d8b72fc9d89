package server

import (
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/civicledger/civicledger/chaincode/spec"
)

// Checks on request fields that several services share. Each returns
// invalid(field, …), so the client learns which field to fix; none echoes a
// value that could be a secret.

// required fails when a request field is empty.
func required(field, v string) error {
	if v == "" {
		return invalid(field, "is required")
	}
	return nil
}

// requireAll checks field name, value pairs in order and reports the first
// empty one.
func requireAll(pairs ...string) error {
	if len(pairs)%2 != 0 {
		panic("requireAll: want field name, value pairs")
	}
	for i := 0; i < len(pairs); i += 2 {
		if err := required(pairs[i], pairs[i+1]); err != nil {
			return err
		}
	}
	return nil
}

// pageSize turns a request's page size into the chaincode's argument
// ("" lets the chaincode apply its default).
func pageSize(n int32) (string, error) {
	if n < 0 || n > spec.MaxPageSize {
		return "", invalid("page_size", "must be between 0 and %d, got %d", spec.MaxPageSize, n)
	}
	if n == 0 {
		return "", nil
	}
	return fmt.Sprint(n), nil
}

// sha256Hex checks a required SHA-256 in hex, in either case: the chaincode
// stores and answers it in lower case (spec.NormalizeHex64). The value is not
// echoed: a clear token pasted by mistake stays out of error messages and logs.
func sha256Hex(field, v string) error {
	return hex64(field, v, "a SHA-256 as 64 hex characters", true)
}

// convocationID checks a convocation id, which the ledger issues as 64
// lowercase hex characters (spec.ConvocationID) and matches exactly.
func convocationID(field, v string) error {
	return hex64(field, v, "a convocation id as 64 lowercase hex characters, as Convene returned it", false)
}

// hex64 checks v is 64 hex digits, upper case too when anyCase; want says
// what is expected, and an error names the first wrong character's position.
func hex64(field, v, want string, anyCase bool) error {
	if v == "" {
		return invalid(field, "is required: %s", want)
	}
	if len(v) != 64 {
		return invalid(field, "must be %s, got %d characters", want, len(v))
	}
	for i, r := range v {
		digit := r >= '0' && r <= '9' || r >= 'a' && r <= 'f' || anyCase && r >= 'A' && r <= 'F'
		if !digit {
			if anyCase {
				return invalid(field, "must be %s, character %d is not 0-9, a-f or A-F", want, i+1)
			}
			return invalid(field, "must be %s, character %d is not 0-9 or a-f", want, i+1)
		}
	}
	return nil
}

// rfc3339Examples shows a UTC time and one with an offset.
const rfc3339Examples = "an RFC 3339 time such as 2024-01-01T00:00:00Z or 2026-04-02T18:00:00+02:00"

// rfc3339 checks an RFC 3339 time within the chaincode's range of years
// (spec.CheckTime); an empty one passes unless it is mandatory.
func rfc3339(field, v string, mandatory bool) error {
	if v == "" {
		if mandatory {
			return invalid(field, "is required: %s", rfc3339Examples)
		}
		return nil
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return invalid(field, "%q is not %s", clip(v), rfc3339Examples)
	}
	if err := spec.CheckTime(t); err != nil {
		return invalid(field, "%q %v", clip(v), err)
	}
	return nil
}

// clip shortens a request value echoed in an error message.
func clip(s string) string {
	if utf8.RuneCountInString(s) <= 64 {
		return s
	}
	return string([]rune(s)[:64]) + "…"
}
