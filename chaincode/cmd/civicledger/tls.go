package main

import (
	"fmt"
	"os"

	"github.com/hyperledger/fabric-chaincode-go/v2/shim"
)

// tlsProperties enables server TLS when CHAINCODE_TLS_CERT and
// CHAINCODE_TLS_KEY name PEM files, with client authentication against
// CHAINCODE_TLS_CLIENT_CA if set; without them TLS is disabled.
func tlsProperties() (shim.TLSProperties, error) {
	certFile, keyFile := os.Getenv("CHAINCODE_TLS_CERT"), os.Getenv("CHAINCODE_TLS_KEY")
	if certFile == "" && keyFile == "" {
		return shim.TLSProperties{Disabled: true}, nil
	}
	props := shim.TLSProperties{}
	for _, f := range []struct {
		env  string
		dst  *[]byte
		need bool
	}{
		{"CHAINCODE_TLS_CERT", &props.Cert, true},
		{"CHAINCODE_TLS_KEY", &props.Key, true},
		{"CHAINCODE_TLS_CLIENT_CA", &props.ClientCACerts, false},
	} {
		path := os.Getenv(f.env)
		if path == "" && !f.need {
			continue
		}
		if path == "" {
			return props, fmt.Errorf("%s must be set with the other CHAINCODE_TLS_ variables", f.env)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return props, fmt.Errorf("read %s: %w", f.env, err)
		}
		*f.dst = b
	}
	return props, nil
}
