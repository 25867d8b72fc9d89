// Command civicgw is an administration's CivicLedger gateway: the gRPC API
// through which its departments use the ledger. Configuration: --config FILE,
// CIVIC_GATEWAY_* environment variables and flags (see gateway/config).
package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/spf13/pflag"

	"github.com/civicledger/civicledger/gateway/config"
	"github.com/civicledger/civicledger/gateway/server"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "civicgw:", err)
		os.Exit(1)
	}
}

func run() error {
	fs := pflag.NewFlagSet("civicgw", pflag.ContinueOnError)
	config.Flags(fs)
	if err := fs.Parse(os.Args[1:]); err != nil {
		return err
	}
	cfg, err := config.Load(fs)
	if err != nil {
		return err
	}
	var level slog.Level
	if err := level.UnmarshalText([]byte(cfg.LogLevel)); err != nil {
		return err
	}
	log := slog.New(slog.NewJSONHandler(os.Stderr, &slog.HandlerOptions{Level: level})).With("msp", cfg.MSPID)
	srv, err := server.New(cfg, log)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return srv.Serve(ctx, 10*time.Second)
}
