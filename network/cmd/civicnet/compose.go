package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/civicledger/civicledger/network"
)

// runCompose handles civicnet compose file (prints docker-compose.yaml, for
// the network prepared in -dir when given), civicnet compose prepare (on
// the host: identities, genesis block, node configs and launch scripts for
// docker-compose.yaml, on -portbase, 0 for a free block) and civicnet
// compose setup (the compose network's setup job, in a container: channel
// joins and chaincode deployment when not done yet).
func runCompose(ctx context.Context, timeout time.Duration, args []string) error {
	if len(args) < 1 || (args[0] != "file" && args[0] != "prepare" && args[0] != "setup") {
		return fmt.Errorf("usage: civicnet compose file [-dir DIR] | prepare [-dir DIR] [-portbase N] | setup [-dir DIR]")
	}
	fs := flag.NewFlagSet("compose "+args[0], flag.ContinueOnError)
	dir := fs.String("dir", "", "the compose network's data directory (default "+network.ComposeDataDir+")")
	portBase := fs.Int("portbase", network.ComposePortBase, "prepare: the first port, 0 for a free block (the repository's docker-compose.yaml is for the default)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	switch args[0] {
	case "file":
		base := network.ComposePortBase
		if *dir != "" {
			var err error
			if base, err = network.PreparedPortBase(*dir); err != nil {
				return err
			}
		}
		data, err := network.ComposeFile(base)
		if err != nil {
			return err
		}
		_, err = os.Stdout.Write(data)
		return err
	case "setup":
		net, err := network.Open(*dir, network.InsideContainer(), network.WithOutput(os.Stdout))
		if err != nil {
			return err
		}
		if err := net.SetupCompose(ctx); err != nil {
			return fmt.Errorf("compose setup: %w", err)
		}
		fmt.Println("compose setup: network ready")
		return nil
	}
	topo := network.ComposeTopology()
	if *dir != "" {
		topo.DataDir = *dir
	}
	if *portBase == 0 {
		var err error
		if *portBase, err = network.FreePortBase(len(topo.Orgs)); err != nil {
			return err
		}
	}
	topo.PortBase = *portBase
	net, err := network.New(topo, network.WithContainers(), network.WithOutput(os.Stdout))
	if err != nil {
		return err
	}
	if err := net.PrepareCompose(ctx); err != nil {
		return fmt.Errorf("compose prepare: %w", err)
	}
	fmt.Printf("compose: data directory %s, ports from %d\nconnection file for the host: %s\n", net.DataDir(), net.Topology().PortBase, net.ConnectionFile())
	return nil
}
