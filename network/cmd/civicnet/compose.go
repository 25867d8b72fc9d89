package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/civicledger/civicledger/network"
)

// runCompose handles civicnet compose file (prints docker-compose.yaml),
// civicnet compose prepare (on the host: identities,
// genesis block, node configs and launch scripts for docker-compose.yaml)
// and civicnet compose setup (the compose network's setup job, in a
// container: channel joins and chaincode deployment when not done yet).
func runCompose(ctx context.Context, timeout time.Duration, args []string) error {
	if len(args) == 1 && args[0] == "file" {
		data, err := network.ComposeFile()
		if err != nil {
			return err
		}
		_, err = os.Stdout.Write(data)
		return err
	}
	if len(args) < 1 || (args[0] != "prepare" && args[0] != "setup") {
		return fmt.Errorf("usage: civicnet compose file | prepare|setup [-dir DIR]")
	}
	fs := flag.NewFlagSet("compose "+args[0], flag.ContinueOnError)
	dir := fs.String("dir", network.ComposeDataDir, "the compose network's data directory")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	if args[0] == "setup" {
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
	topo.DataDir = *dir
	net, err := network.New(topo, network.WithContainers(), network.WithOutput(os.Stdout))
	if err != nil {
		return err
	}
	if err := net.PrepareCompose(ctx); err != nil {
		return fmt.Errorf("compose prepare: %w", err)
	}
	fmt.Printf("compose: data directory %s\nconnection file for the host: %s\n", net.DataDir(), net.ConnectionFile())
	return nil
}
