package testnet

import (
	"os/exec"
	"path/filepath"
	"testing"
)

// BuildLedgerctl builds the ledgerctl command into a temporary folder of t,
// for tests that run it as its users do, and returns its path.
func BuildLedgerctl(t testing.TB) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "ledgerctl")
	out, err := exec.Command("go", "build", "-o", bin, "github.com/civicledger/civicledger/gateway/cmd/ledgerctl").CombinedOutput()
	if err != nil {
		t.Fatalf("build ledgerctl: %v\n%s", err, out)
	}
	return bin
}
