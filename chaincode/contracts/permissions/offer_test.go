package permissions_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/civicledger/civicledger/chaincode/contracts/base"
	"github.com/civicledger/civicledger/chaincode/contracts/internal/contracttest"
	"github.com/civicledger/civicledger/chaincode/internal/fakestub"
	"github.com/civicledger/civicledger/chaincode/records"
	"github.com/civicledger/civicledger/chaincode/spec"
)

func TestPermissionOffer(t *testing.T) {
	a := newPermActors(t)

	t.Run("an approver of the owner offers a permission that waits for the grantee", func(t *testing.T) {
		stub := a.ledger(t)
		p := permOffer(t, stub, a.regApprover, map[string]any{"subjectRef": permSubjectA})
		want := &records.Permission{
			ID: "p-1", Owner: "RegistryMSP", Grantee: "TreasuryMSP", Category: "tax-income",
			Purpose: "Means test for the housing benefit", LegalBasis: "Housing Act, art. 12",
			ValidFrom: "2024-01-01T00:00:00Z", ValidUntil: "2025-01-01T00:00:00Z", SubjectRef: permSubjectA,
			Status: spec.PermissionOffered, OfferedAt: "2024-01-02T03:04:05Z", OfferedBy: a.regApprover.ID,
		}
		require.Equal(t, want, p)
		got, err := permContract.Get(contracttest.TxContext(stub), "RegistryMSP", "p-1")
		require.NoError(t, err)
		require.Equal(t, want, got)
	})

	t.Run("an admin of the owner may offer too", func(t *testing.T) {
		p := permOffer(t, a.ledger(t), a.regAdmin, nil)
		require.Equal(t, a.regAdmin.ID, p.OfferedBy)
	})

	t.Run("the offer emits one offered event carrying the stored permission", func(t *testing.T) {
		stub := a.ledger(t)
		before := len(stub.Events())
		p := permOffer(t, stub, a.regApprover, nil)
		require.Len(t, stub.Events(), before+1)
		ev := contracttest.LastEvent(t, stub)
		require.Equal(t, spec.EventPermissionOffered, ev.Name)
		stored, err := stub.GetState(permKey(t, stub, "RegistryMSP", "p-1"))
		require.NoError(t, err)
		require.JSONEq(t, string(stored), string(ev.Payload))
		var fromEvent records.Permission
		require.NoError(t, json.Unmarshal(ev.Payload, &fromEvent))
		require.Equal(t, *p, fromEvent)
	})

	t.Run("the offer writes the permission and its grant index entry only", func(t *testing.T) {
		stub := a.ledger(t)
		permAt(stub, fakestub.DefaultTxTime, "offer")
		permOffer(t, stub, a.regApprover, nil)
		index, err := stub.CreateCompositeKey("permissionGrant", []string{"RegistryMSP", "TreasuryMSP", "tax-income", "p-1"})
		require.NoError(t, err)
		require.ElementsMatch(t, []string{permKey(t, stub, "RegistryMSP", "p-1"), index}, permWrittenBy(t, stub, "offer"))
		v, err := stub.GetState(index)
		require.NoError(t, err)
		require.NotEmpty(t, v, "an empty value would be a delete on a peer")
	})

	t.Run("validity times are stored in utc and surrounding spaces of texts are trimmed", func(t *testing.T) {
		p := permOffer(t, a.ledger(t), a.regApprover, map[string]any{
			"validFrom": "2024-01-01T01:00:00+01:00", "validUntil": "2024-06-30T23:59:59.5-02:00",
			"purpose": "  Means test  ", "legalBasis": "\tArt. 12 ",
		})
		require.Equal(t, "2024-01-01T00:00:00Z", p.ValidFrom)
		require.Equal(t, "2024-07-01T01:59:59.5Z", p.ValidUntil)
		require.Equal(t, "Means test", p.Purpose)
		require.Equal(t, "Art. 12", p.LegalBasis)
	})

	t.Run("the subject reference is optional", func(t *testing.T) {
		p := permOffer(t, a.ledger(t), a.regApprover, map[string]any{"subjectRef": ""})
		require.Empty(t, p.SubjectRef)
	})

	t.Run("callers who are not approvers or admins are refused and nothing is written", func(t *testing.T) {
		for name, id := range map[string]fakestub.Identity{
			"a clerk":                  a.regClerk,
			"a caller without a role":  a.noRole,
			"a caller of unknown role": a.oddRole,
		} {
			t.Run(name, func(t *testing.T) {
				stub := a.ledger(t)
				before := contracttest.Snapshot(stub)
				_, err := permContract.Offer(contracttest.TxContext(stub.As(id)), contracttest.JSONWith(t, permOfferFields(), nil))
				contracttest.RequireCode(t, base.CodePermissionDenied, err)
				contracttest.RequireUnchanged(t, stub, before)
			})
		}
	})

	t.Run("malformed offers are refused as invalid arguments and nothing is written", func(t *testing.T) {
		valid := contracttest.JSONWith(t, permOfferFields(), nil)
		with := func(changes map[string]any) string { return contracttest.JSONWith(t, permOfferFields(), changes) }
		for name, input := range map[string]string{
			"an empty input":                        "",
			"a blank input":                         "  \n",
			"bad json":                              `{"id": "p-1",`,
			"a json array":                          `[` + valid + `]`,
			"a json string":                         `"p-1"`,
			"json null":                             `null`,
			"data after the object":                 valid + `{}`,
			"garbage after the object":              valid + `x`,
			"an unknown field":                      with(map[string]any{"owner": "TreasuryMSP"}),
			"a field name in another case":          strings.Replace(valid, `"grantee"`, `"Grantee"`, 1),
			"a field given twice":                   strings.Replace(valid, `{`, `{"id":"p-2",`, 1),
			"an id that is a number":                with(map[string]any{"id": 7}),
			"a grantee that is an object":           with(map[string]any{"grantee": map[string]any{"msp": "TreasuryMSP"}}),
			"a validFrom that is a number":          with(map[string]any{"validFrom": 1704067200}),
			"a subject reference that is a bool":    with(map[string]any{"subjectRef": true}),
			"a missing id":                          with(map[string]any{"id": nil}),
			"a null id":                             strings.Replace(valid, `"id":"p-1"`, `"id":null`, 1),
			"an id with a space":                    with(map[string]any{"id": "p 1"}),
			"an id with a nul byte":                 with(map[string]any{"id": "p\x001"}),
			"an id over 64 characters":              with(map[string]any{"id": strings.Repeat("p", 65)}),
			"an id starting with a dash":            with(map[string]any{"id": "-p"}),
			"a missing grantee":                     with(map[string]any{"grantee": nil}),
			"a malformed grantee":                   with(map[string]any{"grantee": "Treasury MSP"}),
			"the owner as grantee":                  with(map[string]any{"grantee": "RegistryMSP"}),
			"a missing category":                    with(map[string]any{"category": nil}),
			"a category in upper case":              with(map[string]any{"category": "Tax-Income"}),
			"a one-letter category":                 with(map[string]any{"category": "t"}),
			"a category over 41 characters":         with(map[string]any{"category": "t" + strings.Repeat("x", 41)}),
			"a category starting with a digit":      with(map[string]any{"category": "1tax"}),
			"a category with an underscore":         with(map[string]any{"category": "tax_income"}),
			"a missing purpose":                     with(map[string]any{"purpose": nil}),
			"a blank purpose":                       with(map[string]any{"purpose": "   "}),
			"a purpose over 500 characters":         with(map[string]any{"purpose": strings.Repeat("é", 501)}),
			"a purpose with a control character":    with(map[string]any{"purpose": "means\ntest"}),
			"a missing legal basis":                 with(map[string]any{"legalBasis": nil}),
			"a legal basis over 200 characters":     with(map[string]any{"legalBasis": strings.Repeat("l", 201)}),
			"a missing validFrom":                   with(map[string]any{"validFrom": nil}),
			"a missing validUntil":                  with(map[string]any{"validUntil": nil}),
			"a validFrom that is a date only":       with(map[string]any{"validFrom": "2024-01-01"}),
			"a validUntil without a zone":           with(map[string]any{"validUntil": "2025-01-01T00:00:00"}),
			"a validUntil in month 13":              with(map[string]any{"validUntil": "2025-13-01T00:00:00Z"}),
			"a validFrom in another format":         with(map[string]any{"validFrom": "01/01/2024"}),
			"validFrom equal to validUntil":         with(map[string]any{"validFrom": "2025-01-01T00:00:00Z"}),
			"validFrom after validUntil":            with(map[string]any{"validFrom": "2025-06-01T00:00:00Z"}),
			"a window that ended already":           with(map[string]any{"validFrom": "2023-01-01T00:00:00Z", "validUntil": "2024-01-01T00:00:00Z"}),
			"a subject reference of 63 digits":      with(map[string]any{"subjectRef": strings.Repeat("a", 63)}),
			"a validUntil in year 9999":             with(map[string]any{"validUntil": "9999-01-01T00:00:00Z"}),
			"a validFrom in year 1800":              with(map[string]any{"validFrom": "1800-01-01T00:00:00Z"}),
			"a subject reference that is not hex":   with(map[string]any{"subjectRef": strings.Repeat("g", 64)}),
			"an input over 16 KiB":                  with(map[string]any{"purpose": strings.Repeat(" ", 17<<10) + "x"}),
			"an input that is not utf-8":            strings.Replace(valid, "Means", "Me\xffans", 1),
			"an over-long unknown field name":       with(map[string]any{strings.Repeat("z", 1000): "x"}),
			"an over-long id quoted in the error":   with(map[string]any{"id": strings.Repeat("é", 1000)}),
			"an over-long date quoted in the error": with(map[string]any{"validFrom": strings.Repeat("9", 1000)}),
		} {
			t.Run(name, func(t *testing.T) {
				stub := a.ledger(t)
				before := contracttest.Snapshot(stub)
				_, err := permContract.Offer(contracttest.TxContext(stub.As(a.regApprover)), input)
				contracttest.RequireCode(t, base.CodeInvalidArgument, err)
				require.ErrorIs(t, err, base.ErrInvalidArgument)
				require.Less(t, len(err.Error()), 300, "message should not echo huge arguments")
				contracttest.RequireUnchanged(t, stub, before)
			})
		}
	})

	t.Run("a subject reference in upper case is accepted and stored in lower case", func(t *testing.T) {
		stub := a.ledger(t)
		p, err := permContract.Offer(contracttest.TxContext(stub.As(a.regApprover)), contracttest.JSONWith(t, permOfferFields(), map[string]any{"subjectRef": strings.Repeat("A", 64)}))
		require.NoError(t, err)
		require.Equal(t, strings.Repeat("a", 64), p.SubjectRef)
	})

	t.Run("a validUntil after 2199 is refused with the accepted range", func(t *testing.T) {
		_, err := permContract.Offer(contracttest.TxContext(a.ledger(t).As(a.regApprover)), contracttest.JSONWith(t, permOfferFields(), map[string]any{"validUntil": "9999-01-01T00:00:00Z"}))
		require.EqualError(t, err, "INVALID_ARGUMENT: validUntil 9999-01-01T00:00:00Z is after 2199-12-31: times must lie within the years 1900 to 2199")
	})

	t.Run("a wrong type names the field and the expected type", func(t *testing.T) {
		_, err := permContract.Offer(contracttest.TxContext(a.ledger(t).As(a.regApprover)), contracttest.JSONWith(t, permOfferFields(), map[string]any{"id": 7}))
		require.EqualError(t, err, `INVALID_ARGUMENT: offer.id must be a string, not the number 7`)
	})

	t.Run("a grantee that is not a member administration is not found", func(t *testing.T) {
		stub := a.ledger(t)
		before := contracttest.Snapshot(stub)
		_, err := permContract.Offer(contracttest.TxContext(stub.As(a.regApprover)), contracttest.JSONWith(t, permOfferFields(), map[string]any{"grantee": "NobodyMSP"}))
		contracttest.RequireCode(t, base.CodeNotFound, err)
		contracttest.RequireUnchanged(t, stub, before)
	})

	t.Run("an id already used by the owner is refused, but another owner may use it", func(t *testing.T) {
		stub := a.ledger(t)
		permOffer(t, stub, a.regApprover, nil)
		before := contracttest.Snapshot(stub)
		_, err := permContract.Offer(contracttest.TxContext(stub.As(a.regAdmin)), contracttest.JSONWith(t, permOfferFields(), map[string]any{"grantee": "CouncilMSP"}))
		contracttest.RequireCode(t, base.CodeAlreadyExists, err)
		contracttest.RequireUnchanged(t, stub, before)

		p := permOffer(t, stub, a.coApprover, map[string]any{"grantee": "RegistryMSP"})
		require.Equal(t, "CouncilMSP", p.Owner)
	})

	t.Run("ledger failures surface as internal errors and nothing is emitted", func(t *testing.T) {
		for name, fail := range map[string]func(*fakestub.Stub){
			"a failing read":         func(s *fakestub.Stub) { s.GetStateErr = errors.New("disk on fire") },
			"a failing member range": func(s *fakestub.Stub) { contracttest.DropMemberList(t, s); s.RangeErr = errors.New("disk on fire") },
			"a failing write":        func(s *fakestub.Stub) { s.PutStateErr = errors.New("disk on fire") },
			"a failing event":        func(s *fakestub.Stub) { s.SetEventErr = errors.New("no events") },
			"a missing timestamp":    func(s *fakestub.Stub) { s.SetTxTime(nil) },
		} {
			t.Run(name, func(t *testing.T) {
				stub := a.ledger(t)
				events := len(stub.Events())
				fail(stub)
				_, err := permContract.Offer(contracttest.TxContext(stub.As(a.regApprover)), contracttest.JSONWith(t, permOfferFields(), nil))
				contracttest.RequireCode(t, base.CodeInternal, err)
				require.Len(t, stub.Events(), events)
			})
		}
	})
}
