package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"
	"time"

	"github.com/civicledger/civicledger/network"
)

// joinPhases are the steps of adding an administration that bench-join
// times, in order; all but "create" lie between the proposal and the
// newcomer's first committed transaction.
var joinPhases = []string{
	"create (newcomer's CA, identities, join request; before the proposal)",
	"propose (ledgerctl membership propose-add)",
	"sign (two admins, ledgerctl membership sign)",
	"apply (broadcast → config block at the peer)",
	"join (orderer, peer, chaincode → newcomer's first committed transaction)",
}

// benchJoin measures, on fresh three-administration networks, the time from
// a membership proposal to the newcomer's first committed transaction, with
// the members' admins acting through ledgerctl at once. Signatures collected
// from people take what people take; this is the machine's share.
func benchJoin(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("bench-join", flag.ContinueOnError)
	runs := fs.Int("runs", 3, "number of runs, each on a new network")
	ledgerctl := fs.String("ledgerctl", "", "path to a built ledgerctl binary (scripts/bench-join.sh builds one)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *ledgerctl == "" {
		return errors.New("bench-join: -ledgerctl is required")
	}
	times := make([][]time.Duration, len(joinPhases))
	var totals []time.Duration
	for i := range *runs {
		phases, err := joinRun(ctx, *ledgerctl)
		if err != nil {
			return fmt.Errorf("run %d: %w", i+1, err)
		}
		var total time.Duration
		for p, d := range phases {
			times[p] = append(times[p], d)
			if p > 0 {
				total += d
			}
		}
		totals = append(totals, total)
		fmt.Printf("run %d: proposal → first committed transaction %.2fs\n", i+1, total.Seconds())
	}
	fmt.Printf("\n| phase | median | min | max | runs |\n|---|---|---|---|---|\n")
	for p, name := range joinPhases {
		printRow(name, times[p])
	}
	printRow("**proposal → newcomer's first committed transaction**", totals)
	return nil
}

func printRow(name string, d []time.Duration) {
	slices.Sort(d)
	fmt.Printf("| %s | %.2f s | %.2f s | %.2f s | %d |\n", name,
		d[len(d)/2].Seconds(), d[0].Seconds(), d[len(d)-1].Seconds(), len(d))
}

// joinRun starts a new network, creates a newcomer and adds it as the
// runbook in docs/operations.md does; it returns the time of each phase.
func joinRun(ctx context.Context, ledgerctl string) (phases []time.Duration, err error) {
	dir, err := os.MkdirTemp("", "civicnet-bench-join-")
	if err != nil {
		return nil, err
	}
	topo := network.DefaultTopology()
	topo.DataDir = dir
	if topo.PortBase, err = network.FreePortBase(len(topo.Orgs)); err != nil {
		return nil, err
	}
	n, err := network.New(topo)
	if err != nil {
		return nil, err
	}
	defer func() {
		// A failed run keeps its data directory, logs included, for a look.
		n.Down(context.Background(), err == nil)
		if err != nil {
			err = fmt.Errorf("%w (logs kept in %s/logs)", err, dir)
		}
	}()
	if err := n.Up(ctx); err != nil {
		return nil, err
	}
	const msp = "ArchiveMSP"
	lap := func(start time.Time) { phases = append(phases, time.Since(start)) }

	start := time.Now()
	if _, err := n.CreateAdministration(ctx, network.Organization{
		MSPID: msp, Name: "archive", DisplayName: "City Archive", Kind: "agency", Contact: "archive@example.org",
	}); err != nil {
		return nil, err
	}
	request, err := n.JoinRequestFile(msp)
	if err != nil {
		return nil, err
	}
	lap(start)

	admin := func(org string, args ...string) ([]byte, error) {
		return runAdmin(ctx, ledgerctl, n.ConnectionFile(), org, args...)
	}
	start = time.Now()
	out, err := admin("registry", "membership", "propose-add", "--request", request)
	if err != nil {
		return nil, err
	}
	var proposal struct {
		Proposal struct{ ID string } `json:"proposal"`
	}
	if err := json.Unmarshal(out, &proposal); err != nil || proposal.Proposal.ID == "" {
		return nil, fmt.Errorf("propose-add printed no proposal id: %s", out)
	}
	lap(start)
	start = time.Now()
	for _, org := range []string{"registry", "treasury"} {
		if _, err := admin(org, "membership", "sign", proposal.Proposal.ID); err != nil {
			return nil, err
		}
	}
	lap(start)
	start = time.Now()
	if _, err := admin("treasury", "membership", "apply", proposal.Proposal.ID); err != nil {
		return nil, err
	}
	lap(start)
	start = time.Now()
	// Joining ends once the newcomer's directory profile, its first
	// transaction, is committed.
	if err := n.JoinAdministration(ctx, msp); err != nil {
		return nil, err
	}
	lap(start)
	return phases, nil
}

// runAdmin runs ledgerctl as org's admin with --json, as an operator would.
func runAdmin(ctx context.Context, bin, conn, org string, args ...string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, append([]string{"--connection", conn, "--org", org, "--user", "admin", "--json"}, args...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("ledgerctl %s: %w: %s", strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return out, nil
}
