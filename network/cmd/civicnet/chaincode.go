package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/civicledger/civicledger/network"
)

const chaincodeUsage = "usage: civicnet chaincode install -version V [-org MSP_ID]... | chaincode list | chaincode stop -version V | chaincode deploy-bench"

// mspList is a repeatable -org flag.
type mspList []string

func (l *mspList) String() string     { return strings.Join(*l, ",") }
func (l *mspList) Set(v string) error { *l = append(*l, v); return nil }

// runChaincode is `civicnet chaincode install|list|stop`: an administration's
// side of a chaincode upgrade, installing the repository's chaincode as a
// new version next to the committed one (docs/operations.md, "Upgrade the
// chaincode"); and `civicnet chaincode deploy-bench`, which deploys the
// bench-only baseline chaincode that civicbench's bare mode writes to.
func runChaincode(ctx context.Context, dataDir string, timeout time.Duration, args []string) error {
	if len(args) < 1 {
		return fmt.Errorf("%s", chaincodeUsage)
	}
	net, err := network.Open(dataDir, network.WithOutput(os.Stdout))
	if err != nil {
		return err
	}
	switch args[0] {
	case "deploy-bench":
		ctx, cancel := context.WithTimeout(ctx, timeout)
		defer cancel()
		if err := net.DeployBenchChaincode(ctx); err != nil {
			return fmt.Errorf("chaincode deploy-bench: %w", err)
		}
		fmt.Printf("baseline chaincode %s deployed on channel %s\n", network.BenchChaincode, net.Topology().Channel)
		return nil
	case "install":
		fs := flag.NewFlagSet("chaincode install", flag.ContinueOnError)
		version := fs.String("version", "", "the new version, e.g. 2.0")
		var orgs mspList
		fs.Var(&orgs, "org", "install for this administration only (repeatable; default: every administration on this machine)")
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		if *version == "" {
			return fmt.Errorf("%s", chaincodeUsage)
		}
		ctx, cancel := context.WithTimeout(ctx, timeout)
		defer cancel()
		id, err := net.InstallChaincodeVersion(ctx, *version, orgs)
		if err != nil {
			return fmt.Errorf("chaincode install: %w", err)
		}
		fmt.Printf("package id: %s\npropose it with: ledgerctl --user admin upgrade propose --version %s --package-id %s\n", id, *version, id)
		return nil
	case "stop":
		fs := flag.NewFlagSet("chaincode stop", flag.ContinueOnError)
		version := fs.String("version", "", "the old version, no longer committed")
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		if *version == "" {
			return fmt.Errorf("%s", chaincodeUsage)
		}
		if err := net.StopChaincodeVersion(ctx, *version); err != nil {
			return fmt.Errorf("chaincode stop: %w", err)
		}
		fmt.Printf("stopped the services of chaincode version %s\n", *version)
		return nil
	case "list":
		versions, err := net.ChaincodeVersions()
		if err != nil {
			return err
		}
		w := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', 0)
		fmt.Fprintln(w, "VERSION\tPACKAGE ID\tINSTALLED BY (SERVICE PORT)")
		for _, v := range versions {
			var by []string
			for msp, port := range v.Port {
				by = append(by, fmt.Sprintf("%s (%d)", msp, port))
			}
			slices.Sort(by)
			fmt.Fprintf(w, "%s\t%s\t%s\n", v.Version, v.PackageID, strings.Join(by, ", "))
		}
		return w.Flush()
	default:
		return fmt.Errorf("%s", chaincodeUsage)
	}
}
