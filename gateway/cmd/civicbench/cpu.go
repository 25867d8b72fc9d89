package main

import (
	"bytes"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/civicledger/civicledger/network"
)

// clockTicks is USER_HZ, the unit of /proc/<pid>/stat's utime and stime:
// 100 on every Linux architecture Go supports.
const clockTicks = 100

// cpuKinds are the kinds of process CPU time is reported for, in order.
var cpuKinds = []string{"peers", "orderers", "chaincode", "gateway", "CAs", "portal", "client"}

// processKind is the kind of a network process, from the name civicnet
// gives it (peer.registry, peer1.registry, orderer.treasury,
// chaincode.council, chaincode.council.bench, gateway.registry, ca.…,
// portal.…).
func processKind(name string) string {
	prefix, _, _ := strings.Cut(name, ".")
	switch prefix {
	case "peer", "peer1":
		return "peers"
	case "orderer":
		return "orderers"
	case "chaincode":
		return "chaincode"
	case "gateway":
		return "gateway"
	case "ca":
		return "CAs"
	case "portal":
		return "portal"
	}
	return "other"
}

// statTicks is utime + stime, in clock ticks, of a /proc/<pid>/stat line:
// the 14th and 15th fields, counted after the command name, which is in
// parentheses and may itself hold spaces and parentheses.
func statTicks(stat []byte) (int64, error) {
	i := bytes.LastIndexByte(stat, ')')
	if i < 0 {
		return 0, fmt.Errorf("malformed stat line %q", stat)
	}
	fields := strings.Fields(string(stat[i+1:]))
	// fields[0] is field 3 (state), so utime (14) and stime (15) are 11, 12.
	if len(fields) < 13 {
		return 0, fmt.Errorf("stat line has %d fields after the command name, want at least 13", len(fields))
	}
	var sum int64
	for _, f := range fields[11:13] {
		v, err := strconv.ParseInt(f, 10, 64)
		if err != nil {
			return 0, fmt.Errorf("stat line: %w", err)
		}
		sum += v
	}
	return sum, nil
}

// machineBusyTicks is the busy time of all CPUs (everything but idle and
// iowait) from /proc/stat's first line, in clock ticks.
func machineBusyTicks(procStat []byte) (int64, error) {
	line, _, _ := bytes.Cut(procStat, []byte("\n"))
	fields := strings.Fields(string(line))
	if len(fields) < 9 || fields[0] != "cpu" {
		return 0, fmt.Errorf("malformed /proc/stat first line %q", line)
	}
	var busy int64
	for i, f := range fields[1:9] { // user nice system idle iowait irq softirq steal
		v, err := strconv.ParseInt(f, 10, 64)
		if err != nil {
			return 0, fmt.Errorf("/proc/stat: %w", err)
		}
		if i != 3 && i != 4 {
			busy += v
		}
	}
	return busy, nil
}

// watched is one process whose CPU time is measured.
type watched struct {
	name, kind string
	pid        int
}

// cpuMeter measures the CPU time of the network's processes and of this
// benchmark client between two snapshots.
type cpuMeter struct {
	procs []watched
}

// newCPUMeter watches the running processes of the network whose data
// directory holds connection, and this process.
func newCPUMeter(dataDir string) (*cpuMeter, error) {
	net, err := network.Open(dataDir)
	if err != nil {
		return nil, err
	}
	running, err := net.RunningProcesses()
	if err != nil {
		return nil, err
	}
	if len(running) == 0 {
		return nil, fmt.Errorf("no running process of the network in %s", dataDir)
	}
	m := &cpuMeter{}
	for _, p := range running {
		m.procs = append(m.procs, watched{p.Name, processKind(p.Name), p.PID})
	}
	m.procs = append(m.procs, watched{"civicbench", "client", os.Getpid()})
	return m, nil
}

// cpuSnapshot is each watched process's ticks, and the machine's.
type cpuSnapshot struct {
	ticks   []int64
	machine int64
}

func (m *cpuMeter) snapshot() cpuSnapshot {
	s := cpuSnapshot{ticks: make([]int64, len(m.procs))}
	for i, p := range m.procs {
		if b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", p.pid)); err == nil {
			s.ticks[i], _ = statTicks(b)
		}
	}
	if b, err := os.ReadFile("/proc/stat"); err == nil {
		s.machine, _ = machineBusyTicks(b)
	}
	return s
}

// cpuUse is the CPU time, in milliseconds, each kind of process used over
// a window, and what the rest of the machine used.
type cpuUse struct {
	ms     map[string]float64
	others float64 // machine busy time not spent by a watched process
}

// since is the CPU time used from start to end.
func (m *cpuMeter) since(start, end cpuSnapshot) cpuUse {
	u := cpuUse{ms: map[string]float64{}}
	var ours int64
	for i, p := range m.procs {
		d := end.ticks[i] - start.ticks[i]
		if d < 0 { // the process was replaced; its time is unknown
			d = 0
		}
		ours += d
		u.ms[p.kind] += ticksMS(d)
	}
	u.others = max(0, ticksMS(end.machine-start.machine-ours))
	return u
}

func ticksMS(t int64) float64 { return float64(t) * 1000 / clockTicks }

func (u cpuUse) total() float64 {
	var t float64
	for _, v := range u.ms {
		t += v
	}
	return t
}

// add sums two windows' CPU use.
func (u cpuUse) add(o cpuUse) cpuUse {
	out := cpuUse{ms: map[string]float64{}, others: u.others + o.others}
	for k, v := range u.ms {
		out.ms[k] += v
	}
	for k, v := range o.ms {
		out.ms[k] += v
	}
	return out
}

// perTx is the CPU milliseconds per committed transaction of each kind,
// then the total; zeros for no transaction.
func (u cpuUse) perTx(committed int) []float64 {
	out := make([]float64, 0, len(cpuKinds)+1)
	for _, k := range append(slices.Clone(cpuKinds), "total") {
		v := u.ms[k]
		if k == "total" {
			v = u.total()
		}
		if committed > 0 {
			out = append(out, v/float64(committed))
		} else {
			out = append(out, 0)
		}
	}
	return out
}

// ratio is a ÷ b as "%.2f", or "-" when b is zero.
func ratio(a, b float64) string {
	if b == 0 {
		return "-"
	}
	return fmt.Sprintf("%.2f", a/b)
}

// cpuPerTx is the CPU milliseconds all watched processes used per committed
// transaction.
func (r result) cpuPerTx() float64 {
	if len(r.latencies) == 0 {
		return 0
	}
	return r.cpu.total() / float64(len(r.latencies))
}

// printCPU prints, per mode, the CPU milliseconds per committed
// transaction of each kind of process and how busy the rest of the machine
// was meanwhile, then each other mode's figures ÷ the base mode's.
func printCPU(results []result, base int) {
	fmt.Printf("| CPU ms per committed transaction | %s | total | rest of the machine |\n", strings.Join(cpuKinds, " | "))
	fmt.Printf("|---|%s---|---|\n", strings.Repeat("---|", len(cpuKinds)))
	cells := func(f func(i int, v float64) string, r result) string {
		out := make([]string, 0, len(cpuKinds)+1)
		for i, v := range r.cpu.perTx(len(r.latencies)) {
			out = append(out, f(i, v))
		}
		return strings.Join(out, " | ")
	}
	for _, r := range results {
		fmt.Printf("| %s | %s | %.2f cores |\n", r.mode, cells(func(_ int, v float64) string { return fmt.Sprintf("%.2f", v) }, r),
			r.cpu.others/float64(r.elapsed.Milliseconds()+1))
	}
	b := results[base]
	basePer := b.cpu.perTx(len(b.latencies))
	for i, r := range results {
		if i != base {
			fmt.Printf("| %s ÷ %s | %s | |\n", r.mode, b.mode, cells(func(i int, v float64) string { return ratio(v, basePer[i]) }, r))
		}
	}
}
