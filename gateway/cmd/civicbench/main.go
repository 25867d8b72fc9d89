// Command civicbench measures document registrations per second and their
// latency through an administration's CivicLedger gateway, and through a
// bare fabric-gateway client submitting the same chaincode transaction
// straight to the peer, on the same running network in the same run. Mode
// bare is the baseline: the same loop writing one key with a bench-only
// chaincode deployed on the same network by `civicnet chaincode
// deploy-bench` (bare.go). For each mode it
// also prints the CPU milliseconds per committed transaction of every kind
// of process of the network and of itself (cpu.go), and every ratio to
// the bare write. Mode anchor measures batch anchoring
// (AnchorService.AnchorBatch) instead.
//
//	go run ./network/cmd/civicnet chaincode deploy-bench
//	go run ./gateway/cmd/civicbench -duration 30s -concurrency 64 -modes bare,direct,gateway
//	go run ./gateway/cmd/civicbench -modes anchor -batch 20000 -concurrency 4
package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/civicledger/civicledger/chaincode/records"
	"github.com/civicledger/civicledger/network/connfile"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "civicbench:", err)
		os.Exit(1)
	}
}

type options struct {
	connection  string
	org, user   string
	duration    time.Duration
	warmup      time.Duration
	concurrency int
	modes       string
	// bareChaincode is the baseline chaincode bare mode writes to.
	bareChaincode string
	rounds        int
	rate          float64
	batch         int
	cpu           bool
}

func run() error {
	var o options
	flag.StringVar(&o.connection, "connection", ".civicledger/connection.json", "connection file of a running network")
	flag.StringVar(&o.org, "org", "RegistryMSP", "administration whose clerk registers documents")
	flag.StringVar(&o.user, "user", "clerk", "user to submit as")
	flag.DurationVar(&o.duration, "duration", 30*time.Second, "measured time per mode")
	flag.DurationVar(&o.warmup, "warmup", 5*time.Second, "unmeasured time before each mode")
	flag.IntVar(&o.concurrency, "concurrency", 64, "concurrent callers (closed loop)")
	flag.StringVar(&o.modes, "modes", "direct,gateway", "comma-separated: bare (a Put of the same bytes to the bench-only baseline chaincode), direct, gateway, person (an official signing on this side); or anchor alone")
	flag.StringVar(&o.bareChaincode, "bare-chaincode", "benchcc", "bare mode: the baseline chaincode's name (civicnet chaincode deploy-bench deploys it)")
	flag.IntVar(&o.rounds, "rounds", 1, "measure each mode this many times, the modes taking turns, so that a shared machine's drift falls on every mode alike")
	flag.Float64Var(&o.rate, "rate", 0, "start at most this many registrations a second in every mode (0: as fast as the callers go), so that modes compare at the same rate, with blocks of the same size, and CPU per transaction excludes the per-block cost spread over fewer transactions")
	flag.IntVar(&o.batch, "batch", 20000, "anchor mode: hashes per batch")
	flag.BoolVar(&o.cpu, "cpu", true, "measure the CPU time of every process of the network (found through its data directory, the connection file's folder) and of this client")
	flag.Parse()
	if o.concurrency < 1 || o.duration <= 0 || o.batch < 1 || o.rounds < 1 || o.rate < 0 {
		return fmt.Errorf("concurrency, duration, rounds and batch must be positive, rate not negative")
	}
	conn, err := connfile.Load(o.connection)
	if err != nil {
		return err
	}
	if o.modes == "anchor" {
		return runAnchor(conn, o)
	}
	fmt.Printf("%s, load average %s\n", time.Now().UTC().Format("2006-01-02 15:04 MST"), loadAverage())
	pace := "as fast as they go"
	if o.rate > 0 {
		pace = fmt.Sprintf("starting at most %g a second", o.rate)
	}
	fmt.Printf("document registrations, %d concurrent callers %s, %s per mode and round (after %s warm-up), %d round(s), as %s of %s\n\n",
		o.concurrency, pace, o.duration, o.warmup, o.rounds, o.user, o.org)
	modes := splitModes(o.modes)
	// Each mode's client is set up once (the person mode enrols an
	// official) and serves every round.
	regs := make([]registerFunc, len(modes))
	for i, mode := range modes {
		reg, closeFn, err := registrar(mode, conn, o)
		if err != nil {
			return err
		}
		defer closeFn()
		regs[i] = reg
	}
	var meter *cpuMeter
	if o.cpu {
		if meter, err = newCPUMeter(filepath.Dir(o.connection)); err != nil {
			fmt.Printf("CPU time not measured: %v\n\n", err)
		}
	}
	// Ratios are to the bare Fabric write when it is measured, else to the
	// first mode.
	base := max(0, slices.Index(modes, "bare"))
	results := make([]result, len(modes))
	ratios := make([][]string, len(modes)) // each mode's throughput ÷ the base's, per round
	for range o.rounds {
		round := make([]result, len(modes))
		for i, mode := range modes {
			round[i] = measure(mode, regs[i], o, meter)
			results[i] = results[i].merge(round[i])
		}
		for i, r := range round {
			ratios[i] = append(ratios[i], ratio(r.rate(), round[base].rate()))
		}
	}
	fmt.Println("| path | registrations | tx/s | p50 | p99 | errors |")
	fmt.Println("|---|---|---|---|---|---|")
	for _, r := range results {
		fmt.Println(r.row())
	}
	if meter != nil {
		fmt.Println()
		printCPU(results, base)
	}
	if len(results) > 1 {
		fmt.Println()
		b := results[base]
		for i, r := range results {
			if i == base {
				continue
			}
			fmt.Printf("%s / %s throughput: %s", r.mode, b.mode, ratio(r.rate(), b.rate()))
			if o.rounds > 1 {
				fmt.Printf(" (by round: %s)", strings.Join(ratios[i], ", "))
			}
			if meter != nil {
				fmt.Printf("; CPU per transaction: %s", ratio(r.cpuPerTx(), b.cpuPerTx()))
			}
			fmt.Println()
		}
	}
	fmt.Printf("\n%s, load average %s\n", time.Now().UTC().Format("2006-01-02 15:04 MST"), loadAverage())
	return nil
}

// loadAverage is the machine's 1, 5 and 15-minute load averages.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if f := strings.Fields(string(b)); err == nil && len(f) >= 3 {
		return strings.Join(f[:3], " ")
	}
	return "unknown"
}

// merge adds the measurements of another round of the same mode.
func (r result) merge(o result) result {
	if r.firstErr == nil {
		r.firstErr = o.firstErr
	}
	return result{mode: o.mode, latencies: append(r.latencies, o.latencies...), errors: r.errors + o.errors,
		firstErr: r.firstErr, elapsed: r.elapsed + o.elapsed, cpu: r.cpu.add(o.cpu)}
}

func splitModes(s string) []string {
	var out []string
	for _, m := range strings.Split(s, ",") {
		if m = strings.TrimSpace(m); m != "" {
			out = append(out, m)
		}
	}
	return out
}

// registerFunc registers one document with the given input.
type registerFunc func(ctx context.Context, in records.DocumentRegistration) error

var run0 = time.Now().UnixNano()

// inputs numbers the documents of a run, across modes and rounds, so that
// no id is registered twice.
var inputs atomic.Int64

func newInput(mode string, n int64) records.DocumentRegistration {
	id := fmt.Sprintf("bench-%s-%d-%d", mode, run0, n)
	h := sha256.Sum256([]byte(id))
	s := sha256.Sum256([]byte("subject:" + id))
	now := time.Now().UTC()
	return records.DocumentRegistration{
		ID: id, Type: "certificate", SHA256: hex.EncodeToString(h[:]),
		KeyFacts:  map[string]string{"bench": "1"},
		ValidFrom: now.Add(-time.Hour).Format(time.RFC3339), ValidUntil: now.AddDate(1, 0, 0).Format(time.RFC3339),
		SubjectRef: hex.EncodeToString(s[:]),
	}
}

// registrationJSON is in as the argument of Documents:Register.
func registrationJSON(in records.DocumentRegistration) string {
	b, _ := json.Marshal(in)
	return string(b)
}

type result struct {
	mode      string
	latencies []time.Duration
	errors    int64
	firstErr  error
	elapsed   time.Duration
	cpu       cpuUse // over the measured window
}

func (r result) rate() float64 { return float64(len(r.latencies)) / r.elapsed.Seconds() }

// percentiles returns the p-quantile (0 ≤ p < 1) of latencies; 0 for none.
func percentiles(latencies []time.Duration) func(p float64) time.Duration {
	l := slices.Clone(latencies)
	slices.Sort(l)
	return func(p float64) time.Duration {
		if len(l) == 0 {
			return 0
		}
		return l[min(len(l)-1, int(float64(len(l))*p))]
	}
}

func (r result) row() string {
	pct := percentiles(r.latencies)
	row := fmt.Sprintf("| %s | %d | %.1f | %d ms | %d ms | %d |", r.mode, len(r.latencies), r.rate(),
		pct(0.50).Milliseconds(), pct(0.99).Milliseconds(), r.errors)
	if r.firstErr != nil {
		row += fmt.Sprintf("\nfirst error (%s): %v", r.mode, r.firstErr)
	}
	return row
}

// measure runs a closed loop of o.concurrency callers: a warm-up, then the
// measured window. With o.rate, a caller waits for a start slot before each
// registration, at most o.rate a second for all callers together (slots not
// taken in time are dropped, so a mode that cannot keep up shows a lower
// rate).
// With a meter, it also measures the CPU time used in that window.
func measure(mode string, reg registerFunc, o options, meter *cpuMeter) result {
	loop := func(d time.Duration, record bool) result {
		ctx, cancel := context.WithTimeout(context.Background(), d)
		defer cancel()
		var mu sync.Mutex
		r := result{mode: mode}
		var wg sync.WaitGroup
		var slots <-chan time.Time
		if o.rate > 0 {
			tick := time.NewTicker(time.Duration(float64(time.Second) / o.rate))
			defer tick.Stop()
			slots = tick.C
		}
		start := time.Now()
		for range o.concurrency {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for ctx.Err() == nil {
					if slots != nil {
						select {
						case <-slots:
						case <-ctx.Done():
							return
						}
					}
					t := time.Now()
					err := reg(context.Background(), newInput(mode, inputs.Add(1)))
					lat := time.Since(t)
					if !record {
						continue
					}
					mu.Lock()
					if err != nil {
						r.errors++
						if r.firstErr == nil {
							r.firstErr = err
						}
					} else if ctx.Err() == nil || time.Since(start) <= d+lat {
						r.latencies = append(r.latencies, lat)
					}
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		r.elapsed = time.Since(start)
		return r
	}
	if o.warmup > 0 {
		loop(o.warmup, false)
	}
	if meter == nil {
		return loop(o.duration, true)
	}
	start := meter.snapshot()
	r := loop(o.duration, true)
	r.cpu = meter.since(start, meter.snapshot())
	return r
}
