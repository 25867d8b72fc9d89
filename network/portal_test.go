package network

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestPortalPort(t *testing.T) {
	t.Run("each administration's block of ports reserves a portal port after the gateway's", func(t *testing.T) {
		topo := DefaultTopology()
		topo.applyDefaults()
		require.Equal(t, 7011, topo.Orgs[0].Ports.Portal)
		require.Equal(t, 7031, topo.Orgs[1].Ports.Portal)
		require.NoError(t, topo.Validate())
	})
	t.Run("a portal port that clashes with another port is refused, naming the field", func(t *testing.T) {
		topo := DefaultTopology()
		topo.applyDefaults()
		topo.Orgs[0].Ports.Portal = topo.Orgs[0].Ports.Gateway
		require.ErrorContains(t, topo.Validate(), "organizations[0].ports.portal: port 7009 is already used")
	})
	t.Run("the portal URL is the first administration's portal port", func(t *testing.T) {
		topo := DefaultTopology()
		topo.applyDefaults()
		n := &Network{topo: topo}
		require.Equal(t, "http://127.0.0.1:7011", n.PortalURL())
	})
}
