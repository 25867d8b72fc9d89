package contracts

import (
	"encoding/json"
	"errors"
	"io"
	"reflect"
	"slices"
	"strings"
	"unicode/utf8"
)

// subsidyMaxInputBytes bounds the JSON argument of a subsidy transaction.
const subsidyMaxInputBytes = 16 << 10

// decodeSubsidyInput decodes raw, a JSON object of at most 16 KiB, into v.
// Field names must match exactly and appear once (encoding/json would
// otherwise accept "AMOUNT" and keep the last of two "amount"s); unknown
// fields, wrong types, invalid UTF-8 and trailing data are refused.
func decodeSubsidyInput(what, raw string, v any) error {
	if len(raw) > subsidyMaxInputBytes {
		return InvalidArgument("%s input is too large: %d bytes, at most %d", what, len(raw), subsidyMaxInputBytes)
	}
	if strings.TrimSpace(raw) == "" {
		return InvalidArgument("%s input is required: a json object", what)
	}
	if !utf8.ValidString(raw) {
		// encoding/json would silently replace invalid bytes with U+FFFD.
		return InvalidArgument("%s input is not valid utf-8", what)
	}
	if err := checkSubsidyFields(what, raw, subsidyFieldNames(v)); err != nil {
		return err
	}
	dec := json.NewDecoder(strings.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var typeErr *json.UnmarshalTypeError
		if errors.As(err, &typeErr) && typeErr.Field != "" {
			return InvalidArgument("%s input: %s must be %s, got %s", what, typeErr.Field,
				subsidyTypeName(typeErr.Type), clip(typeErr.Value))
		}
		return &Error{Code: CodeInvalidArgument, Msg: what + " input is not valid json", Err: err}
	}
	return nil
}

// checkSubsidyFields walks the top level of raw: one JSON object whose keys
// are all in fields, each at most once, and nothing after it.
func checkSubsidyFields(what, raw string, fields []string) error {
	dec := json.NewDecoder(strings.NewReader(raw))
	bad := func(err error) error {
		return &Error{Code: CodeInvalidArgument, Msg: what + " input is not valid json", Err: err}
	}
	tok, err := dec.Token()
	if err != nil {
		return bad(err)
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return InvalidArgument("%s input must be a json object", what)
	}
	seen := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return bad(err)
		}
		key, _ := tok.(string)
		if !slices.Contains(fields, key) {
			return InvalidArgument("%s input has unknown field %q; fields are %s", what, clip(key), strings.Join(fields, ", "))
		}
		if seen[key] {
			return InvalidArgument("%s input has field %q twice", what, key)
		}
		seen[key] = true
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return bad(err)
		}
	}
	if _, err := dec.Token(); err != nil {
		return bad(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return InvalidArgument("%s input has data after the json object", what)
	}
	return nil
}

// subsidyFieldNames lists the json names of the fields of *v.
func subsidyFieldNames(v any) []string {
	t := reflect.TypeOf(v).Elem()
	names := make([]string, 0, t.NumField())
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		names = append(names, name)
	}
	return names
}

// subsidyTypeName says in words what a field of type t must be.
func subsidyTypeName(t reflect.Type) string {
	if t == nil {
		return "a valid value"
	}
	switch t.Kind() {
	case reflect.Int64:
		return "a whole number of minor units"
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Pointer:
		return subsidyTypeName(t.Elem())
	default:
		return t.Kind().String()
	}
}
