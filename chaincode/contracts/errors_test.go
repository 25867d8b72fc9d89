package contracts_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/civicledger/civicledger/chaincode/contracts"
)

func TestErrors(t *testing.T) {
	t.Run("the message is the code, a colon and the lowercase message", func(t *testing.T) {
		require.EqualError(t, contracts.NotFound("no profile for %s", "XMSP"), "NOT_FOUND: no profile for XMSP")
		require.EqualError(t, contracts.Internal(errors.New("disk"), "read profile"), "INTERNAL: read profile: disk")
	})

	t.Run("each constructor matches its own sentinel only, even when wrapped", func(t *testing.T) {
		sentinels := map[contracts.Code]error{
			contracts.CodeInvalidArgument:    contracts.ErrInvalidArgument,
			contracts.CodeNotFound:           contracts.ErrNotFound,
			contracts.CodeAlreadyExists:      contracts.ErrAlreadyExists,
			contracts.CodePermissionDenied:   contracts.ErrPermissionDenied,
			contracts.CodeFailedPrecondition: contracts.ErrFailedPrecondition,
			contracts.CodeInternal:           contracts.ErrInternal,
		}
		made := map[contracts.Code]error{
			contracts.CodeInvalidArgument:    contracts.InvalidArgument("x"),
			contracts.CodeNotFound:           contracts.NotFound("x"),
			contracts.CodeAlreadyExists:      contracts.AlreadyExists("x"),
			contracts.CodePermissionDenied:   contracts.PermissionDenied("x"),
			contracts.CodeFailedPrecondition: contracts.FailedPrecondition("x"),
			contracts.CodeInternal:           contracts.Internal(nil, "x"),
		}
		for code, err := range made {
			wrapped := fmt.Errorf("context: %w", err)
			require.Equal(t, code, contracts.CodeOf(wrapped))
			for other, sentinel := range sentinels {
				require.Equal(t, code == other, errors.Is(wrapped, sentinel), "%s vs %s", code, other)
			}
			var e *contracts.Error
			require.ErrorAs(t, wrapped, &e)
			require.Equal(t, "x", e.Msg)
		}
	})

	t.Run("an error with a message is not itself a sentinel for others", func(t *testing.T) {
		require.NotErrorIs(t, contracts.ErrNotFound, contracts.NotFound("a"))
	})

	t.Run("an internal error unwraps to its cause", func(t *testing.T) {
		cause := errors.New("cause")
		require.ErrorIs(t, contracts.Internal(cause, "x"), cause)
	})

	t.Run("an unclassified error counts as internal and nil has no code", func(t *testing.T) {
		require.Equal(t, contracts.CodeInternal, contracts.CodeOf(errors.New("plain")))
		require.Equal(t, contracts.Code(""), contracts.CodeOf(nil))
	})
}
