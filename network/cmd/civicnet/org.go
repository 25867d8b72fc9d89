package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/civicledger/civicledger/network"
)

const orgUsage = "usage: civicnet org create -name NAME -msp MSP_ID [-display TEXT] [-kind KIND] [-contact EMAIL] | org join -msp MSP_ID"

// runOrg is `civicnet org create|join`: the newcomer's side of adding an
// administration to the network in dataDir (docs/operations.md, "Add an
// administration").
func runOrg(ctx context.Context, dataDir string, timeout time.Duration, args []string) error {
	if len(args) < 1 {
		return fmt.Errorf("%s", orgUsage)
	}
	net, err := network.Open(dataDir, network.WithOutput(os.Stdout))
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	fs := flag.NewFlagSet("org "+args[0], flag.ContinueOnError)
	msp := fs.String("msp", "", "MSP ID of the new administration, e.g. ArchiveMSP")
	switch args[0] {
	case "create":
		name := fs.String("name", "", "short name (lowercase), e.g. archive")
		display := fs.String("display", "", "display name in the directory (default: the short name)")
		kind := fs.String("kind", "agency", "kind of administration in the directory")
		contact := fs.String("contact", "", "contact address in the directory")
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		if *msp == "" || *name == "" {
			return fmt.Errorf("%s", orgUsage)
		}
		if *display == "" {
			*display = *name
		}
		o := network.Organization{MSPID: *msp, Name: *name, DisplayName: *display, Kind: *kind, Contact: *contact}
		if _, err := net.CreateAdministration(ctx, o); err != nil {
			return fmt.Errorf("org create: %w", err)
		}
		path, err := net.JoinRequestFile(*msp)
		if err != nil {
			return err
		}
		fmt.Printf("join request: %s\nhave the members' admins apply the update that adds it, then run: civicnet org join -msp %s\n", path, *msp)
		return nil
	case "join":
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		if *msp == "" {
			return fmt.Errorf("%s", orgUsage)
		}
		if err := net.JoinAdministration(ctx, *msp); err != nil {
			return fmt.Errorf("org join: %w (logs: %s/logs)", err, net.DataDir())
		}
		return printSummary(net)
	default:
		return fmt.Errorf("%s", orgUsage)
	}
}
