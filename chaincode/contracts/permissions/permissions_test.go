package permissions_test

import (
	"encoding/json"
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

func TestPermissionAccept(t *testing.T) {
	a := newPermActors(t)

	t.Run("an approver of the grantee accepts the offer, which becomes active", func(t *testing.T) {
		stub := a.ledger(t)
		permOffer(t, stub, a.regApprover, nil)
		permAt(stub, fakestub.DefaultTxTime.Add(time.Hour), "accept")
		p := permAccept(t, stub, a.trApprover, "p-1")
		require.Equal(t, spec.PermissionActive, p.Status)
		require.Equal(t, "2024-01-02T04:04:05Z", p.AcceptedAt)
		require.Equal(t, a.trApprover.ID, p.AcceptedBy)
		got, err := permContract.Get(contracttest.TxContext(stub), "RegistryMSP", "p-1")
		require.NoError(t, err)
		require.Equal(t, p, got)

		ev := contracttest.LastEvent(t, stub)
		require.Equal(t, spec.EventPermissionAccepted, ev.Name)
		var fromEvent records.Permission
		require.NoError(t, json.Unmarshal(ev.Payload, &fromEvent))
		require.Equal(t, *p, fromEvent)
	})

	t.Run("acceptance writes the permission key alone so that only its key policy applies", func(t *testing.T) {
		stub := a.ledger(t)
		permOffer(t, stub, a.regApprover, nil)
		permAt(stub, fakestub.DefaultTxTime, "accept")
		permAccept(t, stub, a.trAdmin, "p-1")
		require.Equal(t, []string{permKey(t, stub, "RegistryMSP", "p-1")}, permWrittenBy(t, stub, "accept"))
	})

	t.Run("an admin of the grantee may accept too", func(t *testing.T) {
		stub := a.ledger(t)
		permOffer(t, stub, a.regApprover, nil)
		require.Equal(t, a.trAdmin.ID, permAccept(t, stub, a.trAdmin, "p-1").AcceptedBy)
	})

	t.Run("anyone but an approver or admin of the grantee is refused and the offer stays", func(t *testing.T) {
		for name, id := range map[string]fakestub.Identity{
			"a clerk of the grantee":                 a.trClerk,
			"a caller of the grantee without a role": a.noRole,
			"a caller of the grantee of odd role":    a.oddRole,
			"an approver of a third administration":  a.coApprover,
			"an admin of a third administration":     a.coAdmin,
			"the owner accepting its own offer":      a.regApprover,
			"an admin of the owner":                  a.regAdmin,
		} {
			t.Run(name, func(t *testing.T) {
				stub := a.ledger(t)
				permOffer(t, stub, a.regApprover, nil)
				before := contracttest.Snapshot(stub)
				_, err := permContract.Accept(contracttest.TxContext(stub.As(id)), "RegistryMSP", "p-1")
				contracttest.RequireCode(t, base.CodePermissionDenied, err)
				contracttest.RequireUnchanged(t, stub, before)
			})
		}
	})

	t.Run("only an offered permission within its window can be accepted", func(t *testing.T) {
		for name, tc := range map[string]struct {
			prepare func(*fakestub.Stub)
			code    base.Code
		}{
			"an active one": {func(s *fakestub.Stub) { permAccept(t, s, a.trApprover, "p-1") }, base.CodeFailedPrecondition},
			"a revoked offer": {func(s *fakestub.Stub) {
				_, err := permContract.Revoke(contracttest.TxContext(s.As(a.regApprover)), "RegistryMSP", "p-1", "withdrawn")
				require.NoError(t, err)
			}, base.CodeFailedPrecondition},
			"an offer whose window has ended": {func(s *fakestub.Stub) {
				permAt(s, time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), "late")
			}, base.CodeFailedPrecondition},
		} {
			t.Run(name, func(t *testing.T) {
				stub := a.ledger(t)
				permOffer(t, stub, a.regApprover, nil)
				tc.prepare(stub)
				before := contracttest.Snapshot(stub)
				_, err := permContract.Accept(contracttest.TxContext(stub.As(a.trApprover)), "RegistryMSP", "p-1")
				contracttest.RequireCode(t, tc.code, err)
				contracttest.RequireUnchanged(t, stub, before)
			})
		}
	})

	t.Run("an offer can be accepted before its window opens", func(t *testing.T) {
		stub := a.ledger(t)
		permOffer(t, stub, a.regApprover, map[string]any{"validFrom": "2024-06-01T00:00:00Z"})
		require.Equal(t, spec.PermissionActive, permAccept(t, stub, a.trApprover, "p-1").Status)
	})

	t.Run("malformed or unknown permissions are refused", func(t *testing.T) {
		stub := a.ledger(t)
		permOffer(t, stub, a.regApprover, nil)
		for name, tc := range map[string]struct {
			owner, id string
			code      base.Code
		}{
			"an empty owner":            {"", "p-1", base.CodeInvalidArgument},
			"a malformed owner":         {"Registry MSP", "p-1", base.CodeInvalidArgument},
			"an empty id":               {"RegistryMSP", "", base.CodeInvalidArgument},
			"a malformed id":            {"RegistryMSP", "p/1", base.CodeInvalidArgument},
			"an unknown id":             {"RegistryMSP", "p-2", base.CodeNotFound},
			"the id of the wrong owner": {"CouncilMSP", "p-1", base.CodeNotFound},
		} {
			t.Run(name, func(t *testing.T) {
				_, err := permContract.Accept(contracttest.TxContext(stub.As(a.trApprover)), tc.owner, tc.id)
				contracttest.RequireCode(t, tc.code, err)
			})
		}
	})

	t.Run("ledger failures surface as internal errors", func(t *testing.T) {
		for name, fail := range map[string]func(*fakestub.Stub){
			"a failing read":         func(s *fakestub.Stub) { s.GetStateErr = errors.New("disk on fire") },
			"a failing member range": func(s *fakestub.Stub) { contracttest.DropMemberList(t, s); s.RangeErr = errors.New("disk on fire") },
			"a failing write":        func(s *fakestub.Stub) { s.PutStateErr = errors.New("disk on fire") },
			"a failing event":        func(s *fakestub.Stub) { s.SetEventErr = errors.New("no events") },
		} {
			t.Run(name, func(t *testing.T) {
				stub := a.ledger(t)
				permOffer(t, stub, a.regApprover, nil)
				fail(stub)
				_, err := permContract.Accept(contracttest.TxContext(stub.As(a.trApprover)), "RegistryMSP", "p-1")
				contracttest.RequireCode(t, base.CodeInternal, err)
			})
		}
	})
}

func TestPermissionRevoke(t *testing.T) {
	a := newPermActors(t)

	t.Run("the owner revokes an active permission with a reason, without the grantee", func(t *testing.T) {
		stub := a.permActive(t, nil)
		permAt(stub, fakestub.DefaultTxTime.Add(24*time.Hour), "revoke")
		p, err := permContract.Revoke(contracttest.TxContext(stub.As(a.regApprover)), "RegistryMSP", "p-1", "  purpose fulfilled ")
		require.NoError(t, err)
		require.Equal(t, spec.PermissionRevoked, p.Status)
		require.Equal(t, "purpose fulfilled", p.RevokeReason)
		require.Equal(t, "2024-01-03T03:04:05Z", p.RevokedAt)
		require.Equal(t, a.regApprover.ID, p.RevokedBy)
		require.Equal(t, a.trApprover.ID, p.AcceptedBy, "the acceptance stays on record")
		require.Equal(t, []string{permKey(t, stub, "RegistryMSP", "p-1")}, permWrittenBy(t, stub, "revoke"))

		ev := contracttest.LastEvent(t, stub)
		require.Equal(t, spec.EventPermissionRevoked, ev.Name)
		var fromEvent records.Permission
		require.NoError(t, json.Unmarshal(ev.Payload, &fromEvent))
		require.Equal(t, *p, fromEvent)
	})

	t.Run("an admin of the owner may withdraw an offer before acceptance", func(t *testing.T) {
		stub := a.ledger(t)
		permOffer(t, stub, a.regApprover, nil)
		p, err := permContract.Revoke(contracttest.TxContext(stub.As(a.regAdmin)), "RegistryMSP", "p-1", "sent by mistake")
		require.NoError(t, err)
		require.Equal(t, spec.PermissionRevoked, p.Status)
		require.Empty(t, p.AcceptedAt)
	})

	t.Run("nobody but an approver or admin of the owner may revoke", func(t *testing.T) {
		for name, id := range map[string]fakestub.Identity{
			"the grantee's approver":                a.trApprover,
			"the grantee's admin":                   a.trAdmin,
			"an approver of a third administration": a.coApprover,
			"a clerk of the owner":                  a.regClerk,
		} {
			t.Run(name, func(t *testing.T) {
				stub := a.permActive(t, nil)
				before := contracttest.Snapshot(stub)
				_, err := permContract.Revoke(contracttest.TxContext(stub.As(id)), "RegistryMSP", "p-1", "no longer needed")
				contracttest.RequireCode(t, base.CodePermissionDenied, err)
				contracttest.RequireUnchanged(t, stub, before)
			})
		}
	})

	t.Run("invalid, unknown or already revoked permissions are refused", func(t *testing.T) {
		for name, tc := range map[string]struct {
			owner, id, reason string
			code              base.Code
		}{
			"a blank reason":               {"RegistryMSP", "p-1", "  ", base.CodeInvalidArgument},
			"a reason over 500 characters": {"RegistryMSP", "p-1", strings.Repeat("r", 501), base.CodeInvalidArgument},
			"a reason with a newline":      {"RegistryMSP", "p-1", "a\nb", base.CodeInvalidArgument},
			"a malformed owner":            {"", "p-1", "x", base.CodeInvalidArgument},
			"a malformed id":               {"RegistryMSP", "", "x", base.CodeInvalidArgument},
			"an unknown id":                {"RegistryMSP", "p-9", "x", base.CodeNotFound},
		} {
			t.Run(name, func(t *testing.T) {
				stub := a.permActive(t, nil)
				before := contracttest.Snapshot(stub)
				_, err := permContract.Revoke(contracttest.TxContext(stub.As(a.regApprover)), tc.owner, tc.id, tc.reason)
				contracttest.RequireCode(t, tc.code, err)
				contracttest.RequireUnchanged(t, stub, before)
			})
		}

		t.Run("a second revocation", func(t *testing.T) {
			stub := a.permActive(t, nil)
			_, err := permContract.Revoke(contracttest.TxContext(stub.As(a.regApprover)), "RegistryMSP", "p-1", "first")
			require.NoError(t, err)
			before := contracttest.Snapshot(stub)
			_, err = permContract.Revoke(contracttest.TxContext(stub.As(a.regApprover)), "RegistryMSP", "p-1", "second")
			contracttest.RequireCode(t, base.CodeFailedPrecondition, err)
			contracttest.RequireUnchanged(t, stub, before)
		})
	})

	t.Run("ledger failures surface as internal errors", func(t *testing.T) {
		for name, fail := range map[string]func(*fakestub.Stub){
			"a failing read":  func(s *fakestub.Stub) { s.GetStateErr = errors.New("disk on fire") },
			"a failing write": func(s *fakestub.Stub) { s.PutStateErr = errors.New("disk on fire") },
			"a failing event": func(s *fakestub.Stub) { s.SetEventErr = errors.New("no events") },
		} {
			t.Run(name, func(t *testing.T) {
				stub := a.permActive(t, nil)
				fail(stub)
				_, err := permContract.Revoke(contracttest.TxContext(stub.As(a.regApprover)), "RegistryMSP", "p-1", "x")
				contracttest.RequireCode(t, base.CodeInternal, err)
			})
		}
	})
}
