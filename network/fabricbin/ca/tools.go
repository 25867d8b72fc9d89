//go:build tools

// Package ca only records, for the go tool, which Fabric CA commands the
// binary cache is built from.
package ca

import (
	_ "github.com/hyperledger/fabric-ca/cmd/fabric-ca-client"
	_ "github.com/hyperledger/fabric-ca/cmd/fabric-ca-server"
)
