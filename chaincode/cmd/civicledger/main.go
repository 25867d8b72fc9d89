// Command civicledger serves the CivicLedger chaincode: as a service
// (chaincode-as-a-service) when CHAINCODE_SERVER_ADDRESS is set, otherwise
// launched by the peer in classic mode.
package main

import (
	"errors"
	"log"
	"os"

	"github.com/hyperledger/fabric-chaincode-go/v2/shim"

	"github.com/civicledger/civicledger/chaincode/contracts"
)

func main() {
	log.SetFlags(0)
	log.SetPrefix("civicledger: ")
	if err := run(); err != nil {
		log.Print(err)
		os.Exit(1)
	}
}

func run() error {
	if err := startPprof(); err != nil {
		return err
	}
	cc, err := contracts.New()
	if err != nil {
		return err
	}
	addr := os.Getenv("CHAINCODE_SERVER_ADDRESS")
	if addr == "" {
		return cc.Start()
	}
	ccid := os.Getenv("CHAINCODE_ID")
	if ccid == "" {
		return errors.New("CHAINCODE_ID must be set when CHAINCODE_SERVER_ADDRESS is")
	}
	tls, err := tlsProperties()
	if err != nil {
		return err
	}
	server := &shim.ChaincodeServer{CCID: ccid, Address: addr, CC: cc, TLSProps: tls}
	return server.Start()
}
