package upgrades_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/civicledger/civicledger/chaincode/contracts/base"
	"github.com/civicledger/civicledger/chaincode/contracts/internal/contracttest"
	"github.com/civicledger/civicledger/chaincode/contracts/upgrades"
	"github.com/civicledger/civicledger/chaincode/internal/fakestub"
	"github.com/civicledger/civicledger/chaincode/records"
	"github.com/civicledger/civicledger/chaincode/spec"
)

// world is a ledger of three member administrations, their admins, a
// second Treasury admin, a Treasury clerk, the admin of a non-member, and
// the contract.
type world struct {
	registry, treasury, council, treasury2, clerk, outsider fakestub.Identity
	stub                                                    *fakestub.Stub
	c                                                       *upgrades.Contract
}

func newWorld(t *testing.T) *world {
	w := &world{
		registry:  fakestub.NewIdentity(t, "RegistryMSP", "ra", spec.RoleAdmin),
		treasury:  fakestub.NewIdentity(t, "TreasuryMSP", "ta", spec.RoleAdmin),
		council:   fakestub.NewIdentity(t, "CouncilMSP", "ca", spec.RoleAdmin),
		treasury2: fakestub.NewIdentity(t, "TreasuryMSP", "tb", spec.RoleAdmin),
		clerk:     fakestub.NewIdentity(t, "TreasuryMSP", "tc", spec.RoleClerk),
		outsider:  fakestub.NewIdentity(t, "HarbourMSP", "ha", spec.RoleAdmin),
		c:         upgrades.New(),
	}
	w.stub = contracttest.MemberLedger(t, w.registry, w.treasury, w.council)
	return w
}

const packageID = "civic_2.0:" + "ab12000000000000000000000000000000000000000000000000000000000000"

// txID is a Fabric transaction id (64 hex digits).
var txID = strings.Repeat("c", 64)

// proposal is the JSON input of Propose at sequence 2, with changes.
func proposal(t testing.TB, changes map[string]any) string {
	return contracttest.JSONWith(t, map[string]any{"chaincode": "civic", "version": "2.0", "sequence": 2, "packageId": packageID}, changes)
}

func (w *world) propose(t *testing.T, id fakestub.Identity, input string) *records.UpgradeProposal {
	t.Helper()
	p, err := w.c.Propose(contracttest.TxAs(w.stub, id), input)
	require.NoError(t, err)
	return p
}

func (w *world) approve(t *testing.T, id fakestub.Identity, proposalID string) *records.UpgradeProposal {
	t.Helper()
	p, err := w.c.Approve(contracttest.TxAs(w.stub, id), proposalID)
	require.NoError(t, err)
	return p
}

// refused requires err to be code, mentioning want, and the ledger to be
// as before.
func (w *world) refused(t *testing.T, before contracttest.LedgerState, code base.Code, want string, err error) {
	t.Helper()
	contracttest.RequireCode(t, code, err)
	require.ErrorContains(t, err, want)
	contracttest.RequireUnchanged(t, w.stub, before)
}

func TestUpgradeWorkflow(t *testing.T) {
	t.Run("a proposal is approved by a majority, one admin per administration, and its commit recorded", func(t *testing.T) {
		w := newWorld(t)
		p := w.propose(t, w.registry, proposal(t, nil))
		require.Equal(t, "civic-2", p.ID)
		require.Equal(t, spec.UpgradeOpen, p.Status)
		require.Equal(t, "RegistryMSP", p.ProposedBy)
		require.Len(t, p.ProposerCertID, 64)
		require.Equal(t, spec.EventUpgradeProposed, contracttest.LastEvent(t, w.stub).Name)

		w.approve(t, w.registry, p.ID)
		got := w.approve(t, w.treasury2, p.ID)
		require.Len(t, got.Approvals, 2)
		require.Equal(t, "TreasuryMSP", got.Approvals[1].MSPID)
		require.Equal(t, "2024-01-02T03:04:05Z", got.Approvals[1].ApprovedAt)
		require.Len(t, got.Approvals[1].ApproverCertID, 64)
		require.Equal(t, spec.EventUpgradeApproved, contracttest.LastEvent(t, w.stub).Name)

		done, err := w.c.MarkCommitted(contracttest.TxAs(w.stub, w.council), p.ID, strings.ToUpper(txID), "42")
		require.NoError(t, err)
		require.Equal(t, spec.UpgradeCommitted, done.Status)
		require.Equal(t, txID, done.CommitTxID)
		require.EqualValues(t, 42, done.CommitBlock)
		require.Equal(t, "CouncilMSP", done.CommittedBy)
		require.Equal(t, spec.EventUpgradeCommitted, contracttest.LastEvent(t, w.stub).Name)

		read, err := w.c.Get(contracttest.TxAs(w.stub, w.clerk), p.ID)
		require.NoError(t, err)
		require.Equal(t, done, read)
		next := w.propose(t, w.treasury, proposal(t, map[string]any{"sequence": 3, "version": "3.0"}))
		require.Equal(t, "civic-3", next.ID)
	})

	t.Run("listing filters by status and pages in sequence order", func(t *testing.T) {
		w := newWorld(t)
		two := w.propose(t, w.registry, proposal(t, nil))
		w.approve(t, w.registry, two.ID)
		w.approve(t, w.council, two.ID)
		_, err := w.c.MarkCommitted(contracttest.TxAs(w.stub, w.council), two.ID, txID, "7")
		require.NoError(t, err)
		w.propose(t, w.registry, proposal(t, map[string]any{"sequence": 3}))
		for status, want := range map[string][]string{"": {"civic-2", "civic-3"}, spec.UpgradeOpen: {"civic-3"}, spec.UpgradeCommitted: {"civic-2"}} {
			page, err := w.c.List(contracttest.TxAs(w.stub, w.clerk), status, "", "")
			require.NoError(t, err)
			ids := []string{}
			for _, p := range page.Proposals {
				ids = append(ids, p.ID)
			}
			require.Equal(t, want, ids, status)
		}
		first, err := w.c.List(contracttest.TxAs(w.stub, w.clerk), "", "1", "")
		require.NoError(t, err)
		require.Equal(t, "civic-2", first.Proposals[0].ID)
		second, err := w.c.List(contracttest.TxAs(w.stub, w.clerk), "", "1", first.Bookmark)
		require.NoError(t, err)
		require.Equal(t, "civic-3", second.Proposals[0].ID)
		_, err = w.c.List(contracttest.TxAs(w.stub, w.clerk), "closed", "", "")
		contracttest.RequireCode(t, base.CodeInvalidArgument, err)
	})
}

func TestRefusals(t *testing.T) {
	w := newWorld(t)
	committed := w.propose(t, w.registry, proposal(t, nil))
	w.approve(t, w.registry, committed.ID)
	w.approve(t, w.treasury, committed.ID)
	_, err := w.c.MarkCommitted(contracttest.TxAs(w.stub, w.treasury), committed.ID, txID, "9")
	require.NoError(t, err)
	open := w.propose(t, w.registry, proposal(t, map[string]any{"sequence": 3, "version": "3.0"}))
	w.approve(t, w.council, open.ID)
	before := contracttest.Snapshot(w.stub)
	for name, tc := range map[string]struct {
		run  func() error
		code base.Code
		want string
	}{
		"a clerk may not propose": {func() error {
			_, err := w.c.Propose(contracttest.TxAs(w.stub, w.clerk), proposal(t, map[string]any{"sequence": 4}))
			return err
		}, base.CodePermissionDenied, `has role "clerk"`},
		"an admin of a non-member may not propose": {func() error {
			_, err := w.c.Propose(contracttest.TxAs(w.stub, w.outsider), proposal(t, map[string]any{"sequence": 4}))
			return err
		}, base.CodePermissionDenied, "HarbourMSP is not a member of the network"},
		"a sequence at or below the committed one is stale": {func() error {
			_, err := w.c.Propose(contracttest.TxAs(w.stub, w.registry), proposal(t, map[string]any{"sequence": 2}))
			return err
		}, base.CodeFailedPrecondition, "sequence 2 of civic is stale: the committed definition is at sequence 2 or later, propose sequence 3"},
		"sequence 1, the first deployment, is stale": {func() error {
			_, err := w.c.Propose(contracttest.TxAs(w.stub, w.registry), proposal(t, map[string]any{"chaincode": "other", "sequence": 1}))
			return err
		}, base.CodeFailedPrecondition, "propose sequence 2"},
		"a second proposal at the same sequence": {func() error {
			_, err := w.c.Propose(contracttest.TxAs(w.stub, w.treasury), proposal(t, map[string]any{"sequence": 3, "version": "3.1"}))
			return err
		}, base.CodeAlreadyExists, "upgrade civic-3 is already proposed (version 3.0, by RegistryMSP"},
		"a malformed package id": {func() error {
			_, err := w.c.Propose(contracttest.TxAs(w.stub, w.registry), proposal(t, map[string]any{"sequence": 4, "packageId": "civic_4.0"}))
			return err
		}, base.CodeInvalidArgument, "packageId"},
		"a missing version": {func() error {
			_, err := w.c.Propose(contracttest.TxAs(w.stub, w.registry), proposal(t, map[string]any{"sequence": 4, "version": nil}))
			return err
		}, base.CodeInvalidArgument, "version is required"},
		"a clerk may not approve": {func() error {
			_, err := w.c.Approve(contracttest.TxAs(w.stub, w.clerk), open.ID)
			return err
		}, base.CodePermissionDenied, `has role "clerk"`},
		"an admin of a non-member may not approve": {func() error {
			_, err := w.c.Approve(contracttest.TxAs(w.stub, w.outsider), open.ID)
			return err
		}, base.CodePermissionDenied, "not a member"},
		"a second approval by the same administration": {func() error {
			_, err := w.c.Approve(contracttest.TxAs(w.stub, fakestub.NewIdentity(t, "CouncilMSP", "cb", spec.RoleAdmin)), open.ID)
			return err
		}, base.CodeAlreadyExists, "CouncilMSP already approved upgrade civic-3"},
		"an approval of a committed upgrade": {func() error {
			_, err := w.c.Approve(contracttest.TxAs(w.stub, w.council), committed.ID)
			return err
		}, base.CodeFailedPrecondition, "upgrade civic-2 is committed: it takes no more approvals"},
		"an unknown proposal": {func() error {
			_, err := w.c.Approve(contracttest.TxAs(w.stub, w.council), "civic-9")
			return err
		}, base.CodeNotFound, "no upgrade proposal civic-9"},
		"a malformed proposal id": {func() error {
			_, err := w.c.Get(contracttest.TxAs(w.stub, w.council), "civic-02")
			return err
		}, base.CodeInvalidArgument, "is malformed"},
		"a commit before a majority approved": {func() error {
			_, err := w.c.MarkCommitted(contracttest.TxAs(w.stub, w.council), open.ID, txID, "12")
			return err
		}, base.CodeFailedPrecondition, "upgrade civic-3 has 1 approvals of 3 member administrations, it needs 2 (a majority)"},
		"a second commit record": {func() error {
			_, err := w.c.MarkCommitted(contracttest.TxAs(w.stub, w.council), committed.ID, txID, "12")
			return err
		}, base.CodeFailedPrecondition, "is committed, not open"},
		"a clerk may not record a commit": {func() error {
			_, err := w.c.MarkCommitted(contracttest.TxAs(w.stub, w.clerk), open.ID, txID, "12")
			return err
		}, base.CodePermissionDenied, `has role "clerk"`},
		"a commit transaction id that is no transaction id": {func() error {
			_, err := w.c.MarkCommitted(contracttest.TxAs(w.stub, w.council), open.ID, "abc", "12")
			return err
		}, base.CodeInvalidArgument, "commit transaction id"},
		"a block number that is no number": {func() error {
			_, err := w.c.MarkCommitted(contracttest.TxAs(w.stub, w.council), open.ID, txID, "+3")
			return err
		}, base.CodeInvalidArgument, "not a decimal block number"},
	} {
		t.Run(name, func(t *testing.T) {
			w.refused(t, before, tc.code, tc.want, tc.run())
		})
	}
}

func TestChaincode(t *testing.T) {
	w := newWorld(t)
	cc := contracttest.NewChaincode(t, w.stub, upgrades.New())
	t.Run("reads are evaluate transactions and writes submit ones", func(t *testing.T) {
		cc.RequireTxKinds(t, spec.UpgradesContract, []string{"Propose", "Approve", "MarkCommitted"}, []string{"Get", "List"})
	})
	t.Run("a proposal and an approval go through the contract api and a refusal carries its code", func(t *testing.T) {
		cc.OK(t, w.registry, spec.UpgradesPropose, proposal(t, nil))
		out := cc.OK(t, w.council, spec.UpgradesApprove, "civic-2")
		require.Contains(t, out, `"mspId":"CouncilMSP"`)
		cc.RequireRefusals(t, map[string]contracttest.Refusal{
			"a second council approval":       {ID: w.council, Fn: spec.UpgradesApprove, Args: []string{"civic-2"}, Code: base.CodeAlreadyExists},
			"a commit with a single approval": {ID: w.council, Fn: spec.UpgradesMarkCommitted, Args: []string{"civic-2", txID, "5"}, Code: base.CodeFailedPrecondition},
		})
		require.Contains(t, cc.OK(t, w.clerk, spec.UpgradesList, "open", "", ""), "civic-2")
	})
}
