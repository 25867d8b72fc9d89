package anchors_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/civicledger/civicledger/chaincode/contracts/anchors"
	"github.com/civicledger/civicledger/chaincode/contracts/base"
	"github.com/civicledger/civicledger/chaincode/contracts/internal/contracttest"
	"github.com/civicledger/civicledger/chaincode/internal/fakestub"
	"github.com/civicledger/civicledger/chaincode/records"
	"github.com/civicledger/civicledger/chaincode/spec"
	"github.com/civicledger/civicledger/chaincode/state"
)

var (
	anchorRootA = strings.Repeat("a1", 32)
	anchorRootB = strings.Repeat("b2", 32)
)

// anchorPeople are a clerk, an approver and an admin of three
// administrations, and two callers without a usable role.
type anchorPeople struct {
	clerk, approver, admin, noRole, other fakestub.Identity
}

func newAnchorPeople(t testing.TB) anchorPeople {
	return anchorPeople{
		clerk:    fakestub.NewIdentity(t, "RegistryMSP", "rita", spec.RoleClerk),
		approver: fakestub.NewIdentity(t, "TreasuryMSP", "tom", spec.RoleApprover),
		admin:    fakestub.NewIdentity(t, "CouncilMSP", "carl", spec.RoleAdmin),
		noRole:   fakestub.NewIdentity(t, "RegistryMSP", "nora", ""),
		other:    fakestub.NewIdentity(t, "RegistryMSP", "oscar", "superuser"),
	}
}

func anchorJSON(t testing.TB, root string, size uint64, label string) string {
	t.Helper()
	return contracttest.JSONWith(t, map[string]any{"root": root, "size": size, "label": label}, nil)
}

func TestAnchorsAnchor(t *testing.T) {
	anchors := anchors.New()
	p := newAnchorPeople(t)

	t.Run("a clerk anchors a root with its size and label", func(t *testing.T) {
		stub := fakestub.New()
		stub.SetTxID("tx-anchor")
		a, err := anchors.Anchor(contracttest.TxAs(stub, p.clerk), anchorJSON(t, anchorRootA, 20000, "  convocations of March  "))
		require.NoError(t, err)
		want := &records.Anchor{
			Root: anchorRootA, Size: 20000, Label: "convocations of March", AnchoredBy: "RegistryMSP",
			AnchoredAt: "2024-01-02T03:04:05Z", TxID: "tx-anchor",
		}
		require.Equal(t, want, a)
		got, err := anchors.Get(contracttest.TxAs(stub, p.approver), anchorRootA)
		require.NoError(t, err)
		require.Equal(t, want, got)
		require.Equal(t, []string{contracttest.MustKey(t, stub, state.TypeAnchor, anchorRootA)}, stub.Keys())
	})

	t.Run("approvers and admins may anchor too and the label is optional", func(t *testing.T) {
		stub := fakestub.New()
		for root, tc := range map[string]struct {
			id  fakestub.Identity
			msp string
		}{anchorRootA: {p.approver, "TreasuryMSP"}, anchorRootB: {p.admin, "CouncilMSP"}} {
			a, err := anchors.Anchor(contracttest.TxAs(stub, tc.id), `{"root":"`+root+`","size":1}`)
			require.NoError(t, err)
			require.Equal(t, tc.msp, a.AnchoredBy)
			require.Empty(t, a.Label)
		}
	})

	t.Run("the anchor is announced by one event carrying the record", func(t *testing.T) {
		stub := fakestub.New()
		a, err := anchors.Anchor(contracttest.TxAs(stub, p.clerk), anchorJSON(t, anchorRootA, 7, ""))
		require.NoError(t, err)
		require.Len(t, stub.Events(), 1)
		ev := contracttest.LastEvent(t, stub)
		require.Equal(t, spec.EventAnchorRecorded, ev.Name)
		var got records.Anchor
		require.NoError(t, json.Unmarshal(ev.Payload, &got))
		require.Equal(t, *a, got)
	})

	t.Run("a root anchored before is refused as already existing and nothing changes", func(t *testing.T) {
		stub := fakestub.New()
		_, err := anchors.Anchor(contracttest.TxAs(stub, p.clerk), anchorJSON(t, anchorRootA, 5, "first"))
		require.NoError(t, err)
		before := contracttest.Snapshot(stub)
		_, err = anchors.Anchor(contracttest.TxAs(stub, p.admin), anchorJSON(t, anchorRootA, 5, "again"))
		contracttest.RequireCode(t, base.CodeAlreadyExists, err)
		require.ErrorIs(t, err, base.ErrAlreadyExists)
		require.Contains(t, err.Error(), "size 5, by RegistryMSP")
		contracttest.RequireUnchanged(t, stub, before)
	})

	t.Run("callers without the role clerk, approver or admin are refused", func(t *testing.T) {
		for name, id := range map[string]fakestub.Identity{"a caller without a role": p.noRole, "a caller of unknown role": p.other} {
			t.Run(name, func(t *testing.T) {
				stub := fakestub.New()
				_, err := anchors.Anchor(contracttest.TxAs(stub, id), anchorJSON(t, anchorRootA, 1, ""))
				contracttest.RequireCode(t, base.CodePermissionDenied, err)
				require.Empty(t, stub.Keys())
			})
		}
	})

	t.Run("malformed inputs are refused as invalid arguments naming the problem", func(t *testing.T) {
		for name, tc := range map[string]struct{ input, want string }{
			"a short root":             {`{"root":"abcd","size":1}`, "64 hex digits (a sha-256), in either case"},
			"a missing root":           {`{"size":1}`, "root is required"},
			"a zero size":              {`{"root":"` + anchorRootA + `","size":0}`, "size is required"},
			"a missing size":           {`{"root":"` + anchorRootA + `"}`, "size is required"},
			"a negative size":          {`{"root":"` + anchorRootA + `","size":-1}`, "size"},
			"a size above the cap":     {`{"root":"` + anchorRootA + `","size":1048577}`, "size 1048577 is too large: a tree has at most 1048576 leaves"},
			"a fractional size":        {`{"root":"` + anchorRootA + `","size":1.5}`, "size"},
			"an over-long label":       {anchorJSON(t, anchorRootA, 1, strings.Repeat("é", 201)), "label is too long: 201 characters, at most 200"},
			"a label with a control":   {anchorJSON(t, anchorRootA, 1, "a\u0007b"), "control characters"},
			"an unknown field":         {`{"root":"` + anchorRootA + `","size":1,"depth":3}`, `unknown field "depth"`},
			"a field named in capital": {`{"Root":"` + anchorRootA + `","size":1}`, `unknown field "Root"`},
			"not json":                 {`root`, "anchor"},
			"an empty input":           {``, "anchor is required"},
		} {
			t.Run(name, func(t *testing.T) {
				stub := fakestub.New()
				_, err := anchors.Anchor(contracttest.TxAs(stub, p.clerk), tc.input)
				contracttest.RequireCode(t, base.CodeInvalidArgument, err)
				require.ErrorContains(t, err, tc.want)
				require.Empty(t, stub.Keys())
				require.Empty(t, stub.Events())
			})
		}
	})

	t.Run("the largest batch the merkle package allows is accepted", func(t *testing.T) {
		a, err := anchors.Anchor(contracttest.TxAs(fakestub.New(), p.clerk), anchorJSON(t, anchorRootA, 1<<20, ""))
		require.NoError(t, err)
		require.EqualValues(t, spec.MaxAnchorSize, a.Size)
	})
}

func TestAnchorsGet(t *testing.T) {
	anchors := anchors.New()
	p := newAnchorPeople(t)
	stub := fakestub.New()
	_, err := anchors.Anchor(contracttest.TxAs(stub, p.clerk), anchorJSON(t, anchorRootA, 3, ""))
	require.NoError(t, err)

	t.Run("a root never anchored is not found", func(t *testing.T) {
		_, err := anchors.Get(contracttest.TxAs(stub, p.approver), anchorRootB)
		contracttest.RequireCode(t, base.CodeNotFound, err)
		require.ErrorContains(t, err, "root "+anchorRootB+" is not anchored")
	})

	t.Run("a malformed root is an invalid argument", func(t *testing.T) {
		for _, root := range []string{"", "xyz", anchorRootA + "00"} {
			_, err := anchors.Get(contracttest.TxAs(stub, p.approver), root)
			contracttest.RequireCode(t, base.CodeInvalidArgument, err)
		}
	})

	t.Run("an upper-case root is anchored and found in lower case", func(t *testing.T) {
		up := fakestub.New()
		a, err := anchors.Anchor(contracttest.TxAs(up, p.clerk), anchorJSON(t, strings.ToUpper(anchorRootB), 2, ""))
		require.NoError(t, err)
		require.Equal(t, anchorRootB, a.Root)
		got, err := anchors.Get(contracttest.TxAs(up, p.approver), strings.ToUpper(anchorRootB))
		require.NoError(t, err)
		require.Equal(t, anchorRootB, got.Root)
	})

	t.Run("a failed read is internal, never not found", func(t *testing.T) {
		broken := fakestub.New()
		broken.GetStateErr = errors.New("disk failure")
		_, err := anchors.Get(contracttest.TxAs(broken, p.approver), anchorRootA)
		contracttest.RequireCode(t, base.CodeInternal, err)
	})
}

func TestAnchorsChaincode(t *testing.T) {
	p := newAnchorPeople(t)
	cc := contracttest.NewChaincode(t, fakestub.New(), anchors.New())

	t.Run("Anchor and Get are reachable by name and return json", func(t *testing.T) {
		out := cc.OK(t, p.clerk, "Anchors:Anchor", anchorJSON(t, anchorRootA, 2, "x"))
		require.JSONEq(t, `{"root":"`+anchorRootA+`","size":2,"label":"x","anchoredBy":"RegistryMSP",
			"anchoredAt":"2024-01-02T03:04:05Z","txId":"tx1"}`, out)
		require.JSONEq(t, out, cc.OK(t, p.approver, "Anchors:Get", anchorRootA))
	})

	t.Run("refusals reach the client with their code prefix", func(t *testing.T) {
		cc.RequireRefusals(t, map[string]contracttest.Refusal{
			"a duplicate root":  {ID: p.admin, Fn: "Anchors:Anchor", Args: []string{anchorJSON(t, anchorRootA, 2, "")}, Code: base.CodeAlreadyExists},
			"an unknown root":   {ID: p.clerk, Fn: "Anchors:Get", Args: []string{anchorRootB}, Code: base.CodeNotFound},
			"a malformed root":  {ID: p.clerk, Fn: "Anchors:Get", Args: []string{"nothex"}, Code: base.CodeInvalidArgument},
			"a caller no role":  {ID: p.noRole, Fn: "Anchors:Anchor", Args: []string{anchorJSON(t, anchorRootB, 2, "")}, Code: base.CodePermissionDenied},
			"an oversized tree": {ID: p.clerk, Fn: "Anchors:Anchor", Args: []string{anchorJSON(t, anchorRootB, 1<<20+1, "")}, Code: base.CodeInvalidArgument},
		})
	})

	t.Run("Get is marked evaluate and Anchor submit in the metadata", func(t *testing.T) {
		cc.RequireTxKinds(t, spec.AnchorsContract, []string{"Anchor"}, []string{"Get"})
	})
}
