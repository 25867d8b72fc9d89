package main

import (
	"errors"
	"fmt"
	"log"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
)

// pprofEnv names the address of the opt-in profiling listener, e.g.
// 127.0.0.1:6061. Unset, nothing listens; it must be a loopback address,
// since profiles show the process's memory and call paths.
const pprofEnv = "CIVIC_CHAINCODE_PPROF"

// startPprof serves net/http/pprof on the loopback address in
// CIVIC_CHAINCODE_PPROF, if set, so that the chaincode service can be
// profiled under load (go tool pprof http://ADDR/debug/pprof/profile).
func startPprof() error {
	addr := os.Getenv(pprofEnv)
	if addr == "" {
		return nil
	}
	if err := requireLoopback(addr); err != nil {
		return fmt.Errorf("%s: %w", pprofEnv, err)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("%s: %w", pprofEnv, err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	log.Printf("profiling on http://%s/debug/pprof/", ln.Addr())
	go func() {
		if err := http.Serve(ln, mux); err != nil {
			log.Printf("profiling listener stopped: %v", err)
		}
	}()
	return nil
}

// requireLoopback refuses an address whose host is not a loopback IP.
func requireLoopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("address %q: %w", addr, err)
	}
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return errors.New("profiling listens only on a loopback address such as 127.0.0.1:6061, not " + addr)
	}
	return nil
}
