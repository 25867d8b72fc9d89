package contracts

import (
	"encoding/json"
	"errors"
	"io"
	"reflect"
	"strings"
	"unicode/utf8"
)

// Size limits, in bytes, of the JSON arguments of the convocations contract.
// 500 recipients take about 120 KiB of compact JSON.
const (
	convBodyInputLimit       = 4 << 10
	convMeetingInputLimit    = 64 << 10
	convRecipientsInputLimit = 256 << 10
)

// convBodyInput is the JSON argument of SetBody. ClearDays is a pointer so
// that a missing or null value is refused instead of meaning zero days.
type convBodyInput struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	ClearDays *int   `json:"clearDays"`
	TimeZone  string `json:"timeZone"`
}

// convMeetingInput is the JSON argument of CreateMeeting.
type convMeetingInput struct {
	ID           string   `json:"id"`
	BodyID       string   `json:"bodyId"`
	StartsAt     string   `json:"startsAt"`
	Place        string   `json:"place"`
	AgendaHashes []string `json:"agendaHashes"`
}

// convRecipientInput is one element of the JSON list argument of Convene.
type convRecipientInput struct {
	RecipientRef string `json:"recipientRef"`
	MessageHash  string `json:"messageHash"`
	AckTokenHash string `json:"ackTokenHash"`
}

// decodeConvInput decodes raw, the JSON argument named what, into v: at most
// limit bytes of valid UTF-8 holding exactly one JSON value with no field
// that v does not declare. Every failure is an INVALID_ARGUMENT.
func decodeConvInput(what, raw string, limit int, v any) error {
	if len(raw) > limit {
		return InvalidArgument("%s is too large: %d bytes, at most %d", what, len(raw), limit)
	}
	if strings.TrimSpace(raw) == "" {
		return InvalidArgument("%s is required", what)
	}
	// encoding/json would silently replace invalid UTF-8 with U+FFFD.
	if !utf8.ValidString(raw) {
		return InvalidArgument("%s is not valid utf-8", what)
	}
	dec := json.NewDecoder(strings.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return convJSONError(what, err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return InvalidArgument("%s has data after its json value", what)
	}
	return nil
}

// convJSONError turns a decoding error into a client-readable message that
// names the JSON field rather than Go types.
func convJSONError(what string, err error) error {
	var syntaxErr *json.SyntaxError
	var typeErr *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntaxErr):
		return &Error{Code: CodeInvalidArgument, Msg: what + " is not valid json", Err: err}
	case errors.Is(err, io.ErrUnexpectedEOF):
		return InvalidArgument("%s is truncated json", what)
	case errors.As(err, &typeErr):
		field := typeErr.Field
		if field == "" {
			field = "the value"
		}
		return InvalidArgument("%s: %s must be %s, not %s", what, clip(field), convKindName(typeErr.Type), clip(typeErr.Value))
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return InvalidArgument("%s has unknown field %s", what, clip(strings.TrimPrefix(err.Error(), "json: unknown field ")))
	default:
		return &Error{Code: CodeInvalidArgument, Msg: what + " cannot be decoded", Err: err}
	}
}

// convKindName names the JSON kind expected for a Go type.
func convKindName(t reflect.Type) string {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == nil {
		return "a json value"
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "an integer"
	case reflect.Bool:
		return "a boolean"
	case reflect.Slice, reflect.Array:
		return "a list"
	case reflect.Struct, reflect.Map:
		return "an object"
	default:
		return "a json value"
	}
}
