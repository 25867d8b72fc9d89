//go:build integration

// Package integration tests the network on real Fabric CAs, orderers and
// peers: it starts one network for the package (or attaches to
// $CIVIC_NETWORK) and stops it at the end.
package integration

import (
	"context"
	"fmt"
	"os"
	"testing"

	"github.com/civicledger/civicledger/network/testnet"
)

var tn *testnet.Network

func TestMain(m *testing.M) {
	ctx, cancel := context.WithTimeout(context.Background(), testnet.Timeout)
	var err error
	tn, err = testnet.Start(ctx)
	cancel()
	if err != nil {
		fmt.Fprintln(os.Stderr, "integration:", err)
		os.Exit(1)
	}
	code := m.Run()
	if err := tn.Stop(context.Background()); err != nil {
		fmt.Fprintln(os.Stderr, "integration: stop network:", err)
		code = 1
	}
	os.Exit(code)
}
