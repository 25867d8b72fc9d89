package server

import (
	"testing"

	"github.com/hyperledger/fabric-config/configtx"
	"github.com/hyperledger/fabric-config/configtx/orderer"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"

	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
)

// TestMembershipRemovalKeepsRaftQuorum: a removal whose consenters Raft
// cannot drop in one update is refused before anything is proposed.
func TestMembershipRemovalKeepsRaftQuorum(t *testing.T) {
	f := newMembershipFixture(t)
	port := newTestOrg(t, "PortMSP", 7300)
	cfg := testChannelConfig(t, append(f.orgs, port)...)
	// Port runs a second orderer in the Raft cluster: removing Port would
	// drop two of five consenters in one config update.
	tx := configtx.New(cfg)
	cert, _ := port.issue(t, "orderer1.PortMSP", "orderer")
	require.NoError(t, tx.Orderer().AddConsenter(orderer.Consenter{
		Address: orderer.EtcdAddress{Host: "127.0.0.1", Port: port.port + 2}, ClientTLSCert: cert, ServerTLSCert: cert,
	}))
	l := &fakeLedger{answers: map[string]string{cscc: testConfigBlock(t, 0, tx.UpdatedConfig(), nil)}}

	_, err := f.service(l, nil).ProposeRemoval(asAdminOf("RegistryMSP"), &apiv1.ProposeRemovalRequest{MspId: "PortMSP"})
	requireCode(t, err, codes.FailedPrecondition, "quorum", "one per config update")
	require.Empty(t, submitted(l), "nothing is proposed")
}
