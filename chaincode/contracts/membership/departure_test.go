package membership_test

import (
	"testing"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/proto"

	"github.com/civicledger/civicledger/chaincode/contracts/base"
	"github.com/civicledger/civicledger/chaincode/contracts/directory"
	"github.com/civicledger/civicledger/chaincode/contracts/internal/contracttest"
	"github.com/civicledger/civicledger/chaincode/spec"
)

func TestDeparture(t *testing.T) {
	// removeCouncil proposes and records the applied removal of Council at
	// config block 9.
	removeCouncil := func(t *testing.T, w *world) {
		t.Helper()
		update := configUpdate(t, "civic", "", "CouncilMSP")
		p := w.propose(t, w.registry, proposal(t, spec.MembershipRemove, "CouncilMSP", update, nil))
		_, err := w.c.MarkApplied(contracttest.TxAs(w.stub, w.treasury), p.ID, "9")
		require.NoError(t, err)
	}

	t.Run("an applied removal marks the profile as left at its config block, and the profile stays readable", func(t *testing.T) {
		w := newWorld(t)
		removeCouncil(t, w)
		p, err := directory.New().GetProfile(contracttest.TxAs(w.stub, w.registry), "CouncilMSP")
		require.NoError(t, err)
		require.Equal(t, "Council", p.DisplayName)
		require.Equal(t, "2024-01-02T03:04:05Z", p.LeftAt)
		require.EqualValues(t, 9, p.LeftConfigBlock)
		list, err := directory.New().ListProfiles(contracttest.TxAs(w.stub, w.registry))
		require.NoError(t, err)
		require.Len(t, list, 3, "a departed administration stays listed, with leftAt")
	})

	t.Run("a departed administration no longer counts as a member", func(t *testing.T) {
		w := newWorld(t)
		removeCouncil(t, w)
		before := contracttest.Snapshot(w.stub)
		again := configUpdate(t, "civic", "PortMSP", "CouncilMSP")
		_, err := w.c.Propose(contracttest.TxAs(w.stub, w.registry), proposal(t, spec.MembershipRemove, "CouncilMSP", again, nil))
		w.refused(t, before, base.CodeNotFound, "CouncilMSP is not a member", err)
		input, _ := addHarbour(t)
		_, err = w.c.Propose(contracttest.TxAs(w.stub, w.council), input)
		w.refused(t, before, base.CodePermissionDenied, "CouncilMSP is not a member of the network", err)
		_, err = directory.New().SetProfile(contracttest.TxAs(w.stub, w.council), "Council", "city", "council@example.org")
		w.refused(t, before, base.CodePermissionDenied, "left the network at config block 9", err)
	})

	t.Run("an applied addition of an administration that had left makes it a member again", func(t *testing.T) {
		w := newWorld(t)
		removeCouncil(t, w)
		update := readd(t, "CouncilMSP")
		p := w.propose(t, w.registry, proposal(t, spec.MembershipAdd, "CouncilMSP", update, nil))
		_, err := w.c.MarkApplied(contracttest.TxAs(w.stub, w.treasury), p.ID, "12")
		require.NoError(t, err)
		profile, err := directory.New().GetProfile(contracttest.TxAs(w.stub, w.registry), "CouncilMSP")
		require.NoError(t, err)
		require.Empty(t, profile.LeftAt)
		require.Zero(t, profile.LeftConfigBlock)
		w.propose(t, w.council, proposal(t, spec.MembershipAdd, "PortMSP", configUpdate(t, "civic", "PortMSP", ""), nil))
	})
}

// readd is the update adding mspID back to a channel it has left: as
// configUpdate adds it, but with mspID no longer in the read set.
func readd(t *testing.T, mspID string) []byte {
	t.Helper()
	var u common.ConfigUpdate
	require.NoError(t, proto.Unmarshal(configUpdate(t, "civic", mspID, ""), &u))
	delete(u.ReadSet.Groups["Application"].Groups, mspID)
	b, err := proto.MarshalOptions{Deterministic: true}.Marshal(&u)
	require.NoError(t, err)
	return b
}
