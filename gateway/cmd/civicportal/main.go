// Command civicportal is the public transparency portal: it follows the
// channel's blocks into its SQLite index and serves the verification pages
// and public registers over HTTP. It reads the ledger with its own
// read-only identity. Configuration: --config FILE, CIVIC_PORTAL_*
// environment variables and flags (see gateway/config, Portal).
package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"

	"github.com/spf13/pflag"

	"github.com/civicledger/civicledger/gateway/config"
	"github.com/civicledger/civicledger/gateway/portal"
	"github.com/civicledger/civicledger/gateway/portal/index"
	"github.com/civicledger/civicledger/gateway/portal/ledger"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "civicportal:", err)
		os.Exit(1)
	}
}

func run() error {
	fs := pflag.NewFlagSet("civicportal", pflag.ContinueOnError)
	config.PortalFlags(fs)
	if err := fs.Parse(os.Args[1:]); err != nil {
		return err
	}
	cfg, err := config.LoadPortal(fs)
	if err != nil {
		return err
	}
	var level slog.Level
	if err := level.UnmarshalText([]byte(cfg.LogLevel)); err != nil {
		return err
	}
	log := slog.New(slog.NewJSONHandler(os.Stderr, &slog.HandlerOptions{Level: level})).With("service", "portal")
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	idx, err := index.Open(ctx, cfg.Index)
	if err != nil {
		return err
	}
	defer idx.Close()
	peers := make([]ledger.Peer, len(cfg.Peers))
	for i, p := range cfg.Peers {
		peers[i] = ledger.Peer{Address: p.Address, TLSRootCert: p.TLSRootCert}
	}
	l, err := ledger.Dial(ledger.Settings{Channel: cfg.Channel, Chaincode: cfg.Chaincode, MSPID: cfg.MSPID,
		CertFile: cfg.Identity.Cert, KeyFile: cfg.Identity.Key, Peers: peers, Timeout: cfg.Timeouts.Evaluate})
	if err != nil {
		return err
	}
	defer l.Close()
	// The in-browser verification modules (gateway/portal/static) are
	// served with portal.WithScripts(static.FS) once that package exists.
	srv, err := portal.New(l, idx, cfg.Channel, portal.WithLanguage(cfg.Language), portal.WithLogger(log),
		portal.WithTimeout(cfg.Timeouts.Request), scripts())
	if err != nil {
		return err
	}

	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		idx.Follow(ctx, l, cfg.Chaincode, cfg.Timeouts.Reconnect, log)
	}()
	// Verification by hash is answered from the index while it is proved,
	// once a second, to hold every block of the ledger.
	wg.Add(1)
	go func() {
		defer wg.Done()
		srv.FollowTip(ctx, time.Second)
	}()
	defer wg.Wait()

	lis, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		stop()
		return fmt.Errorf("listen on %s: %w", cfg.Listen, err)
	}
	hs := &http.Server{Handler: srv.Handler(), ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 10 * time.Second,
		WriteTimeout: cfg.Timeouts.Request + 5*time.Second, IdleTimeout: time.Minute, MaxHeaderBytes: 16 << 10}
	log.Info("portal listening", "addr", lis.Addr().String(), "baseURL", cfg.BaseURL)
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(lis) }()
	select {
	case err := <-errc:
		stop()
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := hs.Shutdown(shutdown); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("shut down: %w", err)
	}
	return nil
}
