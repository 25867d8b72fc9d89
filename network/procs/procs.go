// Package procs reads the pid files a CivicLedger network keeps for the
// processes it starts (<data directory>/run/NAME.pid: the pid, the
// executable, and its launcher if any), so that benchmarks and tools can
// find those processes without linking the package that starts them.
package procs

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// Process is one running process of a network.
type Process struct {
	Name string // e.g. peer.registry, chaincode.treasury
	PID  int
}

// File is the pid file of process name in a network's data directory.
func File(dataDir, name string) string { return filepath.Join(dataDir, "run", name+".pid") }

// Names lists the processes that have a pid file, sorted.
func Names(dataDir string) ([]string, error) {
	entries, err := os.ReadDir(filepath.Join(dataDir, "run"))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("list processes: %w", err)
	}
	var names []string
	for _, e := range entries {
		if name, ok := strings.CutSuffix(e.Name(), ".pid"); ok {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	return names, nil
}

// Alive reports the pid recorded in pidFile when that process is alive and
// is still the executable that was started (a recycled pid is not ours).
func Alive(pidFile string) (int, bool) {
	data, err := os.ReadFile(pidFile)
	if err != nil {
		return 0, false
	}
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	pid, err := strconv.Atoi(lines[0])
	if err != nil || pid <= 0 {
		return 0, false
	}
	exe, err := os.Readlink(fmt.Sprintf("/proc/%d/exe", pid))
	if err != nil {
		return 0, false
	}
	// The executable recorded, or its launcher for the moment before it
	// replaces itself with the executable.
	exe = strings.TrimSuffix(exe, " (deleted)")
	if len(lines) >= 2 && exe != lines[1] && (len(lines) < 3 || lines[2] == "" || exe != lines[2]) {
		return 0, false
	}
	if stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid)); err == nil && IsZombie(stat) {
		return 0, false
	}
	return pid, true
}

// IsZombie reports whether /proc/PID/stat's content is a zombie's.
func IsZombie(stat []byte) bool {
	s := string(stat)
	i := strings.LastIndexByte(s, ')')
	return i > 0 && i+2 < len(s) && s[i+2] == 'Z'
}

// Running lists the network's processes that run now.
func Running(dataDir string) ([]Process, error) {
	names, err := Names(dataDir)
	if err != nil {
		return nil, err
	}
	var out []Process
	for _, name := range names {
		if pid, ok := Alive(File(dataDir, name)); ok {
			out = append(out, Process{name, pid})
		}
	}
	return out, nil
}
