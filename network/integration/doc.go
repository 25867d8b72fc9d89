// Package integration holds the network's integration tests (build tag
// integration); they start real Fabric CAs, orderers and peers.
package integration
