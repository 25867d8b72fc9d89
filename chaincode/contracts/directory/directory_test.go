package directory_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/civicledger/civicledger/chaincode/contracts/base"
	"github.com/civicledger/civicledger/chaincode/contracts/directory"
	"github.com/civicledger/civicledger/chaincode/contracts/internal/contracttest"
	"github.com/civicledger/civicledger/chaincode/internal/fakestub"
	"github.com/civicledger/civicledger/chaincode/records"
	"github.com/civicledger/civicledger/chaincode/spec"
	"github.com/civicledger/civicledger/chaincode/state"
)

func TestSetProfile(t *testing.T) {
	dir := directory.New()
	admin := fakestub.NewIdentity(t, "RegistryMSP", "alice", spec.RoleAdmin)

	t.Run("an admin publishes the profile of its own administration", func(t *testing.T) {
		stub := fakestub.New()
		p := contracttest.SetProfile(t, stub, admin, "Registry of Certified Documents", "agency", "registry@example.org")
		want := &records.Profile{
			MSPID: "RegistryMSP", DisplayName: "Registry of Certified Documents", Kind: "agency",
			Contact: "registry@example.org", UpdatedAt: "2024-01-02T03:04:05Z", UpdatedBy: admin.ID,
		}
		require.Equal(t, want, p)
		got, err := dir.GetProfile(contracttest.TxContext(stub), "RegistryMSP")
		require.NoError(t, err)
		require.Equal(t, want, got)
	})

	t.Run("callers who are not admins are refused and nothing is written", func(t *testing.T) {
		for name, role := range map[string]string{
			"a clerk":                  spec.RoleClerk,
			"an approver":              spec.RoleApprover,
			"a caller without a role":  "",
			"a caller of unknown role": "superuser",
		} {
			t.Run(name, func(t *testing.T) {
				stub := fakestub.New().As(fakestub.NewIdentity(t, "RegistryMSP", "bob", role))
				_, err := dir.SetProfile(contracttest.TxContext(stub), "Registry", "agency", "registry@example.org")
				contracttest.RequireCode(t, base.CodePermissionDenied, err)
				require.ErrorIs(t, err, base.ErrPermissionDenied)
				require.Empty(t, stub.Keys())
				require.Empty(t, stub.Events())
			})
		}
	})

	t.Run("invalid arguments are refused and nothing is written", func(t *testing.T) {
		long := strings.Repeat("a", 201)
		for name, args := range map[string][3]string{
			"an empty display name":                 {"", "agency", "x@example.org"},
			"a blank display name":                  {" \t ", "agency", "x@example.org"},
			"a display name over 200 characters":    {long, "agency", "x@example.org"},
			"a display name with a newline":         {"Registry\nof Documents", "agency", "x@example.org"},
			"a display name that is not utf-8":      {"Regis\xfftry", "agency", "x@example.org"},
			"an unknown kind":                       {"Registry", "school", "x@example.org"},
			"a kind in the wrong case":              {"Registry", "Agency", "x@example.org"},
			"an empty kind":                         {"Registry", "", "x@example.org"},
			"an empty contact":                      {"Registry", "agency", ""},
			"a blank contact":                       {"Registry", "agency", "   "},
			"a contact over 200 characters":         {"Registry", "agency", long},
			"an over-long kind quoted in the error": {"Registry", strings.Repeat("k", 1000), "x@example.org"},
		} {
			t.Run(name, func(t *testing.T) {
				stub := fakestub.New().As(admin)
				_, err := dir.SetProfile(contracttest.TxContext(stub), args[0], args[1], args[2])
				contracttest.RequireCode(t, base.CodeInvalidArgument, err)
				require.Less(t, len(err.Error()), 300, "message should not echo huge arguments")
				require.Empty(t, stub.Keys())
				require.Empty(t, stub.Events())
			})
		}
	})

	t.Run("boundary values and every kind are accepted", func(t *testing.T) {
		name200 := strings.Repeat("é", 200)
		contact200 := strings.Repeat("1", 200)
		for _, kind := range spec.ProfileKinds {
			p := contracttest.SetProfile(t, fakestub.New(), admin, name200, kind, contact200)
			require.Equal(t, name200, p.DisplayName)
			require.Equal(t, kind, p.Kind)
		}
	})

	t.Run("surrounding spaces are trimmed before storing", func(t *testing.T) {
		p := contracttest.SetProfile(t, fakestub.New(), admin, "  Registry  ", "agency", " +39 06 1234 ")
		require.Equal(t, "Registry", p.DisplayName)
		require.Equal(t, "+39 06 1234", p.Contact)
	})

	t.Run("the entry is keyed by the caller's msp so another administration writes its own", func(t *testing.T) {
		stub := fakestub.New()
		other := fakestub.NewIdentity(t, "TreasuryMSP", "carol", spec.RoleAdmin)
		contracttest.SetProfile(t, stub, admin, "Registry", "agency", "registry@example.org")
		p := contracttest.SetProfile(t, stub, other, "Registry (forged)", "ministry", "forger@example.org")
		require.Equal(t, "TreasuryMSP", p.MSPID)

		reg, err := dir.GetProfile(contracttest.TxContext(stub), "RegistryMSP")
		require.NoError(t, err)
		require.Equal(t, "Registry", reg.DisplayName)
		require.Equal(t, admin.ID, reg.UpdatedBy)
		require.Len(t, stub.Keys(), 3, "two profiles and the member list")
	})

	t.Run("a second call by the same administration replaces its profile", func(t *testing.T) {
		stub := fakestub.New()
		contracttest.SetProfile(t, stub, admin, "Registry", "agency", "old@example.org")
		contracttest.SetProfile(t, stub, admin, "Registry", "agency", "new@example.org")
		p, err := dir.GetProfile(contracttest.TxContext(stub), "RegistryMSP")
		require.NoError(t, err)
		require.Equal(t, "new@example.org", p.Contact)
		require.Len(t, stub.Keys(), 2, "one profile and the member list")
	})

	t.Run("the member list gains an administration at its first profile, not at a contact change", func(t *testing.T) {
		stub := fakestub.New()
		other := fakestub.NewIdentity(t, "TreasuryMSP", "carol", spec.RoleAdmin)
		contracttest.SetProfile(t, stub, admin, "Registry", "agency", "old@example.org")
		contracttest.SetProfile(t, stub, other, "Treasury", "ministry", "treasury@example.org")
		key, err := state.MembersKey(stub)
		require.NoError(t, err)
		raw, err := stub.GetState(key)
		require.NoError(t, err)
		require.JSONEq(t, `["RegistryMSP","TreasuryMSP"]`, string(raw))

		// A contact change does not touch the list, so it does not
		// invalidate a transaction that reads the members beside it (a
		// registration), as it did when the members were a range of
		// profiles.
		change, changeRW := contracttest.Recorded(stub.As(admin))
		_, err = directory.New().SetProfile(change, "Registry", "agency", "new@example.org")
		require.NoError(t, err)
		read, readRW := contracttest.Recorded(stub)
		members, err := base.MemberMSPs(read)
		require.NoError(t, err)
		require.Equal(t, []string{"RegistryMSP", "TreasuryMSP"}, members)
		require.False(t, changeRW.Conflicts(*readRW), "contact change %+v conflicts with reading the members %+v", *changeRW, *readRW)
	})

	t.Run("a profile set event carries the stored profile as payload", func(t *testing.T) {
		stub := fakestub.New()
		p := contracttest.SetProfile(t, stub, admin, "Registry", "agency", "registry@example.org")
		events := stub.Events()
		require.Len(t, events, 1)
		require.Equal(t, spec.EventProfileSet, events[0].Name)
		key, err := state.ProfileKey(stub, "RegistryMSP")
		require.NoError(t, err)
		stored, err := stub.GetState(key)
		require.NoError(t, err)
		require.JSONEq(t, string(stored), string(events[0].Payload))
		var fromEvent records.Profile
		require.NoError(t, json.Unmarshal(events[0].Payload, &fromEvent))
		require.Equal(t, *p, fromEvent)
	})

	t.Run("the update time is the transaction timestamp in utc, not the clock", func(t *testing.T) {
		stub := fakestub.New()
		rome := time.FixedZone("CET", 3600)
		stub.SetTxTime(timestamppb.New(time.Date(2030, 5, 6, 8, 8, 9, 500, rome)))
		p := contracttest.SetProfile(t, stub, admin, "Registry", "agency", "registry@example.org")
		require.Equal(t, "2030-05-06T07:08:09Z", p.UpdatedAt)
	})

	t.Run("a missing or unreadable transaction timestamp is an internal error", func(t *testing.T) {
		stub := fakestub.New().As(admin)
		stub.SetTxTime(nil)
		_, err := dir.SetProfile(contracttest.TxContext(stub), "Registry", "agency", "registry@example.org")
		contracttest.RequireCode(t, base.CodeInternal, err)

		stub = fakestub.New().As(admin)
		stub.TxTimestampErr = errors.New("no header")
		_, err = dir.SetProfile(contracttest.TxContext(stub), "Registry", "agency", "registry@example.org")
		contracttest.RequireCode(t, base.CodeInternal, err)
		require.Empty(t, stub.Keys())
	})

	t.Run("ledger failures are reported as internal errors with their cause", func(t *testing.T) {
		boom := errors.New("boom")
		for name, fail := range map[string]func(*fakestub.Stub){
			"a failed write":      func(s *fakestub.Stub) { s.PutStateErr = boom },
			"a failed event emit": func(s *fakestub.Stub) { s.SetEventErr = boom },
		} {
			t.Run(name, func(t *testing.T) {
				stub := fakestub.New().As(admin)
				fail(stub)
				p, err := dir.SetProfile(contracttest.TxContext(stub), "Registry", "agency", "registry@example.org")
				contracttest.RequireCode(t, base.CodeInternal, err)
				require.ErrorIs(t, err, boom)
				require.Nil(t, p)
			})
		}
	})

	t.Run("a caller whose identity cannot be parsed is refused", func(t *testing.T) {
		stub := fakestub.New()
		stub.SetCreator([]byte("not a serialized identity"))
		_, err := dir.SetProfile(contracttest.TxContext(stub), "Registry", "agency", "registry@example.org")
		contracttest.RequireCode(t, base.CodePermissionDenied, err)
	})
}

func TestGetProfile(t *testing.T) {
	dir := directory.New()

	t.Run("an absent profile is not found", func(t *testing.T) {
		_, err := dir.GetProfile(contracttest.TxContext(fakestub.New()), "NobodyMSP")
		contracttest.RequireCode(t, base.CodeNotFound, err)
		require.ErrorIs(t, err, base.ErrNotFound)
	})

	t.Run("an empty or malformed msp id is an invalid argument", func(t *testing.T) {
		for name, mspID := range map[string]string{
			"an empty id":                 "",
			"an id starting with a dash":  "-RegistryMSP",
			"an id with a space":          "Registry MSP",
			"an id with a null byte":      "Registry\x00MSP",
			"an id longer than 64 chars":  strings.Repeat("A", 65),
			"an id with a slash":          "Registry/MSP",
			"an id with non-ascii letter": "RegistrièMSP",
		} {
			t.Run(name, func(t *testing.T) {
				_, err := dir.GetProfile(contracttest.TxContext(fakestub.New()), mspID)
				contracttest.RequireCode(t, base.CodeInvalidArgument, err)
			})
		}
	})

	t.Run("a 64 character id with dots and dashes is accepted", func(t *testing.T) {
		_, err := dir.GetProfile(contracttest.TxContext(fakestub.New()), "a.b-"+strings.Repeat("C", 60))
		contracttest.RequireCode(t, base.CodeNotFound, err)
	})

	t.Run("a read failure is an internal error, not not found", func(t *testing.T) {
		stub := fakestub.New()
		boom := errors.New("ledger unavailable")
		stub.GetStateErr = boom
		_, err := dir.GetProfile(contracttest.TxContext(stub), "RegistryMSP")
		contracttest.RequireCode(t, base.CodeInternal, err)
		require.NotErrorIs(t, err, base.ErrNotFound)
		require.ErrorIs(t, err, boom)
	})

	t.Run("a corrupt entry is an internal error", func(t *testing.T) {
		stub := fakestub.New()
		key, err := stub.CreateCompositeKey("profile", []string{"RegistryMSP"})
		require.NoError(t, err)
		require.NoError(t, stub.PutState(key, []byte("{not json")))
		_, err = dir.GetProfile(contracttest.TxContext(stub), "RegistryMSP")
		contracttest.RequireCode(t, base.CodeInternal, err)
	})
}

func TestListProfiles(t *testing.T) {
	dir := directory.New()

	t.Run("an empty directory lists as an empty slice, not nil", func(t *testing.T) {
		list, err := dir.ListProfiles(contracttest.TxContext(fakestub.New()))
		require.NoError(t, err)
		require.NotNil(t, list)
		require.Empty(t, list)
	})

	t.Run("profiles are listed sorted by msp id and the iterator is closed", func(t *testing.T) {
		stub := fakestub.New()
		for _, msp := range []string{"TreasuryMSP", "CouncilMSP", "RegistryMSP"} {
			contracttest.SetProfile(t, stub, fakestub.NewIdentity(t, msp, "admin", spec.RoleAdmin), msp+" office", "agency", "x@example.org")
		}
		list, err := dir.ListProfiles(contracttest.TxContext(stub))
		require.NoError(t, err)
		var ids []string
		for _, p := range list {
			ids = append(ids, p.MSPID)
		}
		require.Equal(t, []string{"CouncilMSP", "RegistryMSP", "TreasuryMSP"}, ids)
		require.Zero(t, stub.OpenIterators())
	})

	t.Run("range and iteration failures are internal errors", func(t *testing.T) {
		boom := errors.New("boom")
		for name, fail := range map[string]func(*fakestub.Stub){
			"a failed range query": func(s *fakestub.Stub) { s.RangeErr = boom },
			"a failed iteration":   func(s *fakestub.Stub) { s.NextErr = boom },
		} {
			t.Run(name, func(t *testing.T) {
				stub := fakestub.New()
				contracttest.SetProfile(t, stub, fakestub.NewIdentity(t, "RegistryMSP", "admin", spec.RoleAdmin), "Registry", "agency", "x@example.org")
				fail(stub)
				list, err := dir.ListProfiles(contracttest.TxContext(stub))
				contracttest.RequireCode(t, base.CodeInternal, err)
				require.ErrorIs(t, err, boom)
				require.Nil(t, list)
				require.Zero(t, stub.OpenIterators())
			})
		}
	})
}
