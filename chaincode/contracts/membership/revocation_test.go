package membership_test

import (
	"testing"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/proto"

	"github.com/civicledger/civicledger/chaincode/contracts/base"
	"github.com/civicledger/civicledger/chaincode/contracts/internal/contracttest"
	"github.com/civicledger/civicledger/chaincode/spec"
)

// revocationUpdate changes the MSP of each of orgs, as an update that sets
// a revocation list does.
func revocationUpdate(t *testing.T, orgs ...string) []byte {
	t.Helper()
	read := &common.ConfigGroup{Version: 1, Groups: map[string]*common.ConfigGroup{}}
	write := &common.ConfigGroup{Version: 1, Groups: map[string]*common.ConfigGroup{}}
	for _, o := range orgs {
		read.Groups[o] = &common.ConfigGroup{Version: 0}
		write.Groups[o] = &common.ConfigGroup{Version: 0,
			Values: map[string]*common.ConfigValue{"MSP": {Version: 1, Value: []byte("msp with crl of " + o), ModPolicy: "Admins"}}}
	}
	b, err := proto.MarshalOptions{Deterministic: true}.Marshal(&common.ConfigUpdate{
		ChannelId: "civic",
		ReadSet:   &common.ConfigGroup{Groups: map[string]*common.ConfigGroup{"Application": read}},
		WriteSet:  &common.ConfigGroup{Groups: map[string]*common.ConfigGroup{"Application": write}},
	})
	require.NoError(t, err)
	return b
}

func TestProposeRevocationList(t *testing.T) {
	t.Run("an administration's admin proposes its own revocation list", func(t *testing.T) {
		w := newWorld(t)
		p := w.propose(t, w.registry, proposal(t, spec.MembershipRevocationList, "RegistryMSP", revocationUpdate(t, "RegistryMSP"), nil))
		require.Equal(t, spec.MembershipRevocationList, p.Kind)
		require.Equal(t, "RegistryMSP", p.SubjectMSPID)
	})
	t.Run("refusals", func(t *testing.T) {
		w := newWorld(t)
		for name, tc := range map[string]struct {
			input string
			code  base.Code
			want  string
		}{
			"another administration's list": {proposal(t, spec.MembershipRevocationList, "CouncilMSP", revocationUpdate(t, "CouncilMSP"), nil),
				base.CodePermissionDenied, "only CouncilMSP's admins may propose its revocation list"},
			"a list that changes two organizations": {proposal(t, spec.MembershipRevocationList, "RegistryMSP", revocationUpdate(t, "RegistryMSP", "CouncilMSP"), nil),
				base.CodeInvalidArgument, "and no other organization"},
			"a list of a non-member": {proposal(t, spec.MembershipRevocationList, "PortMSP", revocationUpdate(t, "PortMSP"), nil),
				base.CodeNotFound, "PortMSP is not a member"},
			"an update that adds instead": {proposal(t, spec.MembershipRevocationList, "RegistryMSP", configUpdate(t, "civic", "RegistryMSP", ""), nil),
				base.CodeInvalidArgument, "must change its organization's MSP"},
		} {
			t.Run(name, func(t *testing.T) {
				before := contracttest.Snapshot(w.stub)
				_, err := w.c.Propose(contracttest.TxAs(w.stub, w.registry), tc.input)
				w.refused(t, before, tc.code, tc.want, err)
			})
		}
	})
}
