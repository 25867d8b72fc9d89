package main

import (
	"os"
	"testing"
	"time"
)

func TestStatTicks(t *testing.T) {
	// A command name with a space and a closing parenthesis, utime 1234
	// and stime 56 (fields 14 and 15).
	line := []byte("4242 (civic gw) x) S 1 4242 4242 0 -1 4194560 1500 0 0 0 1234 56 7 8 20 0 12 0 100 800000000 5000 18446744073709551615\n")
	got, err := statTicks(line)
	if err != nil {
		t.Fatal(err)
	}
	if got != 1290 {
		t.Fatalf("statTicks = %d, want 1290", got)
	}
	for _, bad := range []string{"", "4242 civicgw S 1", "4242 (civicgw) S 1 2 3", "4242 (gw) S 1 4242 4242 0 -1 4194560 1500 0 0 0 x 56 7"} {
		if _, err := statTicks([]byte(bad)); err == nil {
			t.Errorf("statTicks(%q) gave no error", bad)
		}
	}
	self, err := os.ReadFile("/proc/self/stat")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := statTicks(self); err != nil {
		t.Fatalf("this process's stat: %v", err)
	}
}

func TestMachineBusyTicks(t *testing.T) {
	got, err := machineBusyTicks([]byte("cpu  100 2 30 5000 40 6 7 8 0 0\ncpu0 50 1 15 2500 20 3 3 4 0 0\n"))
	if err != nil {
		t.Fatal(err)
	}
	if want := int64(100 + 2 + 30 + 6 + 7 + 8); got != want { // idle and iowait left out
		t.Fatalf("machineBusyTicks = %d, want %d", got, want)
	}
	if _, err := machineBusyTicks([]byte("intr 1 2 3\n")); err == nil {
		t.Fatal("a /proc/stat without its cpu line gave no error")
	}
}

func TestProcessKind(t *testing.T) {
	for name, want := range map[string]string{
		"peer.registry": "peers", "peer1.registry": "peers", "orderer.council": "orderers",
		"chaincode.treasury": "chaincode", "chaincode.treasury.next": "chaincode", "chaincode.treasury.bench": "chaincode",
		"gateway.registry": "gateway", "ca.council": "CAs", "portal.registry": "portal", "something": "other",
	} {
		if got := processKind(name); got != want {
			t.Errorf("processKind(%q) = %q, want %q", name, got, want)
		}
	}
}

func TestCPUPerTransaction(t *testing.T) {
	m := &cpuMeter{procs: []watched{{"peer.a", "peers", 1}, {"peer.b", "peers", 2}, {"chaincode.a", "chaincode", 3}, {"civicbench", "client", 4}}}
	start := cpuSnapshot{ticks: []int64{100, 200, 50, 10}, machine: 1000}
	// 3 s of peers, 1 s of chaincode, 0.5 s of client, and a replaced
	// process whose counter went back (counted as nothing); the machine was
	// busy 6 s, so 2.5 s went to other processes.
	end := cpuSnapshot{ticks: []int64{300, 300, 150, 60}, machine: 1600}
	end.ticks[2] = 40 // chaincode.a restarted
	u := m.since(start, end)
	if u.ms["peers"] != 3000 || u.ms["chaincode"] != 0 || u.ms["client"] != 500 {
		t.Fatalf("since = %v", u.ms)
	}
	if u.others != 2500 {
		t.Fatalf("others = %v ms, want 2500", u.others)
	}
	r := result{latencies: make([]time.Duration, 100), cpu: u.add(u)}
	if got := r.cpuPerTx(); got != 70 {
		t.Fatalf("cpuPerTx = %v ms, want 70 (7 s over 100 transactions)", got)
	}
	per := r.cpu.perTx(len(r.latencies))
	if len(per) != len(cpuKinds)+1 || per[0] != 60 || per[len(per)-1] != 70 {
		t.Fatalf("perTx = %v", per)
	}
	if got := (result{}).cpuPerTx(); got != 0 {
		t.Fatalf("cpuPerTx without transactions = %v", got)
	}
}

func TestRatio(t *testing.T) {
	if got := ratio(170, 200); got != "0.85" {
		t.Fatalf("ratio = %s", got)
	}
	if got := ratio(1, 0); got != "-" {
		t.Fatalf("ratio to zero = %s", got)
	}
}
