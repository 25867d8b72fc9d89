package ledgerctl

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// Exit codes, the same for every command (see exitHelp).
const (
	// ExitOK: the command worked; a verdict command's answer is yes (valid,
	// verifies, allowed).
	ExitOK = 0
	// ExitNegative: a verdict command worked and its answer is no.
	ExitNegative = 1
	// ExitFailure: a usage error, a connection error or any other failure;
	// there is no verdict.
	ExitFailure = 2
)

// exitHelp is the exit-code rule as `ledgerctl --help` prints it.
const exitHelp = `Exit status, the same for every command:
  0  done; for a verdict command, the answer is yes (valid, verifies, allowed)
  1  a verdict command worked and the answer is no: a document that is not valid
     (revoked, superseded, expired, not yet valid, unknown), a seal, inclusion
     proof or receipt that does not verify, a permission that does not allow
  2  usage error, connection error or any other failure: no verdict
Verdict commands: documents verify, documents verify-hash, verify (seals),
anchor verify, permissions check, receipt verify.
A failure prints "ledgerctl: <code>: <message>" on stderr; with --json it also
prints {"error":{"code":"InvalidArgument","message":"..."}} on stdout, so that
stdout holds one JSON document whatever happens. A negative verdict prints the
verdict (as JSON with --json) on stdout and its reason on stderr.`

// VerdictError is a negative verdict: the command worked and its answer is
// no. ledgerctl exits with ExitNegative for it, ExitFailure for any other
// error.
type VerdictError struct {
	err error
}

func (e *VerdictError) Error() string { return e.err.Error() }
func (e *VerdictError) Unwrap() error { return e.err }

// negative is a negative verdict whose reason is the formatted message.
func negative(format string, args ...any) error {
	return &VerdictError{err: fmt.Errorf(format, args...)}
}

// asVerdict makes err, when there is one, a negative verdict: for checks
// whose failure is the answer (a receipt that does not verify).
func asVerdict(err error) error {
	if err == nil {
		return nil
	}
	return &VerdictError{err: err}
}

// verdict is nil when ok, else the negative verdict the message describes.
func verdict(ok bool, format string, args ...any) error {
	if ok {
		return nil
	}
	return negative(format, args...)
}

// ExitCode is the exit code for what a command returned.
func ExitCode(err error) int {
	var v *VerdictError
	switch {
	case err == nil:
		return ExitOK
	case errors.As(err, &v):
		return ExitNegative
	}
	return ExitFailure
}

// Describe turns an error into the line ledgerctl prints: for a gRPC error,
// the status code and the gateway's message.
func Describe(err error) string {
	if st, ok := status.FromError(err); ok {
		return fmt.Sprintf("%s: %s", st.Code(), st.Message())
	}
	return err.Error()
}

// errorCode is the gRPC code a failure reports as in JSON: the gateway's
// own, or for a failure ledgerctl found itself, what it was about. What
// ledgerctl refuses by itself comes from what it was given (flags,
// arguments, files), hence InvalidArgument.
func errorCode(err error) codes.Code {
	if st, ok := status.FromError(err); ok {
		return st.Code()
	}
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return codes.DeadlineExceeded
	case errors.Is(err, context.Canceled):
		return codes.Canceled
	case errors.Is(err, fs.ErrNotExist):
		return codes.NotFound
	case errors.Is(err, fs.ErrPermission):
		return codes.PermissionDenied
	}
	return codes.InvalidArgument
}

// jsonError is how a failure prints with --json.
type jsonError struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

// report prints what err means and returns the exit code: the one place
// where a command's result becomes ledgerctl's exit status.
func report(err error, asJSON bool, stdout, stderr io.Writer) int {
	code := ExitCode(err)
	if code == ExitOK {
		return code
	}
	fmt.Fprintln(stderr, "ledgerctl:", Describe(err))
	if code == ExitFailure && asJSON {
		var je jsonError
		je.Error.Code = errorCode(err).String()
		je.Error.Message = err.Error()
		if st, ok := status.FromError(err); ok {
			je.Error.Message = st.Message()
		}
		b, _ := json.MarshalIndent(je, "", "  ") // strings only: cannot fail
		fmt.Fprintln(stdout, string(b))
	}
	return code
}

// Main runs ledgerctl with args and returns its exit code (ExitOK,
// ExitNegative or ExitFailure), printing any error as report does.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	root, o := newRoot()
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	return report(root.Execute(), o.json, stdout, stderr)
}
