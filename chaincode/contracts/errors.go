package contracts

import (
	"errors"
	"fmt"
	"strings"
)

// Code classifies a chaincode error. Its string form is the stable prefix of
// the error message, which is all a client receives from the peer, so the
// gateway can map it back to a gRPC status code.
type Code string

// Error codes, named after the gRPC codes the gateway maps them to.
const (
	CodeInvalidArgument    Code = "INVALID_ARGUMENT"
	CodeNotFound           Code = "NOT_FOUND"
	CodeAlreadyExists      Code = "ALREADY_EXISTS"
	CodePermissionDenied   Code = "PERMISSION_DENIED"
	CodeFailedPrecondition Code = "FAILED_PRECONDITION"
	CodeInternal           Code = "INTERNAL"
)

var knownCodes = []Code{
	CodeInvalidArgument, CodeNotFound, CodeAlreadyExists,
	CodePermissionDenied, CodeFailedPrecondition, CodeInternal,
}

// Error is a classified chaincode error; its message is "CODE: message" and,
// when it wraps a cause, "CODE: message: cause".
type Error struct {
	Code Code
	Msg  string
	Err  error
}

// Sentinels for errors.Is: an *Error matches the sentinel of its Code.
var (
	ErrInvalidArgument    = &Error{Code: CodeInvalidArgument}
	ErrNotFound           = &Error{Code: CodeNotFound}
	ErrAlreadyExists      = &Error{Code: CodeAlreadyExists}
	ErrPermissionDenied   = &Error{Code: CodePermissionDenied}
	ErrFailedPrecondition = &Error{Code: CodeFailedPrecondition}
	ErrInternal           = &Error{Code: CodeInternal}
)

// Error returns the message with its code prefix.
func (e *Error) Error() string {
	s := string(e.Code) + ": " + e.Msg
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap returns the cause, if any.
func (e *Error) Unwrap() error { return e.Err }

// Is reports whether target is the sentinel (an *Error with only a Code) of
// e's code, so that errors.Is(err, ErrNotFound) works through wrapping.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Msg == "" && t.Err == nil && t.Code == e.Code
}

func newError(code Code, format string, args ...any) error {
	return &Error{Code: code, Msg: fmt.Sprintf(format, args...)}
}

// InvalidArgument reports a malformed or out-of-range argument.
func InvalidArgument(format string, args ...any) error {
	return newError(CodeInvalidArgument, format, args...)
}

// NotFound reports that the requested entry does not exist.
func NotFound(format string, args ...any) error {
	return newError(CodeNotFound, format, args...)
}

// AlreadyExists reports that an entry to be created exists already.
func AlreadyExists(format string, args ...any) error {
	return newError(CodeAlreadyExists, format, args...)
}

// PermissionDenied reports that the caller may not perform the transaction.
func PermissionDenied(format string, args ...any) error {
	return newError(CodePermissionDenied, format, args...)
}

// FailedPrecondition reports that the ledger is not in the state the
// transaction requires (e.g. a document already revoked).
func FailedPrecondition(format string, args ...any) error {
	return newError(CodeFailedPrecondition, format, args...)
}

// Internal wraps an unexpected failure (ledger access, encoding) as cause.
func Internal(cause error, format string, args ...any) error {
	return &Error{Code: CodeInternal, Msg: fmt.Sprintf(format, args...), Err: cause}
}

// CodeOf returns the code of the first *Error in err's chain, or
// CodeInternal if there is none; nil has no code and yields "".
func CodeOf(err error) Code {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return CodeInternal
}

// ParseCode finds the code in an error message as received by a client,
// which the peer and gateway may have prefixed with their own context (e.g.
// "chaincode response 500, NOT_FOUND: ..."). It reports false if the message
// carries no known code.
func ParseCode(msg string) (Code, bool) {
	best, at := Code(""), -1
	for _, c := range knownCodes {
		i := indexCode(msg, c)
		if i >= 0 && (at < 0 || i < at) {
			best, at = c, i
		}
	}
	return best, at >= 0
}

// indexCode returns the first position of "CODE: " in msg that starts the
// message or follows a non-identifier byte, or -1.
func indexCode(msg string, c Code) int {
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
