package main

import (
	"context"
	"fmt"

	"github.com/hyperledger/fabric-gateway/pkg/client"

	"github.com/civicledger/civicledger/chaincode/records"
	"github.com/civicledger/civicledger/network/connfile"
)

// bareRegistrar is the baseline: the same closed loop, client and
// identity as direct, but each transaction is a bare Fabric write, Put of
// the registration's id and its JSON (the very bytes direct sends) to the
// bench-only chaincode (network/cmd/benchcc), which `civicnet chaincode
// deploy-bench` deploys on the same channel with the same endorsement
// policy (scripts/bench-gateway.sh does it when the modes name bare).
func bareRegistrar(conn connfile.Connection, o options) (registerFunc, func(), error) {
	gw, err := conn.Connect(o.org, o.user)
	if err != nil {
		return nil, nil, err
	}
	contract := gw.GetNetwork(conn.Channel).GetContract(o.bareChaincode)
	// One read first, so that a network without the baseline chaincode
	// says so instead of failing every measured call.
	if _, err := contract.EvaluateTransaction("Get", "civicbench-probe"); err != nil {
		gw.Close()
		return nil, nil, fmt.Errorf("bare mode needs the baseline chaincode %q on channel %s (deploy it with `go run ./network/cmd/civicnet chaincode deploy-bench`): %w", o.bareChaincode, conn.Channel, err)
	}
	reg := func(ctx context.Context, in records.DocumentRegistration) error {
		_, err := contract.SubmitWithContext(ctx, "Put", client.WithArguments(in.ID, registrationJSON(in)))
		return err
	}
	return reg, func() { gw.Close() }, nil
}
