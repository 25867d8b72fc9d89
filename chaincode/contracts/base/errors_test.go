package base_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/civicledger/civicledger/chaincode/contracts/base"
)

func TestErrors(t *testing.T) {
	t.Run("the message is the code, a colon and the lowercase message", func(t *testing.T) {
		require.EqualError(t, base.NotFound("no profile for %s", "XMSP"), "NOT_FOUND: no profile for XMSP")
		require.EqualError(t, base.Internal(errors.New("disk"), "read profile"), "INTERNAL: read profile: disk")
	})

	t.Run("each constructor matches its own sentinel only, even when wrapped", func(t *testing.T) {
		sentinels := map[base.Code]error{
			base.CodeInvalidArgument:    base.ErrInvalidArgument,
			base.CodeNotFound:           base.ErrNotFound,
			base.CodeAlreadyExists:      base.ErrAlreadyExists,
			base.CodePermissionDenied:   base.ErrPermissionDenied,
			base.CodeFailedPrecondition: base.ErrFailedPrecondition,
			base.CodeInternal:           base.ErrInternal,
		}
		made := map[base.Code]error{
			base.CodeInvalidArgument:    base.InvalidArgument("x"),
			base.CodeNotFound:           base.NotFound("x"),
			base.CodeAlreadyExists:      base.AlreadyExists("x"),
			base.CodePermissionDenied:   base.PermissionDenied("x"),
			base.CodeFailedPrecondition: base.FailedPrecondition("x"),
			base.CodeInternal:           base.Internal(nil, "x"),
		}
		for code, err := range made {
			wrapped := fmt.Errorf("context: %w", err)
			require.Equal(t, code, base.CodeOf(wrapped))
			for other, sentinel := range sentinels {
				require.Equal(t, code == other, errors.Is(wrapped, sentinel), "%s vs %s", code, other)
			}
			var e *base.Error
			require.ErrorAs(t, wrapped, &e)
			require.Equal(t, "x", e.Msg)
		}
	})

	t.Run("an error with a message is not itself a sentinel for others", func(t *testing.T) {
		require.NotErrorIs(t, base.ErrNotFound, base.NotFound("a"))
	})

	t.Run("an internal error unwraps to its cause", func(t *testing.T) {
		cause := errors.New("cause")
		require.ErrorIs(t, base.Internal(cause, "x"), cause)
	})

	t.Run("an unclassified error counts as internal and nil has no code", func(t *testing.T) {
		require.Equal(t, base.CodeInternal, base.CodeOf(errors.New("plain")))
		require.Equal(t, base.Code(""), base.CodeOf(nil))
	})
}
