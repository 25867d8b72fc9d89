// Command civicnet starts, stops and inspects a CivicLedger network on this
// machine: civicnet up | down [-purge] | status, with -topology naming a
// topology file (default: three administrations). civicnet org create and
// org join are a new administration's side of joining the running network;
// civicnet chaincode install installs a new chaincode version for an upgrade.
// civicnet bench-startup
// measures start-up time, civicnet bench-join the time from a membership
// proposal to a newcomer's first transaction, for docs/benchmarks.md.
// civicnet compose prepare and setup make the network docker-compose.yaml
// runs (docs/deployment.md).
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/civicledger/civicledger/network"
	"github.com/civicledger/civicledger/network/connfile"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "civicnet:", err)
		os.Exit(1)
	}
}

func usage() error {
	return fmt.Errorf("usage: civicnet [-topology FILE] up | down [-purge] | status | restart-gateway MSP_ID | org create|join ... | chaincode install|list|stop|deploy-bench ... | bench-startup [-runs N] | bench-join -ledgerctl PATH [-runs N] | compose file|prepare|setup ...")
}

func run(args []string) error {
	fs := flag.NewFlagSet("civicnet", flag.ContinueOnError)
	topoPath := fs.String("topology", "", "topology file (default: the built-in three-administration network)")
	timeout := fs.Duration("timeout", 5*time.Minute, "how long up may take")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() < 1 {
		return usage()
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if fs.Arg(0) == "bench-startup" {
		return benchStartup(ctx, fs.Args()[1:])
	}
	if fs.Arg(0) == "bench-join" {
		return benchJoin(ctx, fs.Args()[1:])
	}
	if fs.Arg(0) == "compose" {
		return runCompose(ctx, *timeout, fs.Args()[1:])
	}
	topo := network.DefaultTopology()
	if *topoPath != "" {
		var err error
		if topo, err = network.LoadTopology(*topoPath); err != nil {
			return err
		}
	}
	net, err := network.New(topo, network.WithOutput(os.Stdout))
	if err != nil {
		return err
	}
	switch cmd, rest := fs.Arg(0), fs.Args()[1:]; cmd {
	case "up":
		ctx, cancel := context.WithTimeout(ctx, *timeout)
		defer cancel()
		if err := net.Up(ctx); err != nil {
			return fmt.Errorf("up: %w (logs: %s/logs; stop with scripts/down.sh)", err, net.DataDir())
		}
		return printSummary(net)
	case "down":
		dfs := flag.NewFlagSet("down", flag.ContinueOnError)
		purge := dfs.Bool("purge", false, "also delete the data directory (ledgers, identities)")
		if err := dfs.Parse(rest); err != nil {
			return err
		}
		return net.Down(ctx, *purge)
	case "org":
		return runOrg(ctx, net.DataDir(), *timeout, rest)
	case "chaincode":
		return runChaincode(ctx, net.DataDir(), *timeout, rest)
	case "restart-gateway":
		if len(rest) != 1 {
			return fmt.Errorf("usage: civicnet restart-gateway MSP_ID")
		}
		return net.RestartGateway(ctx, rest[0])
	case "status":
		printStatus(net)
		if !net.Running() {
			os.Exit(3)
		}
		return nil
	default:
		return usage()
	}
}

func printSummary(net *network.Network) error {
	conn, err := connfile.Load(net.ConnectionFile())
	if err != nil {
		return err
	}
	w := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintf(w, "\nnetwork %s, channel %s, chaincode %s\n", conn.Name, conn.Channel, conn.Chaincode)
	fmt.Fprintln(w, "ADMINISTRATION\tCIVICLEDGER GATEWAY\tCA\tORDERER\tPEER\tPEER METRICS")
	for _, o := range conn.Orgs {
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\thttp://%s/metrics\n", o.MSPID, o.Gateway.Address, o.CA.Address, o.Orderer.Address, o.Peer.Address, o.Peer.Operations)
	}
	fmt.Fprintf(w, "\ntransparency portal: %s\n", net.PortalURL())
	fmt.Fprintf(w, "connection file: %s\n", net.ConnectionFile())
	fmt.Fprintln(w, "try: go run ./gateway/cmd/ledgerctl directory list")
	return w.Flush()
}

func printStatus(net *network.Network) {
	w := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "PROCESS\tSTATE\tPID\tLOG")
	for _, p := range net.Status() {
		state, pid := "stopped", "-"
		if p.Running {
			state, pid = "running", fmt.Sprint(p.PID)
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", p.Name, state, pid, p.Log)
	}
	w.Flush()
	if net.Initialized() {
		fmt.Printf("data: %s\nconnection file: %s\ntransparency portal: %s\n", net.DataDir(), net.ConnectionFile(), net.PortalURL())
	} else {
		fmt.Printf("no network created in %s\n", net.DataDir())
	}
}
