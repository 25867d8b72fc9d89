package membership_test

import (
	"encoding/base64"
	"encoding/json"
	"testing"
	"time"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/proto"

	"github.com/civicledger/civicledger/chaincode/contracts/base"
	"github.com/civicledger/civicledger/chaincode/contracts/internal/contracttest"
	"github.com/civicledger/civicledger/chaincode/internal/fakestub"
	"github.com/civicledger/civicledger/chaincode/records"
	"github.com/civicledger/civicledger/chaincode/spec"
	"github.com/civicledger/civicledger/chaincode/state"
)

func TestPropose(t *testing.T) {
	t.Run("an admin of a member proposes an add and the proposal is stored open without signatures", func(t *testing.T) {
		w := newWorld(t)
		input, update := addHarbour(t)
		p := w.propose(t, w.registry, input)
		require.Equal(t, &records.MembershipProposal{
			ID: idOf(update), Kind: spec.MembershipAdd, SubjectMSPID: "HarbourMSP", ChannelID: "civic",
			Update: base64.StdEncoding.EncodeToString(update), Sequence: 7,
			ProposedBy: "RegistryMSP", ProposerCertID: p.ProposerCertID,
			ProposedAt: "2024-01-02T03:04:05Z", ExpiresAt: "2024-01-09T03:04:05Z",
			Status: spec.MembershipOpen, Signatures: []*records.MembershipSignature{},
		}, p)
		require.True(t, spec.Hex64Pattern.MatchString(p.ProposerCertID), "a certificate id, not a name: %s", p.ProposerCertID)
		got, err := w.c.Get(contracttest.TxAs(w.stub, w.council), p.ID)
		require.NoError(t, err)
		require.Equal(t, p, got)
		require.Contains(t, w.stub.Keys(), contracttest.MustKey(t, w.stub, state.TypeMembershipProposal, p.ID))

		ev := contracttest.LastEvent(t, w.stub)
		require.Equal(t, spec.EventMembershipProposed, ev.Name)
		var announced records.MembershipProposal
		require.NoError(t, json.Unmarshal(ev.Payload, &announced))
		require.Equal(t, *p, announced)
	})

	t.Run("an admin proposes the removal of a member", func(t *testing.T) {
		w := newWorld(t)
		update := configUpdate(t, "civic", "", "CouncilMSP")
		p := w.propose(t, w.treasury, proposal(t, spec.MembershipRemove, "CouncilMSP", update, nil))
		require.Equal(t, spec.MembershipRemove, p.Kind)
		require.Equal(t, idOf(update), p.ID)
	})

	t.Run("refusals leave the ledger unchanged", func(t *testing.T) {
		w := newWorld(t)
		input, _ := addHarbour(t)
		w.propose(t, w.registry, input)
		addOther := func(channel, subject string) []byte { return configUpdate(t, channel, subject, "") }
		tooLate := fakestub.DefaultTxTime.AddDate(0, 0, spec.MaxMembershipDays).Add(time.Second).Format(time.RFC3339)
		for name, tc := range map[string]struct {
			id    fakestub.Identity
			input string
			code  base.Code
			want  string
		}{
			"a clerk may not propose":                       {w.clerk, input, base.CodePermissionDenied, `has role "clerk", requires one of [admin]`},
			"an admin of a non-member may not propose":      {w.outsider, input, base.CodePermissionDenied, "HarbourMSP is not a member of the network"},
			"the same update twice is one proposal":         {w.council, input, base.CodeAlreadyExists, "already proposal " + idOf(addOther("civic", "HarbourMSP"))},
			"the removal of a non-member is not found":      {w.registry, proposal(t, spec.MembershipRemove, "PortMSP", configUpdate(t, "civic", "", "PortMSP"), nil), base.CodeNotFound, "PortMSP is not a member"},
			"the addition of a member already exists":       {w.registry, proposal(t, spec.MembershipAdd, "CouncilMSP", addOther("civic", "CouncilMSP"), nil), base.CodeAlreadyExists, "CouncilMSP is already a member"},
			"an update of another channel":                  {w.registry, proposal(t, spec.MembershipAdd, "PortMSP", addOther("other", "PortMSP"), nil), base.CodeInvalidArgument, `the update is for channel "other", this chaincode runs on channel "civic"`},
			"an add whose update adds someone else":         {w.registry, proposal(t, spec.MembershipAdd, "PortMSP", addOther("civic", "DockMSP"), nil), base.CodeInvalidArgument, "an add of PortMSP must write its organization"},
			"a remove that also drops another member":       {w.registry, proposal(t, spec.MembershipRemove, "CouncilMSP", dropTwo(t), nil), base.CodeInvalidArgument, "must keep the other members in the Application group, and it drops TreasuryMSP"},
			"a remove whose update adds the subject":        {w.registry, proposal(t, spec.MembershipRemove, "CouncilMSP", configUpdate(t, "civic", "", ""), nil), base.CodeInvalidArgument, "a remove of CouncilMSP must delete"},
			"an update that is not a config update":         {w.registry, proposal(t, spec.MembershipAdd, "PortMSP", []byte{0xff, 0xff, 0xff}, nil), base.CodeInvalidArgument, "update is not a marshalled config update"},
			"an update that does not touch the application": {w.registry, proposal(t, spec.MembershipAdd, "PortMSP", []byte{0x0a, 0x05, 'c', 'i', 'v', 'i', 'c'}, nil), base.CodeInvalidArgument, "does not change the Application group"},
			"an update that is not base64":                  {w.registry, proposal(t, spec.MembershipAdd, "PortMSP", nil, map[string]any{"update": "%%%"}), base.CodeInvalidArgument, "update is not standard base64"},
			"an unknown kind":                               {w.registry, proposal(t, "merge", "PortMSP", addOther("civic", "PortMSP"), nil), base.CodeInvalidArgument, `kind "merge" is not one of add, remove`},
			"a malformed subject":                           {w.registry, proposal(t, spec.MembershipAdd, "Port_MSP", addOther("civic", "Port_MSP"), nil), base.CodeInvalidArgument, "msp id"},
			"an expiry before the transaction":              {w.registry, proposal(t, spec.MembershipAdd, "PortMSP", addOther("civic", "PortMSP"), map[string]any{"expiresAt": "2024-01-01T00:00:00Z"}), base.CodeInvalidArgument, "is not after the transaction time"},
			"an expiry more than 30 days ahead":             {w.registry, proposal(t, spec.MembershipAdd, "PortMSP", addOther("civic", "PortMSP"), map[string]any{"expiresAt": tooLate}), base.CodeInvalidArgument, "more than 30 days after"},
			"an expiry that is no time":                     {w.registry, proposal(t, spec.MembershipAdd, "PortMSP", addOther("civic", "PortMSP"), map[string]any{"expiresAt": "soon"}), base.CodeInvalidArgument, "not an rfc 3339 time"},
			"an unknown field":                              {w.registry, proposal(t, spec.MembershipAdd, "PortMSP", addOther("civic", "PortMSP"), map[string]any{"quorum": 2}), base.CodeInvalidArgument, "quorum"},
			"a negative sequence":                           {w.registry, proposal(t, spec.MembershipAdd, "PortMSP", addOther("civic", "PortMSP"), map[string]any{"sequence": -1}), base.CodeInvalidArgument, "sequence"},
			"an input that is not json":                     {w.registry, "add PortMSP", base.CodeInvalidArgument, "proposal"},
		} {
			t.Run(name, func(t *testing.T) {
				before := contracttest.Snapshot(w.stub)
				_, err := w.c.Propose(contracttest.TxAs(w.stub, tc.id), tc.input)
				w.refused(t, before, tc.code, tc.want, err)
			})
		}
	})
}

// dropTwo is an update that removes CouncilMSP and TreasuryMSP at once.
func dropTwo(t *testing.T) []byte {
	t.Helper()
	var u common.ConfigUpdate
	require.NoError(t, proto.Unmarshal(configUpdate(t, "civic", "", "CouncilMSP"), &u))
	delete(u.WriteSet.Groups["Application"].Groups, "TreasuryMSP")
	b, err := proto.MarshalOptions{Deterministic: true}.Marshal(&u)
	require.NoError(t, err)
	return b
}
