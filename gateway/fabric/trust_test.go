package fabric

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestTrustListFromConfigBlock(t *testing.T) {
	t.Run("bytes that are not a block are refused with a reason", func(t *testing.T) {
		_, err := trustListFromConfigBlock([]byte("not a block"))
		require.ErrorContains(t, err, "decode configuration block")
	})

	t.Run("an empty block is refused", func(t *testing.T) {
		_, err := trustListFromConfigBlock(nil)
		require.ErrorContains(t, err, "has no header")
	})
}
