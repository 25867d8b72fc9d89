package network

import (
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

func TestRunningProcesses(t *testing.T) {
	root := t.TempDir()
	n := &Network{layout: layout{root: root}}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	run := filepath.Join(root, "run")
	if err := os.MkdirAll(run, 0o755); err != nil {
		t.Fatal(err)
	}
	pidFile := func(name string, pid int, bin string) {
		if err := os.WriteFile(filepath.Join(run, name+".pid"), []byte(strconv.Itoa(pid)+"\n"+bin+"\n\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	pidFile("chaincode.registry.bench", os.Getpid(), exe)      // this test process: alive, its executable
	pidFile("peer.registry", os.Getpid(), "/usr/bin/not-peer") // a recycled pid: another executable
	pidFile("orderer.registry", 0, exe)                        // no pid
	got, err := n.RunningProcesses()
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Name != "chaincode.registry.bench" || got[0].PID != os.Getpid() || !got[0].Running {
		t.Fatalf("RunningProcesses = %+v, want only chaincode.registry.bench as pid %d", got, os.Getpid())
	}
	if none, err := (&Network{layout: layout{root: t.TempDir()}}).RunningProcesses(); err != nil || len(none) != 0 {
		t.Fatalf("RunningProcesses of a network never started = %v, %v", none, err)
	}
}
