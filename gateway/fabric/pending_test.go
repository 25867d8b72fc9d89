package fabric

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestPendingTransaction(t *testing.T) {
	t.Run("an unknown outcome names its transaction, even wrapped", func(t *testing.T) {
		err := fmt.Errorf("register: %w", &outcomeUnknownError{tx: &pendingTx{id: "tx1"}, err: context.DeadlineExceeded})
		id, ok := PendingTransaction(err)
		require.True(t, ok)
		require.Equal(t, "tx1", id)
		require.ErrorIs(t, err, context.DeadlineExceeded)
	})
	t.Run("any other error names none", func(t *testing.T) {
		_, ok := PendingTransaction(errors.Join(ErrUnavailable, context.DeadlineExceeded))
		require.False(t, ok)
	})
}
