// Package errcode is how the chaincode tells a client why it refused a
// transaction. A peer hands a client nothing but the chaincode's error
// message, so every message starts with a code, "NOT_FOUND: no document X",
// named after the gRPC code the gateway answers with. The chaincode writes
// it (base.Error in chaincode/contracts/base) and the gateway reads it back (Parse); both use this
// one list.
package errcode

import "strings"

// Code classifies a refusal; its string form is the message's prefix.
type Code string

// The codes, named after the gRPC codes the gateway maps them to.
const (
	InvalidArgument    Code = "INVALID_ARGUMENT"
	NotFound           Code = "NOT_FOUND"
	AlreadyExists      Code = "ALREADY_EXISTS"
	PermissionDenied   Code = "PERMISSION_DENIED"
	FailedPrecondition Code = "FAILED_PRECONDITION"
	Internal           Code = "INTERNAL"
)

// All lists every code.
var All = []Code{InvalidArgument, NotFound, AlreadyExists, PermissionDenied, FailedPrecondition, Internal}

// Parse finds the chaincode's refusal in an error message as a client
// receives it, which the peer and gateway may have prefixed with their own
// context (e.g. "chaincode response 500, NOT_FOUND: ..."): the earliest
// "CODE: " that starts the message or follows a byte that cannot be part of
// a code. It returns the code and the text after it, to the end of that
// line; ok is false when the message carries no code.
func Parse(msg string) (code Code, text string, ok bool) {
	at := -1
	for _, c := range All {
		if i := index(msg, c); i >= 0 && (at < 0 || i < at) {
			code, at = c, i
		}
	}
	if at < 0 {
		return "", "", false
	}
	text = msg[at+len(code)+2:]
	if nl := strings.IndexByte(text, '\n'); nl >= 0 {
		text = text[:nl]
	}
	return code, text, true
}

// index returns the first position of "CODE: " in msg that starts the
// message or follows a byte that cannot be part of a code, or -1.
func index(msg string, c Code) int {
	token := string(c) + ": "
	for off := 0; ; {
		i := strings.Index(msg[off:], token)
		if i < 0 {
			return -1
		}
		i += off
		if i == 0 || !isCodeByte(msg[i-1]) {
			return i
		}
		off = i + 1
	}
}

func isCodeByte(b byte) bool {
	return b == '_' || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9')
}
