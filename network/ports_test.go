package network

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestFreePortBase(t *testing.T) {
	t.Run("a block of free ports lies below the ephemeral range, where no outgoing connection can take a stopped node's port", func(t *testing.T) {
		for range 20 {
			base, err := FreePortBase(4)
			require.NoError(t, err)
			require.GreaterOrEqual(t, base, lowestPort)
			require.LessOrEqual(t, base+4*portsPerOrg, ephemeralStart(), "block %d+%d reaches the ephemeral range", base, 4*portsPerOrg)
			require.True(t, portsFree(base, 4*portsPerOrg))
		}
	})
}
