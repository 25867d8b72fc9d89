//go:build integration

package integration

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/encoding/protojson"

	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
	"github.com/civicledger/civicledger/network"
	"github.com/civicledger/civicledger/network/testnet"
)

const (
	registry = "RegistryMSP"
	treasury = "TreasuryMSP"
	council  = "CouncilMSP"
	archive  = "ArchiveMSP"
)

// TestAdministrationJoins goes from three administrations to four and back
// to three on the running network, as their operators would, while
// Registry's clerks register documents without pause: a fourth
// administration is created and joins once two of three admins signed its
// addition (join_test.go), then Treasury, an original member whose nodes
// are already down, is removed by the three others (removal_test.go). No
// registration that Registry's gateway acknowledged may be lost. Last, the
// network restarts with Archive's nodes and without Treasury's.
func TestAdministrationJoins(t *testing.T) {
	if !tn.Owned() {
		t.Skip("adds and removes administrations for good: runs only on a network the test started, not on $CIVIC_NETWORK")
	}
	ledgerctl := testnet.BuildLedgerctl(t)
	began := time.Now()
	l := startLoad(t, registry, 2)

	request := joinArchive(t, ledgerctl)
	l.mark("joined")
	t.Run("with four administrations", func(t *testing.T) { fourAdministrations(t) })
	t.Run("refusals through the gateways", func(t *testing.T) { refusedThroughGateways(t, ledgerctl, request) })

	t.Run("Treasury, whose nodes are down, is removed by the three others", func(t *testing.T) {
		removeTreasury(t, ledgerctl)
	})
	l.mark("removed")

	t.Run("the load registers on after the removal and no acknowledged registration is lost", func(t *testing.T) {
		l.waitMore(t, 3, time.Minute)
		l.stop()
		lost := l.missing(t, council)
		t.Logf("registration load over %.0fs through %s's gateway: %s; acknowledged per phase %v; read back through %s's gateway: %d on the ledger, %d lost",
			time.Since(began).Seconds(), registry, l, l.phases(), council, len(l.acknowledged())-len(lost), len(lost))
		require.Empty(t, lost, "acknowledged registrations missing from the ledger")
		for phase, n := range l.phases() {
			require.Positive(t, n, "no registration was acknowledged %s: the load did not run throughout", phase)
		}
	})

	t.Run("after down and up the newcomer runs and endorses with the others", func(t *testing.T) { restartedNetwork(t) })
}

// joinArchive creates Archive and adds it as the members' admins would
// with ledgerctl: Registry proposes from the join request, Registry and
// Treasury sign, Treasury applies, then Archive's nodes join. It returns
// the path of Archive's join request.
func joinArchive(t *testing.T, ledgerctl string) string {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	_, err := tn.CreateAdministration(ctx, network.Organization{
		MSPID: archive, Name: "archive", DisplayName: "City Archive", Kind: "agency", Contact: "archive@example.org",
	})
	require.NoError(t, err)
	request, err := tn.JoinRequestFile(archive)
	require.NoError(t, err)

	p := ledgerctlProposal(t, ledgerctl, "registry", "membership", "propose-add", "--request", request)
	require.Len(t, p.Id, 64, "the proposal id is the update's SHA-256")
	for _, org := range []string{"registry", "treasury"} {
		ledgerctlProposal(t, ledgerctl, org, "membership", "sign", p.Id)
	}
	require.ErrorIs(t, tn.JoinAdministration(ctx, archive), network.ErrNotInChannel,
		"a newcomer cannot join before the update adding it is applied")

	applyAt := time.Now()
	p = ledgerctlProposal(t, ledgerctl, "treasury", "membership", "apply", p.Id)
	require.Equal(t, "applied", p.Status)
	require.Len(t, p.Signatures, 2)
	// Apply returns once the peer has the config block carrying the update.
	cfg, err := tn.ChannelConfig(ctx)
	require.NoError(t, err)
	require.Contains(t, cfg.GetChannelGroup().GetGroups()["Application"].GetGroups(), archive)
	t.Logf("from ledgerctl membership apply to the config block: %.1fs", time.Since(applyAt).Seconds())
	require.NoError(t, tn.JoinAdministration(ctx, archive))
	// Joining ends with the newcomer's first transaction: its profile.
	t.Logf("from ledgerctl membership apply to the newcomer's first committed transaction: %.1fs", time.Since(applyAt).Seconds())
	require.NoError(t, tn.Reload())
	return request
}

// ledgerctlProposal runs a ledgerctl membership command that must succeed
// and returns the proposal it printed.
func ledgerctlProposal(t *testing.T, bin, org string, args ...string) *apiv1.MembershipProposal {
	t.Helper()
	var resp apiv1.MembershipProposalResponse
	require.NoError(t, protojson.Unmarshal(runLedgerctl(t, bin, org, args...), &resp))
	if c := resp.Committed; c != nil && c.BlockNumber > 0 {
		// The next admin signs at their own peer: let every peer have the
		// block first, as minutes would pass between two people signing.
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		require.NoError(t, tn.WaitForBlock(ctx, c.BlockNumber))
	}
	return resp.Proposal
}
