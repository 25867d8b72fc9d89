package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"slices"
	"time"

	"github.com/civicledger/civicledger/network"
)

// benchStartup measures, over several runs, the time from nothing to a
// network that has committed its first transaction (create), and from a
// stopped network to one that endorses again (restart). Each run uses a
// new data directory and free ports; binaries are assumed built.
func benchStartup(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("bench-startup", flag.ContinueOnError)
	runs := fs.Int("runs", 5, "number of runs")
	phases := fs.Bool("phases", true, "print when each phase of create and restart began and how long it took, per run and as medians")
	if err := fs.Parse(args); err != nil {
		return err
	}
	var created, restarted []time.Duration
	var createPhases, restartPhases [][]network.Timing
	for i := range *runs {
		r, err := startupRun(ctx)
		if err != nil {
			return fmt.Errorf("run %d: %w", i+1, err)
		}
		fmt.Printf("run %d: create %.2fs, restart %.2fs\n", i+1, r.created.Seconds(), r.restarted.Seconds())
		if *phases {
			printTimeline("create", r.createPhases)
			printTimeline("restart", r.restartPhases)
		}
		created, restarted = append(created, r.created), append(restarted, r.restarted)
		createPhases, restartPhases = append(createPhases, r.createPhases), append(restartPhases, r.restartPhases)
	}
	if *phases {
		printPhaseMedians("create", createPhases)
		printPhaseMedians("restart", restartPhases)
	}
	fmt.Printf("\n| phase | median | min | max | runs |\n|---|---|---|---|---|\n")
	for _, row := range []struct {
		name string
		d    []time.Duration
	}{{"create (empty data directory → first transaction committed)", created}, {"restart (stopped network → majority endorsement works)", restarted}} {
		slices.Sort(row.d)
		fmt.Printf("| %s | %.2f s | %.2f s | %.2f s | %d |\n", row.name,
			row.d[len(row.d)/2].Seconds(), row.d[0].Seconds(), row.d[len(row.d)-1].Seconds(), len(row.d))
	}
	return nil
}

// startupResult is one run: both durations and the phases of each.
type startupResult struct {
	created, restarted          time.Duration
	createPhases, restartPhases []network.Timing
}

func startupRun(ctx context.Context) (startupResult, error) {
	var r startupResult
	dir, err := os.MkdirTemp("", "civicnet-bench-")
	if err != nil {
		return r, err
	}
	topo := network.DefaultTopology()
	topo.DataDir = dir
	if topo.PortBase, err = network.FreePortBase(len(topo.Orgs)); err != nil {
		return r, err
	}
	n, err := network.New(topo)
	if err != nil {
		return r, err
	}
	defer n.Down(context.Background(), true)
	t := time.Now()
	if err := n.Up(ctx); err != nil {
		return r, err
	}
	r.created, r.createPhases = time.Since(t), n.Timings()
	if err := n.Down(ctx, false); err != nil {
		return r, err
	}
	t = time.Now()
	if err := n.Up(ctx); err != nil {
		return r, err
	}
	r.restarted, r.restartPhases = time.Since(t), n.Timings()
	return r, nil
}

// printTimeline prints one run's phases: when each began and ended after
// Up began, and how long it took.
func printTimeline(what string, phases []network.Timing) {
	fmt.Printf("  %s phases (start → end, duration):\n", what)
	for _, p := range phases {
		fmt.Printf("    %6.2f → %6.2f  %5.2fs  %s\n", p.Start.Seconds(), p.End().Seconds(), p.Duration.Seconds(), p.Name)
	}
}

// printPhaseMedians prints, for each phase name, the median of its start,
// end and duration over the runs, in the order of the median start.
func printPhaseMedians(what string, runs [][]network.Timing) {
	type agg struct{ start, end, dur []time.Duration }
	byName := map[string]*agg{}
	var names []string
	for _, phases := range runs {
		for _, p := range phases {
			a, ok := byName[p.Name]
			if !ok {
				a = &agg{}
				byName[p.Name] = a
				names = append(names, p.Name)
			}
			a.start, a.end, a.dur = append(a.start, p.Start), append(a.end, p.End()), append(a.dur, p.Duration)
		}
	}
	slices.SortStableFunc(names, func(x, y string) int {
		return int(median(byName[x].start) - median(byName[y].start))
	})
	fmt.Printf("\n%s, median over %d runs (seconds after up began):\n\n| phase | start | end | duration | min | max |\n|---|---|---|---|---|---|\n", what, len(runs))
	for _, name := range names {
		a := byName[name]
		fmt.Printf("| %s | %.2f | %.2f | %.2f | %.2f | %.2f |\n", name, median(a.start).Seconds(), median(a.end).Seconds(),
			median(a.dur).Seconds(), slices.Min(a.dur).Seconds(), slices.Max(a.dur).Seconds())
	}
}

func median(d []time.Duration) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	return s[len(s)/2]
}
