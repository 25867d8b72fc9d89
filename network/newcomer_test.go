package network

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// createdNetwork is a network whose data directory holds the state of a
// created three-administration network, without any process.
func createdNetwork(t *testing.T) *Network {
	t.Helper()
	repo, err := FindRepoRoot()
	require.NoError(t, err)
	topo := DefaultTopology()
	topo.DataDir = t.TempDir()
	topo.PortBase, err = FreePortBase(len(topo.Orgs))
	require.NoError(t, err)
	n, err := New(topo, WithFabricHome(fakeFabricHome(t)), WithRepoRoot(repo))
	require.NoError(t, err)
	require.NoError(t, n.writeState(state{Topology: n.topo, PackageID: "civic_1.0:x", Created: time.Now().UTC().Format(time.RFC3339)}))
	return n
}

func TestNewcomerRefusals(t *testing.T) {
	ctx := context.Background()

	t.Run("a newcomer with a member's MSP ID or name is refused before anything starts", func(t *testing.T) {
		tests := map[string]struct {
			org  Organization
			want string
		}{
			"member's MSP ID": {Organization{MSPID: "TreasuryMSP", Name: "archive", DisplayName: "Archive"}, `mspId: "TreasuryMSP" is already used`},
			"member's name":   {Organization{MSPID: "ArchiveMSP", Name: "council", DisplayName: "Archive"}, `name: "council" is already used`},
			"bad MSP ID":      {Organization{MSPID: "9 lives", Name: "archive", DisplayName: "Archive"}, "must start with a letter"},
			"no display name": {Organization{MSPID: "ArchiveMSP", Name: "archive"}, "displayName: must not be empty"},
		}
		for name, tc := range tests {
			t.Run(name, func(t *testing.T) {
				n := createdNetwork(t)
				_, err := n.CreateAdministration(ctx, tc.org)
				require.ErrorContains(t, err, tc.want)
				require.NoDirExists(t, filepath.Join(n.DataDir(), "run"), "no process may have been started")
				st, err := n.readState()
				require.NoError(t, err)
				require.Empty(t, st.Pending)
			})
		}
	})

	t.Run("joining an administration that was not created here is refused", func(t *testing.T) {
		n := createdNetwork(t)
		require.ErrorIs(t, n.JoinAdministration(ctx, "ArchiveMSP"), ErrNotPending)
		_, err := n.JoinRequestFile("ArchiveMSP")
		require.ErrorIs(t, err, ErrNotPending)
	})

	t.Run("a network without state has no newcomer", func(t *testing.T) {
		repo, err := FindRepoRoot()
		require.NoError(t, err)
		topo := DefaultTopology()
		topo.DataDir = t.TempDir()
		n, err := New(topo, WithFabricHome(fakeFabricHome(t)), WithRepoRoot(repo))
		require.NoError(t, err)
		_, err = n.CreateAdministration(ctx, Organization{MSPID: "ArchiveMSP", Name: "archive", DisplayName: "Archive"})
		require.ErrorContains(t, err, "no network in")
	})
}

func TestFoundersMatchAStoredTopologyWithNewcomers(t *testing.T) {
	created := DefaultTopology()
	created.applyDefaults()
	stored := created
	stored.Orgs = append(append([]Organization{}, created.Orgs...), Organization{MSPID: "ArchiveMSP", Name: "archive"})
	require.Equal(t, normalized(created), founders(stored, len(created.Orgs)), "a joined administration does not make the topology another one")
	changed := created
	changed.Orgs = append([]Organization{}, created.Orgs...)
	changed.Orgs[0].MSPID = "OtherMSP"
	require.NotEqual(t, normalized(changed), founders(stored, len(changed.Orgs)), "a changed founder is another topology")
}
