package ledgerctl

import (
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// The command-line clients read the connection file through network/connfile;
// they must not link the harness that starts Fabric processes.
func TestClientsDoNotDependOnTheNetworkHarness(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		goTool = filepath.Join(runtime.GOROOT(), "bin", "go")
	}
	harness := []string{"github.com/civicledger/civicledger/network", "github.com/civicledger/civicledger/network/testnet"}
	for _, pkg := range []string{
		"github.com/civicledger/civicledger/gateway/cmd/ledgerctl",
		"github.com/civicledger/civicledger/gateway/cmd/civicbench",
	} {
		t.Run(pkg+" does not import the network harness", func(t *testing.T) {
			out, err := exec.Command(goTool, "list", "-deps", pkg).CombinedOutput()
			require.NoError(t, err, string(out))
			deps := strings.Fields(string(out))
			require.Contains(t, deps, "github.com/civicledger/civicledger/network/connfile")
			for _, h := range harness {
				require.NotContains(t, deps, h)
			}
		})
	}
}
