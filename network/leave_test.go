package network

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/civicledger/civicledger/network/connfile"
)

func TestStopAdministration(t *testing.T) {
	ctx := context.Background()

	t.Run("a stopped administration leaves the stored topology and the connection file, and the rest is the same network", func(t *testing.T) {
		n := createdNetwork(t)
		require.NoError(t, n.StopAdministration(ctx, "TreasuryMSP"))
		st, err := n.readState()
		require.NoError(t, err)
		require.Equal(t, []string{"RegistryMSP", "CouncilMSP"}, mspIDsOf(st.Topology.Orgs))
		require.Equal(t, []string{"TreasuryMSP"}, mspIDsOf(st.Departed))
		require.Equal(t, []string{"RegistryMSP", "CouncilMSP"}, mspIDsOf(n.Topology().Orgs))
		conn, err := connfile.Load(n.ConnectionFile())
		require.NoError(t, err)
		_, err = conn.Org("TreasuryMSP")
		require.Error(t, err, "clients no longer find the stopped administration")
		for _, p := range n.Status() {
			require.NotContains(t, p.Name, "treasury", "status no longer expects its processes")
		}

		file := DefaultTopology() // still lists Treasury
		file.PortBase = n.Topology().PortBase
		file.applyDefaults()
		present := withoutDeparted(file, st.Departed)
		require.Equal(t, normalized(present), founders(st.Topology, len(present.Orgs)), "the topology file still names this network")
	})

	t.Run("an unknown administration or the last one is refused and nothing changes", func(t *testing.T) {
		n := createdNetwork(t)
		require.ErrorContains(t, n.StopAdministration(ctx, "HarbourMSP"), `no administration "HarbourMSP"`)
		require.NoError(t, n.StopAdministration(ctx, "TreasuryMSP"))
		require.NoError(t, n.StopAdministration(ctx, "CouncilMSP"))
		require.ErrorContains(t, n.StopAdministration(ctx, "RegistryMSP"), "it is the last one")
		st, err := n.readState()
		require.NoError(t, err)
		require.Equal(t, []string{"RegistryMSP"}, mspIDsOf(st.Topology.Orgs))
	})
}

func mspIDsOf(orgs []Organization) []string {
	out := []string{}
	for _, o := range orgs {
		out = append(out, o.MSPID)
	}
	return out
}
