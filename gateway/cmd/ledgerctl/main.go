// Command ledgerctl is the command line of the CivicLedger gateway; run
// `ledgerctl --help` for its commands.
package main

import (
	"fmt"
	"os"

	"github.com/civicledger/civicledger/gateway/ledgerctl"
)

func main() {
	if err := ledgerctl.NewRoot().Execute(); err != nil {
		fmt.Fprintln(os.Stderr, "ledgerctl:", ledgerctl.Describe(err))
		os.Exit(1)
	}
}
