package base

import (
	"encoding/json"
	"errors"
	"io"
	"reflect"
	"strconv"
	"strings"
	"unicode/utf8"
)

// DecodeInput decodes raw, the JSON argument named what, into v, a pointer.
// A signed argument must mean one thing to every reader, so decoding is
// strict where encoding/json is lenient: raw is at most limit bytes of valid
// UTF-8 (encoding/json would replace invalid bytes with U+FFFD) holding
// exactly one JSON value of v's shape; object field names match v's json
// names exactly (encoding/json folds case) and appear once (encoding/json
// keeps the last); unknown fields, wrong types and trailing data are
// refused. Errors name the field by its JSON path and the type it must have.
// Every failure is INVALID_ARGUMENT.
//
// The fields of v may be strings, booleans, numbers, pointers, slices,
// string-keyed maps, structs of those, and json.RawMessage (any value).
func DecodeInput(what, raw string, limit int, v any) error {
	if len(raw) > limit {
		return InvalidArgument("%s is too large: %d bytes, at most %d", what, len(raw), limit)
	}
	if strings.TrimSpace(raw) == "" {
		return InvalidArgument("%s is required", what)
	}
	if !utf8.ValidString(raw) {
		return InvalidArgument("%s is not valid utf-8", what)
	}
	dec := json.NewDecoder(strings.NewReader(raw))
	dec.UseNumber()
	in := &inputWalk{what: what, dec: dec}
	if err := in.value(what, reflect.TypeOf(v).Elem(), true); err != nil {
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return InvalidArgument("%s has data after its json value", what)
	}
	// The walk checked every name, type and number, so this decoding of
	// the same bytes does not fail in practice.
	if err := json.Unmarshal([]byte(raw), v); err != nil {
		return &Error{Code: CodeInvalidArgument, Msg: what + " cannot be decoded", Err: err}
	}
	return nil
}

// rawMessageType is decoded as any JSON value, kept as is.
var rawMessageType = reflect.TypeFor[json.RawMessage]()

// inputWalk checks the token stream of one JSON argument against a Go type
// before it is decoded. It descends only where the type does, so the depth
// of the walk is bounded by the type, whatever the input.
type inputWalk struct {
	what string
	dec  *json.Decoder
}

// value checks the next JSON value against t; path names it in errors
// ("offer.validFrom", "recipients[2].messageHash"). Null leaves a field at
// its zero value, as encoding/json does, but is refused for the whole input.
func (in *inputWalk) value(path string, t reflect.Type, root bool) error {
	tok, err := in.dec.Token()
	if err != nil {
		return in.syntaxError(err)
	}
	if t == rawMessageType {
		return in.skip(tok)
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch tok := tok.(type) {
	case nil:
		if root {
			return in.typeError(path, t, "json null")
		}
		return nil
	case json.Delim:
		switch {
		case tok == '{' && t.Kind() == reflect.Struct:
			return in.object(path, jsonFields(t), nil)
		case tok == '{' && t.Kind() == reflect.Map && t.Key().Kind() == reflect.String:
			return in.object(path, nil, t.Elem())
		case tok == '[' && (t.Kind() == reflect.Slice || t.Kind() == reflect.Array):
			return in.list(path, t.Elem())
		case tok == '{':
			return in.typeError(path, t, "a json object")
		default:
			return in.typeError(path, t, "a json list")
		}
	case string:
		if t.Kind() != reflect.String {
			return in.typeError(path, t, "a json string")
		}
	case bool:
		if t.Kind() != reflect.Bool {
			return in.typeError(path, t, "a json boolean")
		}
	case json.Number:
		if !numberFits(tok.String(), t) {
			return in.typeError(path, t, "the number "+Clip(tok.String()))
		}
	}
	return nil
}

// object checks the members of an object whose '{' was read: the fields of
// a struct when fields is not nil, else any names with values of type elem
// (a map). No name may appear twice.
func (in *inputWalk) object(path string, fields map[string]reflect.Type, elem reflect.Type) error {
	seen := map[string]bool{}
	for in.dec.More() {
		tok, err := in.dec.Token()
		if err != nil {
			return in.syntaxError(err)
		}
		name, _ := tok.(string)
		t := elem
		if fields != nil {
			if t = fields[name]; t == nil {
				return InvalidArgument("%s has unknown field %q", Clip(path), Clip(name))
			}
		}
		if seen[name] {
			return InvalidArgument("%s has field %q twice", Clip(path), Clip(name))
		}
		seen[name] = true
		if err := in.value(path+"."+name, t, false); err != nil {
			return err
		}
	}
	return in.end()
}

// list checks the elements of a list whose '[' was read.
func (in *inputWalk) list(path string, elem reflect.Type) error {
	for i := 0; in.dec.More(); i++ {
		if err := in.value(path+"["+strconv.Itoa(i)+"]", elem, false); err != nil {
			return err
		}
	}
	return in.end()
}

// end reads the '}' or ']' that closes an object or list.
func (in *inputWalk) end() error {
	if _, err := in.dec.Token(); err != nil {
		return in.syntaxError(err)
	}
	return nil
}

// skip reads the rest of a value that starts with tok, whatever it holds.
func (in *inputWalk) skip(tok any) error {
	for depth := 0; ; {
		if d, ok := tok.(json.Delim); ok {
			if d == '{' || d == '[' {
				depth++
			} else {
				depth--
			}
		}
		if depth == 0 {
			return nil
		}
		var err error
		if tok, err = in.dec.Token(); err != nil {
			return in.syntaxError(err)
		}
	}
}

func (in *inputWalk) syntaxError(err error) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return InvalidArgument("%s is not valid json: it ends too early", in.what)
	}
	return &Error{Code: CodeInvalidArgument, Msg: in.what + " is not valid json", Err: err}
}

func (in *inputWalk) typeError(path string, t reflect.Type, got string) error {
	return InvalidArgument("%s must be %s, not %s", Clip(path), kindName(t), got)
}

// jsonFields maps the JSON names of the exported fields of struct t to their
// types, as encoding/json names them.
func jsonFields(t reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for f := range t.Fields() {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if !f.IsExported() || name == "-" {
			continue
		}
		if name == "" {
			name = f.Name
		}
		out[name] = f.Type
	}
	return out
}

// numberFits reports whether the JSON number n decodes into type t without
// loss, as encoding/json requires.
func numberFits(n string, t reflect.Type) bool {
	var err error
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		_, err = strconv.ParseInt(n, 10, t.Bits())
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		_, err = strconv.ParseUint(n, 10, t.Bits())
	case reflect.Float32, reflect.Float64:
		_, err = strconv.ParseFloat(n, t.Bits())
	default:
		return false
	}
	return err == nil
}

// kindName says in words which JSON value a Go type takes.
func kindName(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "an integer"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Bool:
		return "true or false"
	case reflect.Slice, reflect.Array:
		return "a list"
	case reflect.Struct, reflect.Map:
		return "an object"
	default:
		return "a " + t.Kind().String()
	}
}
