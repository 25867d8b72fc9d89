package procs

import (
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

func TestRunning(t *testing.T) {
	root := t.TempDir()
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
	got, err := Running(root)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Name != "chaincode.registry.bench" || got[0].PID != os.Getpid() {
		t.Fatalf("Running = %+v, want only chaincode.registry.bench as pid %d", got, os.Getpid())
	}
	if none, err := Running(t.TempDir()); err != nil || len(none) != 0 {
		t.Fatalf("Running of a network never started = %v, %v", none, err)
	}
}
