package base

import (
	"errors"
	"fmt"

	"github.com/civicledger/civicledger/chaincode/errcode"
)

// Code classifies a chaincode error: the stable "CODE: " prefix of its
// message (package errcode), which the gateway maps back to a gRPC code.
type Code = errcode.Code

// Error codes, as errcode names them.
const (
	CodeInvalidArgument    = errcode.InvalidArgument
	CodeNotFound           = errcode.NotFound
	CodeAlreadyExists      = errcode.AlreadyExists
	CodePermissionDenied   = errcode.PermissionDenied
	CodeFailedPrecondition = errcode.FailedPrecondition
	CodeInternal           = errcode.Internal
)

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
