package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

func bufioWriter(w io.Writer) *bufio.Writer { return bufio.NewWriterSize(w, 256<<10) }

// loopResult is what one closed loop measured.
type loopResult struct {
	latencies []time.Duration // sorted
	elapsed   time.Duration
	calls     int // every call started, measured or not
	errors    int
	firstErr  error
}

func (r loopResult) p(pct int) time.Duration {
	if len(r.latencies) == 0 {
		return 0
	}
	return r.latencies[min(len(r.latencies)-1, len(r.latencies)*pct/100)]
}

func (r loopResult) rate() float64 {
	if r.elapsed <= 0 {
		return 0
	}
	return float64(len(r.latencies)) / r.elapsed.Seconds()
}

// rateText is the rate, with the failed calls if any.
func (r loopResult) rateText() string {
	if r.errors > 0 {
		return fmt.Sprintf("%.0f (%d failed: %v)", r.rate(), r.errors, r.firstErr)
	}
	return fmt.Sprintf("%.0f", r.rate())
}

// failure is an error when most calls failed: such a loop measures
// nothing. A few failures (a busy machine) are reported in the table.
func (r loopResult) failure() error {
	if r.errors > 0 && r.errors*2 >= r.calls {
		return fmt.Errorf("%d of %d calls failed, the first: %w", r.errors, r.calls, r.firstErr)
	}
	return nil
}

// closedLoop runs o.callers callers of call, each numbered call n unique
// within the loop, for o.warmup then o.duration, and keeps the latencies of
// the calls that started within the measured window.
func closedLoop(ctx context.Context, o options, call func(ctx context.Context, n int) error) loopResult {
	var (
		mu      sync.Mutex
		r       loopResult
		next    atomic.Int64
		wg      sync.WaitGroup
		measure = time.Now().Add(o.warmup)
		end     = measure.Add(o.duration)
	)
	for range o.callers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				t := time.Now()
				if !t.Before(end) {
					return
				}
				cctx, cancel := context.WithTimeout(ctx, time.Minute)
				err := call(cctx, int(next.Add(1)-1))
				cancel()
				lat := time.Since(t)
				mu.Lock()
				if err != nil {
					r.errors++
					if r.firstErr == nil {
						r.firstErr = err
					}
				} else if !t.Before(measure) {
					r.latencies = append(r.latencies, lat)
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	r.calls = int(next.Load())
	r.elapsed = time.Since(measure)
	slices.Sort(r.latencies)
	return r
}

// peerDisk is the size of one peer's ledger: the state database and the
// whole ledgersData (blocks, history, private data, indexes).
type peerDisk struct {
	peer         string
	state, total int64
}

// ledgerSizes finds each peer's ledgersData under the network's data
// directory and sums its files.
func ledgerSizes(dataDir string) ([]peerDisk, error) {
	var out []peerDisk
	err := filepath.WalkDir(filepath.Join(dataDir, "orgs"), func(path string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() || d.Name() != "ledgersData" {
			return err
		}
		rel, _ := filepath.Rel(filepath.Join(dataDir, "orgs"), path)
		p := peerDisk{peer: strings.SplitN(rel, string(filepath.Separator), 2)[0]}
		if p.total, err = dirSize(path); err != nil {
			return err
		}
		if p.state, err = dirSize(filepath.Join(path, "stateLeveldb")); err != nil {
			return err
		}
		out = append(out, p)
		return filepath.SkipDir
	})
	if len(out) == 0 && err == nil {
		err = fmt.Errorf("no peer ledgersData under %s/orgs", dataDir)
	}
	return out, err
}

func dirSize(dir string) (int64, error) {
	var n int64
	err := filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err != nil {
			if os.IsNotExist(err) {
				return nil
			}
			return err
		}
		if d.Type().IsRegular() {
			info, err := d.Info()
			if err != nil {
				return err
			}
			n += info.Size()
		}
		return nil
	})
	return n, err
}

// processMemory is the resident memory of one process of the network.
type processMemory struct {
	name string
	rss  int64 // bytes
}

// memory reads VmRSS of each peer and chaincode process named by the pid
// files under the network's run directory.
func memory(dataDir string) ([]processMemory, error) {
	files, err := filepath.Glob(filepath.Join(dataDir, "run", "*.pid"))
	if err != nil {
		return nil, err
	}
	var out []processMemory
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".pid")
		if !strings.Contains(name, "peer") && !strings.Contains(name, "chaincode") {
			continue
		}
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		pid := strings.SplitN(string(data), "\n", 2)[0]
		rss, err := vmRSS(pid)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		out = append(out, processMemory{name, rss})
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no peer pid file under %s/run", dataDir)
	}
	return out, nil
}

func vmRSS(pid string) (int64, error) {
	data, err := os.ReadFile("/proc/" + pid + "/status")
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb << 10, err
		}
	}
	return 0, fmt.Errorf("no VmRSS in /proc/%s/status", pid)
}

func ms(d time.Duration) string { return fmt.Sprintf("%.0f ms", float64(d.Microseconds())/1000) }

func mib(n int64) string { return fmt.Sprintf("%.0f MiB", float64(n)/(1<<20)) }

// spread is "min–max" of the peers' values, or the value when equal.
func spread[T any](list []T, v func(T) int64) string {
	if len(list) == 0 {
		return "-"
	}
	lo, hi := v(list[0]), v(list[0])
	for _, x := range list[1:] {
		lo, hi = min(lo, v(x)), max(hi, v(x))
	}
	if mib(lo) == mib(hi) {
		return mib(lo)
	}
	return mib(lo) + "–" + mib(hi)
}

func peers(list []processMemory, chaincode bool) []processMemory {
	var out []processMemory
	for _, m := range list {
		if strings.Contains(m.name, "chaincode") == chaincode {
			out = append(out, m)
		}
	}
	return out
}

// printHeader prints what the run does and the head of its table.
func printHeader(o options) {
	fmt.Printf("\nregister of RegistryMSP grown with `ledgerctl documents import --batch %d --parallel %d`; "+
		"latency loops: %d callers, %s measured after %s; a full stop and start of the network at each size\n\n", o.batch, o.parallel, o.callers, o.duration, o.warmup)
	fmt.Println("| documents | import rate | register p50 | register p99 | register tx/s | verify p50 | verify p99 | verify/s | state DB per peer | ledgersData per peer | peer RSS | chaincode RSS | stop | start (+ first registration) | peer RSS after start |")
	fmt.Println("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
}

// printRow prints the table row of one step.
func printRow(r row) {
	imp := "-"
	if r.importRate > 0 {
		imp = fmt.Sprintf("%.0f docs/s", r.importRate)
	}
	verify := []string{"-", "-", "-"}
	if len(r.verify.latencies) > 0 {
		verify = []string{ms(r.verify.p(50)), ms(r.verify.p(99)), r.verify.rateText()}
	}
	rss := func(m processMemory) int64 { return m.rss }
	fmt.Printf("| %d | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %.1f s | %.1f s (+%.1f s) | %s |\n", r.documents, imp,
		ms(r.register.p(50)), ms(r.register.p(99)), r.register.rateText(), verify[0], verify[1], verify[2],
		spread(r.disk, func(d peerDisk) int64 { return d.state }), spread(r.disk, func(d peerDisk) int64 { return d.total }),
		spread(peers(r.memory, false), rss), spread(peers(r.memory, true), rss),
		r.restart.stop.Seconds(), r.restart.start.Seconds(), r.restart.firstWrite.Seconds(), spread(peers(r.restart.memory, false), rss))
}
