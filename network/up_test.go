package network

import (
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// fakeFabricHome makes a folder that passes New's check for binaries; the
// tests using it must fail before any binary runs.
func fakeFabricHome(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, b := range []string{"peer", "orderer", "osnadmin", "configtxgen", "fabric-ca-server", "fabric-ca-client"} {
		require.NoError(t, writeFile(filepath.Join(dir, "bin", b), []byte("#!/bin/sh\nexit 99\n"), 0o755))
	}
	return dir
}

func TestUpRefusesBeforeStartingAnything(t *testing.T) {
	repo, err := FindRepoRoot()
	require.NoError(t, err)

	t.Run("a port in use is named and nothing is started", func(t *testing.T) {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		require.NoError(t, err)
		defer l.Close()
		taken := l.Addr().(*net.TCPAddr).Port

		topo := DefaultTopology()
		topo.DataDir = t.TempDir()
		topo.PortBase, err = FreePortBase(len(topo.Orgs))
		require.NoError(t, err)
		topo.Orgs[1].Ports.Peer = taken
		n, err := New(topo, WithFabricHome(fakeFabricHome(t)), WithRepoRoot(repo))
		require.NoError(t, err)

		err = n.Up(context.Background())
		require.ErrorContains(t, err, fmt.Sprintf("organizations[1].ports.peer: port %d is already in use", taken))
		require.NoDirExists(t, filepath.Join(topo.DataDir, "run"), "no process may have been started")
	})

	t.Run("missing Fabric binaries are reported with the command that builds them", func(t *testing.T) {
		_, err := New(DefaultTopology(), WithFabricHome(t.TempDir()), WithRepoRoot(repo))
		require.ErrorContains(t, err, "run scripts/fabric-bins.sh")
	})

	t.Run("a data directory from a failed start is not reused", func(t *testing.T) {
		topo := DefaultTopology()
		topo.DataDir = t.TempDir()
		require.NoError(t, os.WriteFile(filepath.Join(topo.DataDir, "leftover"), nil, 0o644))
		n, err := New(topo, WithFabricHome(fakeFabricHome(t)), WithRepoRoot(repo))
		require.NoError(t, err)
		require.ErrorContains(t, n.Up(context.Background()), "incomplete network")
	})

	t.Run("purge refuses a folder that is not a network's data directory", func(t *testing.T) {
		topo := DefaultTopology()
		topo.DataDir = t.TempDir()
		precious := filepath.Join(topo.DataDir, "thesis.tex")
		require.NoError(t, os.WriteFile(precious, []byte("x"), 0o644))
		n, err := New(topo, WithFabricHome(fakeFabricHome(t)), WithRepoRoot(repo))
		require.NoError(t, err)
		require.ErrorContains(t, n.Down(context.Background(), true), "does not look like a CivicLedger data directory")
		require.FileExists(t, precious)
	})
}
