// Command ledgerctl is the command line of the CivicLedger gateway; run
// `ledgerctl --help` for its commands and its exit codes.
package main

import (
	"os"

	"github.com/civicledger/civicledger/gateway/ledgerctl"
)

func main() {
	os.Exit(ledgerctl.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
