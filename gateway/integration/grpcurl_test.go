//go:build integration

package integration

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// grpcurlVersion is the third-party client used to check that the API is
// usable with server reflection alone, without this repository's code.
const grpcurlVersion = "v1.9.3"

func TestThirdPartyClient(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "grpcurl")
	build := exec.Command("go", "build", "-o", bin, "github.com/fullstorydev/grpcurl/cmd/grpcurl@"+grpcurlVersion)
	if out, err := build.CombinedOutput(); err != nil {
		// `go build pkg@version` needs Go 1.23+ module mode; fall back to install.
		install := exec.Command("go", "install", "github.com/fullstorydev/grpcurl/cmd/grpcurl@"+grpcurlVersion)
		install.Env = append(install.Environ(), "GOBIN="+filepath.Dir(bin))
		out2, err2 := install.CombinedOutput()
		require.NoError(t, err2, "build grpcurl: %s\n%s", out, out2)
	}
	org, err := tn.Conn.Org(registry)
	require.NoError(t, err)
	u, err := org.User("clerk")
	require.NoError(t, err)
	grpcurl := func(args ...string) string {
		t.Helper()
		base := []string{"-cacert", org.TLSRootCert, "-cert", u.Cert, "-key", u.Key}
		out, err := exec.Command(bin, append(base, args...)...).CombinedOutput()
		require.NoError(t, err, "grpcurl %v: %s", args, out)
		return string(out)
	}

	t.Run("grpcurl lists the services through server reflection", func(t *testing.T) {
		out := grpcurl(org.Gateway.Address, "list")
		for _, svc := range []string{"civicledger.v1.DirectoryService", "civicledger.v1.LedgerService", "civicledger.v1.EventService", "grpc.health.v1.Health"} {
			require.Contains(t, out, svc)
		}
	})

	t.Run("grpcurl calls an RPC with JSON built from the reflected schema", func(t *testing.T) {
		out := grpcurl("-d", `{"msp_id":"CouncilMSP"}`, org.Gateway.Address, "civicledger.v1.DirectoryService/GetProfile")
		require.True(t, strings.Contains(out, `"mspId": "CouncilMSP"`), out)
	})
}
