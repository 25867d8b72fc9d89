//go:build integration

// Package integration tests the transparency portal on a real network: the
// portal the harness starts next to the gateways, reading with its own
// identity and indexing the channel's blocks.
package integration

import (
	"os"
	"testing"

	"github.com/civicledger/civicledger/network/testnet"
)

var tn *testnet.Network

func TestMain(m *testing.M) { os.Exit(testnet.Main(m, &tn, nil)) }
