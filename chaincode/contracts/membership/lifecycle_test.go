package membership_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/civicledger/civicledger/chaincode/contracts/base"
	"github.com/civicledger/civicledger/chaincode/contracts/internal/contracttest"
	"github.com/civicledger/civicledger/chaincode/contracts/membership"
	"github.com/civicledger/civicledger/chaincode/internal/fakestub"
	"github.com/civicledger/civicledger/chaincode/records"
	"github.com/civicledger/civicledger/chaincode/spec"
)

func TestMarkAppliedAndWithdraw(t *testing.T) {
	t.Run("any member's admin records the config block that applied an open proposal", func(t *testing.T) {
		w := newWorld(t)
		input, _ := addHarbour(t)
		p := w.propose(t, w.registry, input)
		got, err := w.c.MarkApplied(contracttest.TxAs(w.stub, w.council), p.ID, "12")
		require.NoError(t, err)
		require.Equal(t, spec.MembershipApplied, got.Status)
		require.EqualValues(t, 12, got.AppliedBlock)
		require.Equal(t, "CouncilMSP", got.AppliedBy)
		require.Equal(t, "2024-01-02T03:04:05Z", got.AppliedAt)
		require.Equal(t, spec.EventMembershipApplied, contracttest.LastEvent(t, w.stub).Name)

		before := contracttest.Snapshot(w.stub)
		_, err = w.c.MarkApplied(contracttest.TxAs(w.stub, w.treasury), p.ID, "13")
		w.refused(t, before, base.CodeFailedPrecondition, "is applied, not open", err)
		_, err = w.c.Withdraw(contracttest.TxAs(w.stub, w.registry), p.ID)
		w.refused(t, before, base.CodeFailedPrecondition, "is applied, not open", err)
	})

	t.Run("the proposing administration withdraws its open proposal", func(t *testing.T) {
		w := newWorld(t)
		input, _ := addHarbour(t)
		p := w.propose(t, w.registry, input)
		other := fakestub.NewIdentity(t, "RegistryMSP", "rb", spec.RoleAdmin)
		got, err := w.c.Withdraw(contracttest.TxAs(w.stub, other), p.ID)
		require.NoError(t, err)
		require.Equal(t, spec.MembershipWithdrawn, got.Status)
		require.Equal(t, "RegistryMSP", got.WithdrawnBy)
		require.Equal(t, spec.EventMembershipWithdrawn, contracttest.LastEvent(t, w.stub).Name)
	})

	t.Run("refusals leave the ledger unchanged", func(t *testing.T) {
		w := newWorld(t)
		input, _ := addHarbour(t)
		p := w.propose(t, w.registry, input)
		before := contracttest.Snapshot(w.stub)
		for name, tc := range map[string]struct {
			run  func() error
			code base.Code
			want string
		}{
			"another administration may not withdraw": {func() error {
				_, err := w.c.Withdraw(contracttest.TxAs(w.stub, w.treasury), p.ID)
				return err
			}, base.CodePermissionDenied, "made by RegistryMSP: only its admins may withdraw it, not TreasuryMSP"},
			"a clerk may not withdraw": {func() error {
				_, err := w.c.Withdraw(contracttest.TxAs(w.stub, fakestub.NewIdentity(t, "RegistryMSP", "rc", spec.RoleClerk)), p.ID)
				return err
			}, base.CodePermissionDenied, `has role "clerk"`},
			"a clerk may not record an application": {func() error {
				_, err := w.c.MarkApplied(contracttest.TxAs(w.stub, w.clerk), p.ID, "3")
				return err
			}, base.CodePermissionDenied, `has role "clerk"`},
			"a non-member may not record an application": {func() error {
				_, err := w.c.MarkApplied(contracttest.TxAs(w.stub, w.outsider), p.ID, "3")
				return err
			}, base.CodePermissionDenied, "not a member"},
			"a block number that is no number": {func() error {
				_, err := w.c.MarkApplied(contracttest.TxAs(w.stub, w.council), p.ID, "-3")
				return err
			}, base.CodeInvalidArgument, "not a decimal block number"},
			"an unknown proposal": {func() error {
				_, err := w.c.MarkApplied(contracttest.TxAs(w.stub, w.council), strings.Repeat("1", 64), "3")
				return err
			}, base.CodeNotFound, "no membership proposal"},
		} {
			t.Run(name, func(t *testing.T) {
				w.refused(t, before, tc.code, tc.want, tc.run())
			})
		}
	})
}

func TestList(t *testing.T) {
	w := newWorld(t)
	addInput, addUpdate := addHarbour(t)
	added := w.propose(t, w.registry, addInput)
	w.sign(t, w.treasury, added.ID, addUpdate)
	removeUpdate := configUpdate(t, "civic", "", "CouncilMSP")
	removal := w.propose(t, w.treasury, proposal(t, spec.MembershipRemove, "CouncilMSP", removeUpdate, map[string]any{"expiresAt": "2024-01-03T00:00:00Z"}))
	portUpdate := configUpdate(t, "civic", "PortMSP", "")
	port := w.propose(t, w.council, proposal(t, spec.MembershipAdd, "PortMSP", portUpdate, nil))
	_, err := w.c.Withdraw(contracttest.TxAs(w.stub, w.council), port.ID)
	require.NoError(t, err)
	w.stub.SetTxTime(timestamppb.New(time.Date(2024, 1, 4, 0, 0, 0, 0, time.UTC)))

	statuses := func(page *records.MembershipPage) map[string]string {
		out := map[string]string{}
		for _, p := range page.Proposals {
			out[p.ID] = p.Status
		}
		return out
	}
	t.Run("every proposal is listed with its derived status and signatures", func(t *testing.T) {
		page, err := w.c.List(contracttest.TxAs(w.stub, w.clerk), "", "", "")
		require.NoError(t, err)
		require.Equal(t, map[string]string{added.ID: spec.MembershipOpen, removal.ID: spec.MembershipExpired, port.ID: spec.MembershipWithdrawn}, statuses(page))
		require.Empty(t, page.Bookmark)
		for _, p := range page.Proposals {
			if p.ID == added.ID {
				require.Len(t, p.Signatures, 1)
				require.Equal(t, "TreasuryMSP", p.Signatures[0].MSPID)
			}
		}
	})
	t.Run("a status filters the listing", func(t *testing.T) {
		for status, want := range map[string]map[string]string{
			spec.MembershipOpen:      {added.ID: spec.MembershipOpen},
			spec.MembershipExpired:   {removal.ID: spec.MembershipExpired},
			spec.MembershipWithdrawn: {port.ID: spec.MembershipWithdrawn},
			spec.MembershipApplied:   {},
		} {
			page, err := w.c.List(contracttest.TxAs(w.stub, w.clerk), status, "10", "")
			require.NoError(t, err)
			require.Equal(t, want, statuses(page), status)
		}
	})
	t.Run("pages follow one another through the bookmark", func(t *testing.T) {
		seen := map[string]string{}
		bookmark := ""
		for range 3 {
			page, err := w.c.List(contracttest.TxAs(w.stub, w.clerk), "", "1", bookmark)
			require.NoError(t, err)
			require.Len(t, page.Proposals, 1)
			seen[page.Proposals[0].ID] = page.Proposals[0].Status
			bookmark = page.Bookmark
		}
		require.Len(t, seen, 3)
	})
	t.Run("a bad status, page size or bookmark is an invalid argument", func(t *testing.T) {
		for _, args := range [][3]string{{"closed", "", ""}, {"", "101", ""}, {"", "", "not-a-bookmark"}} {
			_, err := w.c.List(contracttest.TxAs(w.stub, w.clerk), args[0], args[1], args[2])
			contracttest.RequireCode(t, base.CodeInvalidArgument, err)
		}
	})
}

func TestChaincode(t *testing.T) {
	p := newPeople(t)
	stub := contracttest.MemberLedger(t, p.registry, p.treasury, p.council)
	cc := contracttest.NewChaincode(t, stub, membership.New())
	t.Run("reads are evaluate transactions and writes submit ones", func(t *testing.T) {
		cc.RequireTxKinds(t, spec.MembershipContract,
			[]string{"Propose", "Sign", "MarkApplied", "Withdraw"}, []string{"Get", "List"})
	})
	t.Run("a proposal and a signature go through the contract api and a refusal carries its code", func(t *testing.T) {
		input, update := addHarbour(t)
		cc.OK(t, p.registry, spec.MembershipPropose, input)
		out := cc.OK(t, p.council, spec.MembershipSign, idOf(update), signAs(t, p.council, update))
		require.Contains(t, out, `"mspId":"CouncilMSP"`)
		cc.RequireRefusals(t, map[string]contracttest.Refusal{
			"a second council signature": {ID: p.council, Fn: spec.MembershipSign, Args: []string{idOf(update), signAs(t, p.council, update)}, Code: base.CodeAlreadyExists},
			"a malformed page size":      {ID: p.clerk, Fn: spec.MembershipList, Args: []string{"", "x", ""}, Code: base.CodeInvalidArgument},
		})
		listed := cc.OK(t, p.clerk, spec.MembershipList, "open", "", "")
		require.Contains(t, listed, idOf(update))
	})
}
