//go:build integration

package integration

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/hyperledger/fabric-gateway/pkg/client"
	"github.com/stretchr/testify/require"

	"github.com/civicledger/civicledger/network"
	"github.com/civicledger/civicledger/network/procs"
)

// TestBaselineChaincode deploys the bench-only baseline chaincode, the bare
// Fabric write `civicbench -modes bare` measures a registration against
// (`civicnet chaincode deploy-bench`), beside the product's on this
// network: a Put through the Gateway commits under the channel's default
// MAJORITY policy and reads back, each administration runs its service,
// and a second deployment changes nothing and keeps it working.
func TestBaselineChaincode(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	require.NoError(t, tn.DeployBenchChaincode(ctx))

	gw, err := tn.Gateway(registry, "clerk")
	require.NoError(t, err)
	bench := gw.GetNetwork(tn.Conn.Channel).GetContract(network.BenchChaincode)
	put := func(key, value string) {
		t.Helper()
		_, err := bench.Submit("Put", client.WithArguments(key, value))
		require.NoError(t, err)
		got, err := bench.EvaluateTransaction("Get", key)
		require.NoError(t, err)
		require.Equal(t, value, string(got))
	}
	put(uniqueID("bench"), `{"id":"a registration's bytes"}`)

	running, err := procs.Running(tn.DataDir())
	require.NoError(t, err)
	services := 0
	for _, p := range running {
		if strings.HasPrefix(p.Name, "chaincode.") && strings.HasSuffix(p.Name, ".bench") {
			services++
		}
	}
	require.Equal(t, len(tn.Conn.Orgs), services, "one baseline service per administration among %v", running)

	_, err = bench.EvaluateTransaction("Delete", "x")
	require.ErrorContains(t, err, "usage: Put KEY VALUE | Get KEY")

	require.NoError(t, tn.DeployBenchChaincode(ctx), "deploying again")
	put(uniqueID("bench"), "again")
}
