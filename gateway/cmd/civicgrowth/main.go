// Command civicgrowth measures what a growing register costs: it starts a
// fresh network, grows the Registry's register of documents in steps with
// `ledgerctl documents import` (the command an administration uses to bring
// its existing register), and at each step measures single registration
// latency, verification by hash latency, each peer's ledger size on disk and
// memory; at the end it stops and starts the whole network at that size.
//
//	go run ./gateway/cmd/civicgrowth -steps 0,100000,250000,500000,1000000
package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/civicledger/civicledger/network"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "civicgrowth:", err)
		os.Exit(1)
	}
}

type options struct {
	steps           []int
	callers         int
	duration        time.Duration
	warmup          time.Duration
	batch, parallel int
	keep            bool
	attach          string // a kept network's data directory, instead of a fresh network
	imported        int    // with attach: the imp- documents it already holds
}

const (
	org  = "RegistryMSP"
	user = "clerk"
)

func run() error {
	var o options
	var steps string
	flag.StringVar(&steps, "steps", "0,100000,250000,500000,1000000", "comma-separated register sizes to measure at, increasing")
	flag.IntVar(&o.callers, "callers", 16, "concurrent callers of each latency loop (closed loop)")
	flag.DurationVar(&o.duration, "duration", 15*time.Second, "measured time of each latency loop")
	flag.DurationVar(&o.warmup, "warmup", 3*time.Second, "unmeasured time before each latency loop")
	flag.IntVar(&o.batch, "batch", 500, "ledgerctl documents import --batch")
	flag.IntVar(&o.parallel, "parallel", 2, "ledgerctl documents import --parallel")
	flag.BoolVar(&o.keep, "keep", false, "leave the network running with its data directory")
	flag.StringVar(&o.attach, "attach", "", "measure and grow the running network of this data directory (one a -keep run or an interrupted run left) instead of a fresh one")
	flag.IntVar(&o.imported, "imported", 0, "with -attach: how many imp- documents the network holds (the last progress count of an interrupted import, less -parallel × -batch, is a safe value)")
	flag.Parse()
	for _, s := range strings.Split(steps, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 0 || (len(o.steps) > 0 && n <= o.steps[len(o.steps)-1]) {
			return fmt.Errorf("-steps: want increasing sizes, got %q", steps)
		}
		o.steps = append(o.steps, n)
	}
	if o.imported > o.steps[0] || (o.imported > 0 && o.attach == "") {
		return fmt.Errorf("-imported needs -attach and is at most the first step")
	}
	if o.callers < 1 || o.duration <= 0 {
		return fmt.Errorf("-callers and -duration must be positive")
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	net, err := openNetwork(ctx, o)
	if err != nil {
		return err
	}
	if !o.keep {
		defer func() {
			_ = net.Down(context.Background(), true)
			_ = os.RemoveAll(net.DataDir())
		}()
	}
	g, err := newGrower(net, o)
	if err != nil {
		return err
	}
	defer g.close()
	g.imported = o.imported
	printHeader(o)
	for _, target := range o.steps {
		r, err := g.step(ctx, target)
		if err != nil {
			return fmt.Errorf("step %d: %w", target, err)
		}
		// A restart at every size, so that an interrupted run still has
		// every row complete.
		if r.restart, err = g.restart(ctx); err != nil {
			return fmt.Errorf("restart at step %d: %w", target, err)
		}
		printRow(r)
	}
	return nil
}

// openNetwork starts a fresh three-administration network on free ports,
// or opens the one of o.attach, which must be running.
func openNetwork(ctx context.Context, o options) (*network.Network, error) {
	if o.attach != "" {
		net, err := network.Open(o.attach)
		if err != nil {
			return nil, err
		}
		if !net.Running() {
			return nil, fmt.Errorf("-attach: the network of %s is not running", o.attach)
		}
		fmt.Printf("civicgrowth: network in %s holding %d imported documents, steps %v\n", o.attach, o.imported, o.steps)
		return net, nil
	}
	dir, err := os.MkdirTemp("", "civicgrowth-")
	if err != nil {
		return nil, err
	}
	topo := network.DefaultTopology()
	topo.Name, topo.DataDir = "growth", dir
	if topo.PortBase, err = network.FreePortBase(len(topo.Orgs)); err != nil {
		return nil, err
	}
	net, err := network.New(topo)
	if err != nil {
		return nil, err
	}
	fmt.Printf("civicgrowth: network of %d administrations in %s, steps %v\n", len(topo.Orgs), dir, o.steps)
	if err := net.Up(ctx); err != nil {
		return nil, fmt.Errorf("up: %w (logs: %s/logs)", err, dir)
	}
	return net, nil
}

// docHash is the SHA-256 the n-th imported document stands for; the
// verification loop recomputes it to pick documents that exist.
func docHash(n int) string {
	h := sha256.Sum256([]byte("civicgrowth-document-" + strconv.Itoa(n)))
	return hex.EncodeToString(h[:])
}
