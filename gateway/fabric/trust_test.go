package fabric

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestTrustListFromConfigBlock(t *testing.T) {
	t.Run("bytes that are not a block are refused with a reason", func(t *testing.T) {
		_, err := trustListFromConfigBlock([]byte("not a block"))
		require.ErrorContains(t, err, "decode config block")
	})

	t.Run("a block without exactly one transaction is refused", func(t *testing.T) {
		_, err := trustListFromConfigBlock(nil)
		require.ErrorContains(t, err, "holds 0 transactions")
	})
}
