package permissions_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/civicledger/civicledger/chaincode/contracts/base"
	"github.com/civicledger/civicledger/chaincode/contracts/internal/contracttest"
	"github.com/civicledger/civicledger/chaincode/internal/fakestub"
	"github.com/civicledger/civicledger/chaincode/records"
	"github.com/civicledger/civicledger/chaincode/spec"
)

func TestPermissionCheck(t *testing.T) {
	a := newPermActors(t)
	// check asks as a caller without a role: anyone on the channel may.
	check := func(t *testing.T, stub *fakestub.Stub, grantee, category, subject string) *records.PermissionCheck {
		t.Helper()
		res, err := permContract.Check(contracttest.TxContext(stub.As(a.noRole)), "RegistryMSP", grantee, category, subject)
		require.NoError(t, err)
		return res
	}

	t.Run("an active permission for every subject allows any subject and the question for all", func(t *testing.T) {
		stub := a.permActive(t, nil)
		for _, subject := range []string{permSubjectA, permSubjectB, ""} {
			require.Equal(t, &records.PermissionCheck{Allowed: true, PermissionID: "p-1", Reason: spec.ReasonCovered},
				check(t, stub, "TreasuryMSP", "tax-income", subject))
		}
	})

	t.Run("a permission for one subject allows that subject only", func(t *testing.T) {
		stub := a.permActive(t, map[string]any{"subjectRef": permSubjectA})
		require.True(t, check(t, stub, "TreasuryMSP", "tax-income", permSubjectA).Allowed)
		for _, subject := range []string{permSubjectB, ""} {
			require.Equal(t, &records.PermissionCheck{Reason: spec.ReasonSubjectNotCovered},
				check(t, stub, "TreasuryMSP", "tax-income", subject))
		}
	})

	t.Run("without a matching permission the answer is no such permission", func(t *testing.T) {
		stub := a.permActive(t, nil)
		for name, args := range map[string][2]string{
			"another grantee":    {"CouncilMSP", "tax-income"},
			"another category":   {"TreasuryMSP", "civil-status"},
			"an unknown grantee": {"NobodyMSP", "tax-income"},
		} {
			t.Run(name, func(t *testing.T) {
				require.Equal(t, &records.PermissionCheck{Reason: spec.ReasonNoSuchPermission},
					check(t, stub, args[0], args[1], permSubjectA))
			})
		}
	})

	t.Run("a permission that does not allow it now is named with the reason", func(t *testing.T) {
		for name, tc := range map[string]struct {
			accept bool
			revoke bool
			at     time.Time
			reason string
		}{
			"an offer not accepted":    {false, false, fakestub.DefaultTxTime, spec.ReasonNotAccepted},
			"a revoked permission":     {true, true, fakestub.DefaultTxTime, spec.ReasonRevoked},
			"before the window":        {true, false, time.Date(2023, 12, 31, 23, 59, 59, 0, time.UTC), spec.ReasonOutsideWindow},
			"at the end of the window": {true, false, time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), spec.ReasonOutsideWindow},
		} {
			t.Run(name, func(t *testing.T) {
				stub := a.ledger(t)
				permOffer(t, stub, a.regApprover, nil)
				if tc.accept {
					permAccept(t, stub, a.trApprover, "p-1")
				}
				if tc.revoke {
					_, err := permContract.Revoke(contracttest.TxContext(stub.As(a.regApprover)), "RegistryMSP", "p-1", "ended")
					require.NoError(t, err)
				}
				permAt(stub, tc.at, "check")
				require.Equal(t, &records.PermissionCheck{PermissionID: "p-1", Reason: tc.reason},
					check(t, stub, "TreasuryMSP", "tax-income", permSubjectA))
			})
		}
	})

	t.Run("any one valid permission among several allows it", func(t *testing.T) {
		stub := a.permActive(t, nil)
		_, err := permContract.Revoke(contracttest.TxContext(stub.As(a.regApprover)), "RegistryMSP", "p-1", "replaced")
		require.NoError(t, err)
		permOffer(t, stub, a.regApprover, map[string]any{"id": "p-0", "subjectRef": permSubjectB})
		permAccept(t, stub, a.trApprover, "p-0")
		permOffer(t, stub, a.regApprover, map[string]any{"id": "p-2"})
		permAccept(t, stub, a.trApprover, "p-2")

		res := check(t, stub, "TreasuryMSP", "tax-income", permSubjectA)
		require.Equal(t, &records.PermissionCheck{Allowed: true, PermissionID: "p-2", Reason: spec.ReasonCovered}, res)
	})

	t.Run("a defect of a permission for another subject is not reported as the reason", func(t *testing.T) {
		stub := a.ledger(t)
		permOffer(t, stub, a.regApprover, map[string]any{"id": "p-0", "subjectRef": permSubjectB})
		permOffer(t, stub, a.regApprover, map[string]any{"id": "p-1", "subjectRef": permSubjectA})
		permAccept(t, stub, a.trApprover, "p-1")
		_, err := permContract.Revoke(contracttest.TxContext(stub.As(a.regApprover)), "RegistryMSP", "p-1", "ended")
		require.NoError(t, err)
		require.Equal(t, &records.PermissionCheck{PermissionID: "p-1", Reason: spec.ReasonRevoked},
			check(t, stub, "TreasuryMSP", "tax-income", permSubjectA))
	})

	t.Run("malformed questions are refused", func(t *testing.T) {
		stub := a.permActive(t, nil)
		for name, args := range map[string][4]string{
			"an empty owner":       {"", "TreasuryMSP", "tax-income", ""},
			"a malformed grantee":  {"RegistryMSP", "Treasury MSP", "tax-income", ""},
			"an empty category":    {"RegistryMSP", "TreasuryMSP", "", ""},
			"a malformed category": {"RegistryMSP", "TreasuryMSP", "TAX", ""},
			"a malformed subject":  {"RegistryMSP", "TreasuryMSP", "tax-income", "abc"},
		} {
			t.Run(name, func(t *testing.T) {
				_, err := permContract.Check(contracttest.TxContext(stub), args[0], args[1], args[2], args[3])
				contracttest.RequireCode(t, base.CodeInvalidArgument, err)
			})
		}
	})

	t.Run("corrupt entries are internal errors, never a denial", func(t *testing.T) {
		for name, corrupt := range map[string]func(*testing.T, *fakestub.Stub){
			"a permission that is not json": func(t *testing.T, s *fakestub.Stub) {
				require.NoError(t, s.PutState(permKey(t, s, "RegistryMSP", "p-1"), []byte("{")))
			},
			"a permission with a corrupt time": func(t *testing.T, s *fakestub.Stub) {
				raw, err := s.GetState(permKey(t, s, "RegistryMSP", "p-1"))
				require.NoError(t, err)
				raw = []byte(strings.Replace(string(raw), "2025-01-01T00:00:00Z", "soon", 1))
				require.NoError(t, s.PutState(permKey(t, s, "RegistryMSP", "p-1"), raw))
			},
			"an index entry without its permission": func(t *testing.T, s *fakestub.Stub) {
				require.NoError(t, s.DelState(permKey(t, s, "RegistryMSP", "p-1")))
			},
		} {
			t.Run(name, func(t *testing.T) {
				stub := a.permActive(t, nil)
				corrupt(t, stub)
				_, err := permContract.Check(contracttest.TxContext(stub), "RegistryMSP", "TreasuryMSP", "tax-income", permSubjectA)
				contracttest.RequireCode(t, base.CodeInternal, err)
			})
		}
	})

	t.Run("ledger failures surface as internal errors, never as a denial", func(t *testing.T) {
		for name, fail := range map[string]func(*fakestub.Stub){
			"a failing read":     func(s *fakestub.Stub) { s.GetStateErr = errors.New("disk on fire") },
			"a failing range":    func(s *fakestub.Stub) { s.RangeErr = errors.New("disk on fire") },
			"a failing iterator": func(s *fakestub.Stub) { s.NextErr = errors.New("disk on fire") },
		} {
			t.Run(name, func(t *testing.T) {
				stub := a.permActive(t, nil)
				fail(stub)
				_, err := permContract.Check(contracttest.TxContext(stub), "RegistryMSP", "TreasuryMSP", "tax-income", permSubjectA)
				contracttest.RequireCode(t, base.CodeInternal, err)
				require.Zero(t, stub.OpenIterators())
			})
		}
	})
}
