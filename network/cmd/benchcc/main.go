// Command benchcc is the bench-only baseline chaincode: Put(key, value)
// writes one key, Get(key) reads it, with the raw shim and nothing else (no
// contract API, no identity or role checks, no events, no key-level
// endorsement). It is not part of CivicLedger's chaincode: civicbench's
// bare mode deploys it next to the product's chaincode on the benchmark's
// network (network.DeployBenchChaincode), to measure what a bare Fabric
// write costs on the same network and channel. It serves as a chaincode
// service (CHAINCODE_ID, CHAINCODE_SERVER_ADDRESS and CHAINCODE_TLS_CERT,
// _KEY, _CLIENT_CA, as the product's chaincode service).
package main

import (
	"errors"
	"log"
	"os"

	"github.com/hyperledger/fabric-chaincode-go/v2/shim"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
)

func main() {
	log.SetFlags(0)
	log.SetPrefix("benchcc: ")
	if err := run(); err != nil {
		log.Print(err)
		os.Exit(1)
	}
}

func run() error {
	ccid, addr := os.Getenv("CHAINCODE_ID"), os.Getenv("CHAINCODE_SERVER_ADDRESS")
	if ccid == "" || addr == "" {
		return errors.New("CHAINCODE_ID and CHAINCODE_SERVER_ADDRESS must be set")
	}
	tls := shim.TLSProperties{}
	for env, dst := range map[string]*[]byte{"CHAINCODE_TLS_CERT": &tls.Cert, "CHAINCODE_TLS_KEY": &tls.Key, "CHAINCODE_TLS_CLIENT_CA": &tls.ClientCACerts} {
		b, err := os.ReadFile(os.Getenv(env))
		if err != nil {
			return errors.New("read " + env + ": " + err.Error())
		}
		*dst = b
	}
	server := &shim.ChaincodeServer{CCID: ccid, Address: addr, CC: bare{}, TLSProps: tls}
	return server.Start()
}

// bare writes and reads one key per transaction.
type bare struct{}

func (bare) Init(shim.ChaincodeStubInterface) *peer.Response { return shim.Success(nil) }

func (bare) Invoke(stub shim.ChaincodeStubInterface) *peer.Response {
	fn, args := stub.GetFunctionAndParameters()
	switch {
	case fn == "Put" && len(args) == 2 && args[0] != "":
		if err := stub.PutState(args[0], []byte(args[1])); err != nil {
			return shim.Error(err.Error())
		}
		return shim.Success(nil)
	case fn == "Get" && len(args) == 1 && args[0] != "":
		v, err := stub.GetState(args[0])
		if err != nil {
			return shim.Error(err.Error())
		}
		return shim.Success(v)
	}
	return shim.Error("usage: Put KEY VALUE | Get KEY")
}
