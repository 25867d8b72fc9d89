package main

import (
	"context"
	"fmt"

	"github.com/hyperledger/fabric-gateway/pkg/client"

	"github.com/civicledger/civicledger/chaincode/records"
	"github.com/civicledger/civicledger/chaincode/spec"
	"github.com/civicledger/civicledger/network/connfile"
)

// registrar returns how one mode registers a document, and how to close it.
func registrar(mode string, conn connfile.Connection, o options) (registerFunc, func(), error) {
	switch mode {
	case "bare":
		return bareRegistrar(conn, o)
	case "direct":
		return directRegistrar(conn, o)
	case "gateway":
		return gatewayRegistrar(conn, o)
	case "person":
		return personRegistrar(conn, o)
	}
	return nil, nil, fmt.Errorf("unknown mode %q (bare, direct, gateway or person; anchor runs alone)", mode)
}

// directRegistrar submits Documents:Register with a bare fabric-gateway
// client straight to the administration's peer, waiting for commit.
func directRegistrar(conn connfile.Connection, o options) (registerFunc, func(), error) {
	gw, err := conn.Connect(o.org, o.user)
	if err != nil {
		return nil, nil, err
	}
	contract := gw.GetNetwork(conn.Channel).GetContract(conn.Chaincode)
	reg := func(ctx context.Context, in records.DocumentRegistration) error {
		_, err := contract.SubmitWithContext(ctx, spec.DocumentsRegister, client.WithArguments(registrationJSON(in)))
		return err
	}
	return reg, func() { gw.Close() }, nil
}
