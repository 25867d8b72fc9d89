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

func TestPermissionRecordUse(t *testing.T) {
	a := newPermActors(t)

	t.Run("a clerk of the grantee records a use covered by the permission", func(t *testing.T) {
		stub := a.permActive(t, nil)
		permAt(stub, time.Date(2024, 3, 4, 5, 6, 7, 8, time.UTC), "use-1")
		u := permRecordUse(t, stub, a.trClerk, nil)
		require.Equal(t, &records.PermissionUse{
			ID: "use-1", Owner: "RegistryMSP", PermissionID: "p-1", Grantee: "TreasuryMSP", Category: "tax-income",
			SubjectRef: permSubjectA, Purpose: "Housing benefit application 2024-117",
			UsedAt: "2024-03-04T05:06:07.000000008Z", UsedBy: a.trClerk.ID, Valid: true, Reason: spec.ReasonCovered,
		}, u)

		page, err := permContract.ListUsesBySubject(contracttest.TxContext(stub), permSubjectA, "10", "")
		require.NoError(t, err)
		require.Equal(t, []*records.PermissionUse{u}, page.Uses)
		invalid, err := permContract.ListInvalidUses(contracttest.TxContext(stub), "10", "")
		require.NoError(t, err)
		require.Empty(t, invalid.Uses, "a valid use is not shown to auditors as invalid")
		require.Len(t, permWrittenBy(t, stub, "use-1"), 1)
	})

	t.Run("the use event carries the recorded use and nothing more", func(t *testing.T) {
		stub := a.permActive(t, nil)
		u := permRecordUse(t, stub, a.trApprover, nil)
		ev := contracttest.LastEvent(t, stub)
		require.Equal(t, spec.EventPermissionUseRecorded, ev.Name)
		var fields map[string]any
		require.NoError(t, json.Unmarshal(ev.Payload, &fields))
		require.ElementsMatch(t, []string{"id", "owner", "permissionId", "grantee", "category", "subjectRef",
			"purpose", "usedAt", "usedBy", "valid", "reason"}, permKeysOf(fields))
		var fromEvent records.PermissionUse
		require.NoError(t, json.Unmarshal(ev.Payload, &fromEvent))
		require.Equal(t, *u, fromEvent)
	})

	t.Run("uses without a valid permission are recorded as invalid with the reason, for citizens and auditors", func(t *testing.T) {
		revoke := func(s *fakestub.Stub) {
			_, err := permContract.Revoke(contracttest.TxContext(s.As(a.regApprover)), "RegistryMSP", "p-1", "ended")
			require.NoError(t, err)
		}
		at := func(tm time.Time) func(*fakestub.Stub) { return func(s *fakestub.Stub) { permAt(s, tm, "use") } }
		for name, tc := range map[string]struct {
			offer   map[string]any       // changes to the offer
			accept  bool                 // whether Treasury accepts it
			prepare func(*fakestub.Stub) // before the use
			by      fakestub.Identity
			use     map[string]any // changes to the use
			reason  string
		}{
			"a revoked permission":      {nil, true, revoke, a.trClerk, nil, spec.ReasonRevoked},
			"a withdrawn offer":         {nil, false, revoke, a.trClerk, nil, spec.ReasonRevoked},
			"an offer not yet accepted": {nil, false, nil, a.trClerk, nil, spec.ReasonNotAccepted},
			"a use before the window opens": {map[string]any{"validFrom": "2024-02-01T00:00:00Z"}, true,
				nil, a.trClerk, nil, spec.ReasonOutsideWindow},
			"a use when the window has closed": {nil, true, at(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)),
				a.trClerk, nil, spec.ReasonOutsideWindow},
			"a use long after the window": {nil, true, at(time.Date(2031, 1, 1, 0, 0, 0, 0, time.UTC)),
				a.trClerk, nil, spec.ReasonOutsideWindow},
			"a subject the permission does not cover": {map[string]any{"subjectRef": permSubjectB}, true, nil,
				a.trClerk, nil, spec.ReasonSubjectNotCovered},
			"an unknown permission id": {nil, true, nil, a.trClerk, map[string]any{"permissionId": "p-404"},
				spec.ReasonNoSuchPermission},
			"an owner that holds no such permission": {nil, true, nil, a.trClerk, map[string]any{"ownerMSP": "CouncilMSP"},
				spec.ReasonNoSuchPermission},
			"an owner that is not a member": {nil, true, nil, a.trClerk, map[string]any{"ownerMSP": "NobodyMSP"},
				spec.ReasonNoSuchPermission},
			"a third administration using the grantee's permission": {nil, true, nil, a.coApprover, nil,
				spec.ReasonOtherGrantee},
			"the owner recording a use under its own permission": {nil, true, nil, a.regClerk, nil,
				spec.ReasonOtherGrantee},
			"another category than the permission's": {nil, true, nil, a.trClerk, map[string]any{"category": "civil-status"},
				spec.ReasonCategoryNotCovered},
		} {
			t.Run(name, func(t *testing.T) {
				stub := a.ledger(t)
				permOffer(t, stub, a.regApprover, tc.offer)
				if tc.accept {
					permAccept(t, stub, a.trApprover, "p-1")
				}
				if tc.prepare != nil {
					tc.prepare(stub)
				}
				stub.SetTxID("use")
				u := permRecordUse(t, stub, tc.by, tc.use)
				require.False(t, u.Valid)
				require.Equal(t, tc.reason, u.Reason)

				bySubject, err := permContract.ListUsesBySubject(contracttest.TxContext(stub), permSubjectA, "10", "")
				require.NoError(t, err)
				require.Equal(t, []*records.PermissionUse{u}, bySubject.Uses)
				invalid, err := permContract.ListInvalidUses(contracttest.TxContext(stub), "10", "")
				require.NoError(t, err)
				require.Equal(t, []*records.PermissionUse{u}, invalid.Uses)
				require.Equal(t, spec.EventPermissionUseRecorded, contracttest.LastEvent(t, stub).Name)
			})
		}
	})

	t.Run("covered uses: window bounds, any subject, the declared category", func(t *testing.T) {
		for name, tc := range map[string]struct {
			offer map[string]any
			at    time.Time
			use   map[string]any
		}{
			"at the first instant of the window": {nil, time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), nil},
			"at the last instant of the window":  {nil, time.Date(2024, 12, 31, 23, 59, 59, 999999999, time.UTC), nil},
			"a permission for every subject used for another one": {nil, fakestub.DefaultTxTime,
				map[string]any{"subjectRef": permSubjectB}},
			"a permission for one subject used for that subject": {map[string]any{"subjectRef": permSubjectA},
				fakestub.DefaultTxTime, nil},
			"the permission's category declared": {nil, fakestub.DefaultTxTime, map[string]any{"category": "tax-income"}},
		} {
			t.Run(name, func(t *testing.T) {
				stub := a.permActive(t, tc.offer)
				permAt(stub, tc.at, "use")
				u := permRecordUse(t, stub, a.trClerk, tc.use)
				require.True(t, u.Valid, "reason: %s", u.Reason)
				require.Equal(t, spec.ReasonCovered, u.Reason)
			})
		}
	})

	t.Run("callers without a role of the grantee are refused and nothing is recorded", func(t *testing.T) {
		for name, id := range map[string]fakestub.Identity{
			"a caller without a role":  a.noRole,
			"a caller of unknown role": a.oddRole,
		} {
			t.Run(name, func(t *testing.T) {
				stub := a.permActive(t, nil)
				before := contracttest.Snapshot(stub)
				_, err := permContract.RecordUse(contracttest.TxContext(stub.As(id)), contracttest.JSONWith(t, permUseFields(), nil))
				contracttest.RequireCode(t, base.CodePermissionDenied, err)
				contracttest.RequireUnchanged(t, stub, before)
			})
		}
	})

	t.Run("malformed uses are refused as invalid arguments and nothing is recorded", func(t *testing.T) {
		valid := contracttest.JSONWith(t, permUseFields(), nil)
		with := func(changes map[string]any) string { return contracttest.JSONWith(t, permUseFields(), changes) }
		for name, input := range map[string]string{
			"an empty input":                       "",
			"bad json":                             `{"ownerMSP":`,
			"a json array":                         `[]`,
			"data after the object":                valid + ` 1`,
			"an unknown field":                     with(map[string]any{"valid": true}),
			"a grantee field":                      with(map[string]any{"grantee": "TreasuryMSP"}),
			"a field given twice":                  strings.Replace(valid, `{`, `{"purpose":"x",`, 1),
			"a subject reference that is a number": with(map[string]any{"subjectRef": 12}),
			"a missing owner":                      with(map[string]any{"ownerMSP": nil}),
			"a malformed owner":                    with(map[string]any{"ownerMSP": "Registry/MSP"}),
			"a missing permission id":              with(map[string]any{"permissionId": nil}),
			"a malformed permission id":            with(map[string]any{"permissionId": "p 1"}),
			"a missing subject reference":          with(map[string]any{"subjectRef": nil}),
			"an empty subject reference":           with(map[string]any{"subjectRef": ""}),
			"a subject reference of 65 digits":     with(map[string]any{"subjectRef": strings.Repeat("a", 65)}),
			"a missing purpose":                    with(map[string]any{"purpose": nil}),
			"a purpose over 500 characters":        with(map[string]any{"purpose": strings.Repeat("p", 501)}),
			"a purpose with a control character":   with(map[string]any{"purpose": "a\x07b"}),
			"a malformed category":                 with(map[string]any{"category": "Tax"}),
		} {
			t.Run(name, func(t *testing.T) {
				stub := a.permActive(t, nil)
				before := contracttest.Snapshot(stub)
				_, err := permContract.RecordUse(contracttest.TxContext(stub.As(a.trClerk)), input)
				contracttest.RequireCode(t, base.CodeInvalidArgument, err)
				contracttest.RequireUnchanged(t, stub, before)
			})
		}
	})

	t.Run("a subject reference in upper case is recorded and found in lower case", func(t *testing.T) {
		stub := a.permActive(t, nil)
		u := permRecordUse(t, stub, a.trClerk, map[string]any{"subjectRef": strings.ToUpper(permSubjectA)})
		require.Equal(t, permSubjectA, u.SubjectRef)
		page, err := permContract.ListUsesBySubject(contracttest.TxContext(stub), strings.ToUpper(permSubjectA), "10", "")
		require.NoError(t, err)
		require.Len(t, page.Uses, 1)
		require.Equal(t, permSubjectA, page.Uses[0].SubjectRef)
	})

	t.Run("a failing read is an error, never recorded as a use without permission", func(t *testing.T) {
		stub := a.permActive(t, nil)
		before := contracttest.Snapshot(stub)
		stub.GetStateErr = errors.New("disk on fire")
		_, err := permContract.RecordUse(contracttest.TxContext(stub.As(a.trClerk)), contracttest.JSONWith(t, permUseFields(), nil))
		contracttest.RequireCode(t, base.CodeInternal, err)
		stub.GetStateErr = nil
		contracttest.RequireUnchanged(t, stub, before)
	})

	t.Run("other ledger failures surface as internal errors", func(t *testing.T) {
		for name, fail := range map[string]func(*fakestub.Stub){
			"a failing write":     func(s *fakestub.Stub) { s.PutStateErr = errors.New("disk on fire") },
			"a failing event":     func(s *fakestub.Stub) { s.SetEventErr = errors.New("no events") },
			"a missing timestamp": func(s *fakestub.Stub) { s.SetTxTime(nil) },
		} {
			t.Run(name, func(t *testing.T) {
				stub := a.permActive(t, nil)
				fail(stub)
				_, err := permContract.RecordUse(contracttest.TxContext(stub.As(a.trClerk)), contracttest.JSONWith(t, permUseFields(), nil))
				contracttest.RequireCode(t, base.CodeInternal, err)
			})
		}
	})
}

func permKeysOf(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}
