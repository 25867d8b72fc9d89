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
	if err := fs.Parse(args); err != nil {
		return err
	}
	var created, restarted []time.Duration
	for i := range *runs {
		c, r, err := startupRun(ctx)
		if err != nil {
			return fmt.Errorf("run %d: %w", i+1, err)
		}
		fmt.Printf("run %d: create %.2fs, restart %.2fs\n", i+1, c.Seconds(), r.Seconds())
		created, restarted = append(created, c), append(restarted, r)
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

func startupRun(ctx context.Context) (created, restarted time.Duration, err error) {
	dir, err := os.MkdirTemp("", "civicnet-bench-")
	if err != nil {
		return 0, 0, err
	}
	topo := network.DefaultTopology()
	topo.DataDir = dir
	if topo.PortBase, err = network.FreePortBase(len(topo.Orgs)); err != nil {
		return 0, 0, err
	}
	n, err := network.New(topo)
	if err != nil {
		return 0, 0, err
	}
	defer n.Down(context.Background(), true)
	t := time.Now()
	if err := n.Up(ctx); err != nil {
		return 0, 0, err
	}
	created = time.Since(t)
	if err := n.Down(ctx, false); err != nil {
		return 0, 0, err
	}
	t = time.Now()
	if err := n.Up(ctx); err != nil {
		return 0, 0, err
	}
	return created, time.Since(t), nil
}
