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

// Each administration runs on a host of its own (a network namespace), so
// that what passes between administrations crosses a network interface;
// Council runs a second peer, which its gateway fails over to.
func TestMain(m *testing.M) {
	os.Exit(testnet.Main(m, &tn, nil, testnet.SeparateHosts, testnet.SecondPeer(council)))
}
