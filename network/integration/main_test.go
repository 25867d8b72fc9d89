//go:build integration

// Package integration tests the network on real Fabric CAs, orderers and
// peers: it starts one network for the package (or attaches to
// $CIVIC_NETWORK) and stops it at the end.
package integration

import (
	"os"
	"testing"

	"github.com/civicledger/civicledger/network/testnet"
)

var tn *testnet.Network

func TestMain(m *testing.M) { os.Exit(testnet.Main(m, &tn, nil)) }
