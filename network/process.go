package network

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/civicledger/civicledger/network/procs"
)

// process is one long-running node of the network: a CA, an orderer, a peer
// or a chaincode service. It is started in its own session so that it
// outlives the command that started it, and is tracked by a pid file.
type process struct {
	Name string   // unique within the network, e.g. "peer.registry"
	Bin  string   // absolute path of the executable
	Args []string // arguments after the executable
	Env  []string // full environment
	Dir  string   // working directory
	// Launcher, when set, is run with Args instead of Bin and replaces
	// itself with Bin (`ip netns exec <namespace> <Bin> …`, hosts.go), so
	// the pid is Bin's.
	Launcher string
}

func (l layout) pidFile(name string) string { return procs.File(l.root, name) }
func (l layout) logFile(name string) string { return filepath.Join(l.root, "logs", name+".log") }

// start launches p detached, with stdout and stderr appended to its log file,
// and records its pid.
func (l layout) start(p process) error {
	if pid, ok := l.running(p.Name); ok {
		return fmt.Errorf("start %s: already running as pid %d", p.Name, pid)
	}
	for _, d := range []string{filepath.Dir(l.pidFile(p.Name)), filepath.Dir(l.logFile(p.Name))} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return fmt.Errorf("start %s: %w", p.Name, err)
		}
	}
	logf, err := os.OpenFile(l.logFile(p.Name), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return fmt.Errorf("start %s: open log: %w", p.Name, err)
	}
	defer logf.Close()
	cmd := exec.Command(p.Bin, p.Args...)
	if p.Launcher != "" {
		cmd = exec.Command(p.Launcher, p.Args...)
	}
	cmd.Env = p.Env
	cmd.Dir = p.Dir
	cmd.Stdout = logf
	cmd.Stderr = logf
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start %s: %w", p.Name, err)
	}
	pid := cmd.Process.Pid
	// The child is reaped by init once this program exits; release it so the
	// Go runtime does not keep a handle on it.
	go func() { _ = cmd.Wait() }()
	if err := os.WriteFile(l.pidFile(p.Name), []byte(strconv.Itoa(pid)+"\n"+p.Bin+"\n"+p.Launcher+"\n"), 0o644); err != nil {
		_ = cmd.Process.Kill()
		return fmt.Errorf("start %s: write pid file: %w", p.Name, err)
	}
	return nil
}

// running reports whether the process recorded for name is alive and is
// still the executable that was started (a recycled pid is not ours).
func (l layout) running(name string) (int, bool) { return procs.Alive(l.pidFile(name)) }

// exited reports whether every thread of pid has ended. A Go program's
// main thread can be a zombie while its other threads still run and hold
// its listening sockets, so a zombie leader counts only once it is the
// last task left.
func exited(pid int) bool {
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return true
	}
	if !procs.IsZombie(stat) {
		return false
	}
	tasks, err := os.ReadDir(fmt.Sprintf("/proc/%d/task", pid))
	return err != nil || len(tasks) <= 1
}

// stop sends SIGTERM to the recorded process, waits up to grace for all
// its threads to exit (and so for its ports to be free), then kills it. The pid file is removed either way.
func (l layout) stop(ctx context.Context, name string, grace time.Duration) error {
	defer os.Remove(l.pidFile(name))
	pid, ok := l.running(name)
	if !ok {
		return nil
	}
	if err := syscall.Kill(pid, syscall.SIGTERM); err != nil && !errors.Is(err, syscall.ESRCH) {
		return fmt.Errorf("stop %s (pid %d): %w", name, pid, err)
	}
	deadline := time.Now().Add(grace)
	for time.Now().Before(deadline) {
		if exited(pid) {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
	if err := syscall.Kill(pid, syscall.SIGKILL); err != nil && !errors.Is(err, syscall.ESRCH) {
		return fmt.Errorf("kill %s (pid %d): %w", name, pid, err)
	}
	return nil
}

// kill ends the recorded process at once with SIGKILL, as a crash would,
// and waits until all its threads have exited. The pid file is removed.
func (l layout) kill(ctx context.Context, name string) error {
	defer os.Remove(l.pidFile(name))
	pid, ok := l.running(name)
	if !ok {
		return fmt.Errorf("kill %s: not running", name)
	}
	if err := syscall.Kill(pid, syscall.SIGKILL); err != nil && !errors.Is(err, syscall.ESRCH) {
		return fmt.Errorf("kill %s (pid %d): %w", name, pid, err)
	}
	for !exited(pid) {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
	return nil
}

// runTool runs a short-lived Fabric command and returns its combined output;
// a failure carries that output so the cause is visible.
func runTool(ctx context.Context, env []string, bin string, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	if err != nil {
		return out, fmt.Errorf("%s %s: %w\n%s", filepath.Base(bin), strings.Join(args[:min(len(args), 3)], " "), err, tail(out, 2000))
	}
	return out, nil
}

func tail(b []byte, n int) string {
	if len(b) > n {
		b = b[len(b)-n:]
	}
	return strings.TrimSpace(string(b))
}
