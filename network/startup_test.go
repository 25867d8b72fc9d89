package network

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestCopyIfChanged(t *testing.T) {
	exe, err := os.Executable() // a Go program, with a Go build ID
	require.NoError(t, err)
	self := filepath.Join(t.TempDir(), "built")
	_, err = copyIfChanged(exe, self)
	require.NoError(t, err)
	dst := filepath.Join(t.TempDir(), "bin", "program")

	t.Run("a program not in the data directory yet is copied, executable", func(t *testing.T) {
		copied, err := copyIfChanged(self, dst)
		require.NoError(t, err)
		require.True(t, copied)
		fi, err := os.Stat(dst)
		require.NoError(t, err)
		require.Equal(t, os.FileMode(0o755), fi.Mode().Perm())
	})
	t.Run("the same program is not copied again, whatever its time", func(t *testing.T) {
		later := time.Now().Add(time.Hour)
		require.NoError(t, os.Chtimes(self, later, later))
		copied, err := copyIfChanged(self, dst)
		require.NoError(t, err)
		require.False(t, copied)
	})
	t.Run("another program replaces it, and one running from the old file keeps its file", func(t *testing.T) {
		old, err := os.Open(dst)
		require.NoError(t, err)
		defer old.Close()
		other := filepath.Join(t.TempDir(), "other")
		require.NoError(t, os.WriteFile(other, []byte("#!/bin/sh\nexit 0\n"), 0o755))
		copied, err := copyIfChanged(other, dst)
		require.NoError(t, err)
		require.True(t, copied)
		data, err := os.ReadFile(dst)
		require.NoError(t, err)
		require.Equal(t, "#!/bin/sh\nexit 0\n", string(data))
		oldInfo, err := old.Stat()
		require.NoError(t, err)
		newInfo, err := os.Stat(dst)
		require.NoError(t, err)
		require.False(t, os.SameFile(oldInfo, newInfo), "the file was replaced, not rewritten in place")
	})
}

func TestEnrolmentStages(t *testing.T) {
	topo := DefaultTopology()
	topo.Orgs[2].Peers = 2
	n := &Network{topo: topo, layout: layout{root: t.TempDir()}}

	t.Run("every identity is enrolled in exactly one stage", func(t *testing.T) {
		for _, o := range topo.Orgs {
			count := 0
			for _, stage := range []int{forChannel, forServices, forUsers} {
				count += len(n.membersAt(o, stage))
			}
			require.Equal(t, len(n.members(o)), count, o.Name)
		}
	})
	t.Run("the channel's stage holds the peers, the orderer and the admins", func(t *testing.T) {
		names := func(ms []member) []string {
			var out []string
			for _, m := range ms {
				out = append(out, m.name)
			}
			return out
		}
		require.ElementsMatch(t, []string{"peer0", "orderer0", "admin"}, names(n.membersAt(topo.Orgs[0], forChannel)))
		require.ElementsMatch(t, []string{"peer0", "peer1", "orderer0", "admin"}, names(n.membersAt(topo.Orgs[2], forChannel)))
		require.ElementsMatch(t, []string{"chaincode0", "gateway0", "seal0", "portal0"}, names(n.membersAt(topo.Orgs[0], forServices)))
		require.ElementsMatch(t, []string{"chaincode0", "gateway0", "seal0"}, names(n.membersAt(topo.Orgs[1], forServices)))
		require.ElementsMatch(t, []string{"clerk", "approver"}, names(n.membersAt(topo.Orgs[1], forUsers)))
	})
}

func TestTimeline(t *testing.T) {
	n := &Network{}
	n.timeline.reset()

	t.Run("parts are recorded in the order they began, failed ones too", func(t *testing.T) {
		done := make(chan struct{})
		go func() {
			defer close(done)
			_ = n.timed("second", func() error { time.Sleep(10 * time.Millisecond); return nil })
		}()
		err := n.timed("first", func() error { return errors.New("refused") })
		require.EqualError(t, err, "refused")
		<-done
		phases := n.Timings()
		require.Len(t, phases, 2)
		require.LessOrEqual(t, phases[0].Start, phases[1].Start)
		for _, p := range phases {
			if p.Name == "second" {
				require.GreaterOrEqual(t, p.Duration, 10*time.Millisecond)
				require.Equal(t, p.Start+p.Duration, p.End())
			}
		}
	})
	t.Run("a new start-up forgets the last one's parts", func(t *testing.T) {
		n.timeline.reset()
		require.Empty(t, n.Timings())
	})
}

func TestTasks(t *testing.T) {
	t.Run("waiting for the tasks joins their errors, and each task keeps its own", func(t *testing.T) {
		n := &Network{}
		var bg tasks
		ok := bg.start(n, "fine", func() error { return nil })
		bad := bg.start(n, "broken", func() error { return errors.New("broken") })
		require.EqualError(t, bg.wait(), "broken")
		require.NoError(t, ok.wait())
		require.EqualError(t, bad.wait(), "broken")
	})
	t.Run("concurrently runs every function, even after one fails", func(t *testing.T) {
		ran := make([]bool, 3)
		err := concurrently(
			func() error { ran[0] = true; return errors.New("first") },
			func() error { ran[1] = true; return nil },
			func() error { ran[2] = true; return errors.New("third") })
		require.ErrorContains(t, err, "first")
		require.ErrorContains(t, err, "third")
		require.Equal(t, []bool{true, true, true}, ran)
	})
}
