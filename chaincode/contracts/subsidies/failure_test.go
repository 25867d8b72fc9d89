package subsidies_test

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/civicledger/civicledger/chaincode/contracts/base"
	"github.com/civicledger/civicledger/chaincode/contracts/internal/contracttest"
	"github.com/civicledger/civicledger/chaincode/internal/fakestub"
	"github.com/civicledger/civicledger/chaincode/spec"
)

// subsidyTxs runs each subsidy transaction on a world prepared by
// failureWorld: P1 (de minimis), G1 approved, G2 proposed.
var subsidyTxs = map[string]func(w *subsidyWorld) (any, error){
	"CreateProgramme": func(w *subsidyWorld) (any, error) {
		return w.sc.CreateProgramme(w.as(subsidyRegistry, spec.RoleAdmin), subsidyProgrammeInput(w.t, map[string]any{"id": "P9"}))
	},
	"ProposeGrant": func(w *subsidyWorld) (any, error) {
		return w.sc.ProposeGrant(w.as(subsidyRegistry, spec.RoleClerk), subsidyGrantInput(w.t, map[string]any{"grantId": "G9"}))
	},
	"ApproveGrant": func(w *subsidyWorld) (any, error) {
		return w.sc.ApproveGrant(w.as(subsidyTreasury, spec.RoleApprover), subsidyRegistry, "G2")
	},
	"RejectGrant": func(w *subsidyWorld) (any, error) {
		return w.sc.RejectGrant(w.as(subsidyTreasury, spec.RoleApprover), subsidyRegistry, "G2", "no")
	},
	"RecordPayment": func(w *subsidyWorld) (any, error) {
		return w.sc.RecordPayment(w.as(subsidyRegistry, spec.RoleClerk), subsidyRegistry, "G1", `{"paymentId":"X","amount":1}`)
	},
	"GetProgramme": func(w *subsidyWorld) (any, error) {
		return w.sc.GetProgramme(w.as(subsidyCouncil, ""), subsidyRegistry, "P1")
	},
	"GetGrant": func(w *subsidyWorld) (any, error) {
		return w.sc.GetGrant(w.as(subsidyCouncil, ""), subsidyRegistry, "G1")
	},
	"ListGrants": func(w *subsidyWorld) (any, error) {
		return w.sc.ListGrants(w.as(subsidyCouncil, ""), subsidyRegistry, "P1", "10", "")
	},
	"AidReceived": func(w *subsidyWorld) (any, error) {
		return w.sc.AidReceived(w.as(subsidyCouncil, ""), "FR123")
	},
}

var subsidyWriteTxs = []string{"CreateProgramme", "ProposeGrant", "ApproveGrant", "RejectGrant", "RecordPayment"}

func failureWorld(t *testing.T) *subsidyWorld {
	w := newSubsidyWorld(t)
	w.programme(subsidyRegistry, "P1", 100_000_000, true)
	w.award(subsidyRegistry, "P1", "G1", "FR123", 1_000)
	w.propose(subsidyRegistry, "P1", "G2", "FR123", 1_000)
	_, err := w.pay(spec.RoleClerk, "G1", "PAY0", 1)
	require.NoError(t, err)
	return w
}

func TestSubsidiesLedgerFailures(t *testing.T) {
	boom := errors.New("boom")

	t.Run("the prepared transactions succeed on a healthy ledger", func(t *testing.T) {
		for name, tx := range subsidyTxs {
			_, err := tx(failureWorld(t))
			require.NoError(t, err, name)
		}
	})

	t.Run("a failed read is an internal error with its cause, never not found", func(t *testing.T) {
		for name, tx := range subsidyTxs {
			if name == "AidReceived" {
				continue // reads one range only, tested below
			}
			t.Run(name, func(t *testing.T) {
				w := failureWorld(t)
				w.stub.GetStateErr = boom
				before := w.snapshot()
				v, err := tx(w)
				contracttest.RequireCode(t, base.CodeInternal, err)
				require.ErrorIs(t, err, boom)
				require.Nil(t, v)
				w.requireUnchanged(before)
			})
		}
	})

	t.Run("a failed range read is an internal error", func(t *testing.T) {
		for _, name := range []string{"ApproveGrant", "GetGrant", "ListGrants", "AidReceived"} {
			for what, fail := range map[string]func(*fakestub.Stub){
				"on query": func(s *fakestub.Stub) { s.RangeErr = boom },
				"on next":  func(s *fakestub.Stub) { s.NextErr = boom },
			} {
				t.Run(name+" "+what, func(t *testing.T) {
					w := failureWorld(t)
					fail(w.stub)
					_, err := subsidyTxs[name](w)
					contracttest.RequireCode(t, base.CodeInternal, err)
					require.ErrorIs(t, err, boom)
					require.Zero(t, w.stub.OpenIterators())
				})
			}
		}
	})

	t.Run("a failed write or event is an internal error and nothing is returned", func(t *testing.T) {
		for _, name := range subsidyWriteTxs {
			for what, fail := range map[string]func(*fakestub.Stub){
				"write": func(s *fakestub.Stub) { s.PutStateErr = boom },
				"event": func(s *fakestub.Stub) { s.SetEventErr = boom },
			} {
				t.Run(name+" "+what, func(t *testing.T) {
					w := failureWorld(t)
					fail(w.stub)
					v, err := subsidyTxs[name](w)
					contracttest.RequireCode(t, base.CodeInternal, err)
					require.ErrorIs(t, err, boom)
					require.Nil(t, v)
				})
			}
		}
	})

	t.Run("a missing transaction timestamp is an internal error", func(t *testing.T) {
		for _, name := range append([]string{"AidReceived"}, subsidyWriteTxs...) {
			w := failureWorld(t)
			w.stub.TxTimestampErr = boom
			before := w.snapshot()
			_, err := subsidyTxs[name](w)
			contracttest.RequireCode(t, base.CodeInternal, err)
			w.requireUnchanged(before)
		}
	})

	t.Run("an unreadable caller identity is refused", func(t *testing.T) {
		for _, name := range subsidyWriteTxs {
			w := failureWorld(t)
			w.stub.CreatorErr = boom
			_, err := subsidyTxs[name](w)
			contracttest.RequireCode(t, base.CodePermissionDenied, err)
		}
	})

	t.Run("a corrupt stored grant is an internal error", func(t *testing.T) {
		w := failureWorld(t)
		for _, g := range []string{"G1", "G2"} {
			require.NoError(t, w.stub.PutState(contracttest.MustKey(t, w.stub, "subsidy.grant", subsidyRegistry, "P1", g), []byte("{")))
		}
		for _, name := range []string{"ApproveGrant", "RejectGrant", "RecordPayment", "GetGrant", "ListGrants"} {
			_, err := subsidyTxs[name](w)
			require.Error(t, err, name)
			contracttest.RequireCode(t, base.CodeInternal, err)
		}
	})
}
