package network

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestChaincodeSlots(t *testing.T) {
	t.Run("the next chaincode slot and the second peer come after every port derived before them, which keep their numbers", func(t *testing.T) {
		topo := DefaultTopology()
		topo.applyDefaults()
		p := topo.Orgs[1].Ports
		require.Equal(t, Ports{CA: 7020, CAOperations: 7021, Orderer: 7022, OrdererAdmin: 7023, OrdererOps: 7024,
			Peer: 7025, PeerChaincode: 7026, PeerOps: 7027, Chaincode: 7028, Gateway: 7029, GatewayOps: 7030,
			Portal: 7031, ChaincodeNext: 7032, Peer1: 7033, Peer1Chaincode: 7034, Peer1Ops: 7035}, p)
		require.NoError(t, topo.Validate())
	})
	t.Run("a next slot that clashes with another port is refused, naming the field", func(t *testing.T) {
		topo := DefaultTopology()
		topo.applyDefaults()
		topo.Orgs[2].Ports.ChaincodeNext = topo.Orgs[2].Ports.Chaincode
		require.ErrorContains(t, topo.Validate(), "organizations[2].ports.chaincodeNext: port 7048 is already used")
	})
	t.Run("versions alternate between the two slots, each with its own service and package label", func(t *testing.T) {
		topo := DefaultTopology()
		topo.applyDefaults()
		n := &Network{topo: topo, layout: layout{root: t.TempDir()}}
		o := topo.Orgs[0]
		st := state{Topology: topo, PackageID: "civic_1.0:aa"}
		require.Equal(t, []installedChaincode{{Version: "1.0", PackageID: "civic_1.0:aa", Orgs: []string{"RegistryMSP", "TreasuryMSP", "CouncilMSP"}}}, n.chaincodes(st))
		next := n.chaincodeService(o, installedChaincode{Version: "2.0", PackageID: "civic_2.0:bb", Slot: 1})
		require.Equal(t, "chaincode.registry.next", next.Name)
		require.Contains(t, next.Env, "CHAINCODE_SERVER_ADDRESS=127.0.0.1:7012")
		require.Contains(t, next.Env, "CHAINCODE_ID=civic_2.0:bb")
		require.Equal(t, n.chaincodeBinary()+"-2.0", next.Bin)
		require.Equal(t, "chaincode.registry", n.chaincodeProcess(o, "civic_1.0:aa").Name)
		_, id1, err := n.packageLabelled("civic_2.0")
		require.NoError(t, err)
		_, id2, err := n.packageLabelled("civic_2.0")
		require.NoError(t, err)
		require.Equal(t, id1, id2, "the same label gives the same package id on every machine")
		require.Regexp(t, `^civic_2\.0:[0-9a-f]{64}$`, id1)
	})
}

func TestStatusOfChaincodeVersions(t *testing.T) {
	topo := DefaultTopology()
	topo.applyDefaults()
	n := &Network{topo: topo, layout: layout{root: t.TempDir()}}
	names := func() []string {
		var out []string
		for _, p := range n.Status() {
			out = append(out, p.Name)
		}
		return out
	}
	t.Run("without a stored state, each administration's one chaincode service is expected", func(t *testing.T) {
		require.Contains(t, names(), "chaincode.registry")
		require.NotContains(t, names(), "chaincode.registry.next")
	})
	t.Run("the services of the installed versions are expected, not those of a stopped one", func(t *testing.T) {
		all := []string{"RegistryMSP", "TreasuryMSP", "CouncilMSP"}
		require.NoError(t, n.writeState(state{Topology: topo, PackageID: "civic_1.0:aa", Chaincodes: []installedChaincode{
			{Version: "2.0", PackageID: "civic_2.0:bb", Slot: 1, Orgs: all},
		}}))
		got := names()
		require.Contains(t, got, "chaincode.council.next")
		require.NotContains(t, got, "chaincode.council")
		require.Len(t, got, 3*5, "ca, orderer, peer, chaincode and gateway of each (no portal was created here)")
	})
}
