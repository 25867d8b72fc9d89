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
	addr := os.Getenv("CHAINCODE_SERVER_ADDRESS")
	if addr == "" {
		cc, err := contracts.New()
		if err != nil {
			return err
		}
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
	// The service listens at once while the contracts are assembled
	// (their metadata takes 0.2 s of CPU, over a second while a whole
	// network starts on two cores); calls wait for them. A failure to
	// assemble them ends the process as before.
	cc := assembling(contracts.New, func(err error) {
		log.Print(err)
		os.Exit(1)
	})
	server := &shim.ChaincodeServer{CCID: ccid, Address: addr, CC: cc, TLSProps: tls}
	return server.Start()
}
