package main

import (
	"context"
	"fmt"
	"path/filepath"
	"time"

	"github.com/hyperledger/fabric-gateway/pkg/client"

	"github.com/civicledger/civicledger/chaincode/records"
	"github.com/civicledger/civicledger/network"
	"github.com/civicledger/civicledger/network/connfile"
)

// bareRegistrar is the baseline: the same closed loop, client and
// identity as direct, but each transaction is a bare Fabric write, Put of
// the registration's id and its JSON (the very bytes direct sends) to the
// bench-only chaincode (network/cmd/benchcc), which it first deploys on
// the network whose data directory holds the connection file, on the same
// channel with the same endorsement policy.
func bareRegistrar(conn connfile.Connection, o options) (registerFunc, func(), error) {
	net, err := network.Open(filepath.Dir(o.connection))
	if err != nil {
		return nil, nil, fmt.Errorf("bare mode deploys its chaincode on a network civicnet started: %w", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	if err := net.DeployBenchChaincode(ctx); err != nil {
		return nil, nil, fmt.Errorf("deploy the baseline chaincode: %w", err)
	}
	gw, err := conn.Connect(o.org, o.user)
	if err != nil {
		return nil, nil, err
	}
	contract := gw.GetNetwork(conn.Channel).GetContract(network.BenchChaincode)
	reg := func(ctx context.Context, in records.DocumentRegistration) error {
		_, err := contract.SubmitWithContext(ctx, "Put", client.WithArguments(in.ID, registrationJSON(in)))
		return err
	}
	return reg, func() { gw.Close() }, nil
}
