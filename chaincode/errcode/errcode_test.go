package errcode

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestParse(t *testing.T) {
	t.Run("a client finds the code and its text in the message it receives", func(t *testing.T) {
		for msg, want := range map[string]struct {
			code Code
			text string
		}{
			"NOT_FOUND: no profile for XMSP":                          {NotFound, "no profile for XMSP"},
			"chaincode response 500, PERMISSION_DENIED: caller of X":  {PermissionDenied, "caller of X"},
			`INVALID_ARGUMENT: kind "NOT_FOUND: x" is not one of ...`: {InvalidArgument, `kind "NOT_FOUND: x" is not one of ...`},
			"rpc error: ALREADY_EXISTS: profile":                      {AlreadyExists, "profile"},
			"(FAILED_PRECONDITION: revoked)":                          {FailedPrecondition, "revoked)"},
			"INTERNAL: read state: boom\nstack trace":                 {Internal, "read state: boom"},
		} {
			code, text, ok := Parse(msg)
			require.True(t, ok, msg)
			require.Equal(t, want.code, code, msg)
			require.Equal(t, want.text, text, msg)
		}
	})
	t.Run("a message without a code is not a refusal", func(t *testing.T) {
		for _, msg := range []string{"", "failed to endorse", "XNOT_FOUND: a", "NOT_FOUND:no space", "not_found: lower"} {
			_, _, ok := Parse(msg)
			require.False(t, ok, msg)
		}
	})
}
