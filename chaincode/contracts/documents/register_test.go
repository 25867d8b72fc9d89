package documents_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/civicledger/civicledger/chaincode/contracts/base"
	"github.com/civicledger/civicledger/chaincode/contracts/documents"
	"github.com/civicledger/civicledger/chaincode/contracts/internal/contracttest"
	"github.com/civicledger/civicledger/chaincode/internal/fakestub"
	"github.com/civicledger/civicledger/chaincode/records"
	"github.com/civicledger/civicledger/chaincode/spec"
	"github.com/civicledger/civicledger/chaincode/state"
)

func TestDocumentsRegister(t *testing.T) {
	docs := documents.New()
	p := newDocPeople(t)

	t.Run("a clerk registers a document of its own administration as valid", func(t *testing.T) {
		stub := docLedger(t, p)
		d := registerDoc(t, stub, p.regClerk, docFields("EXT-2024-0001"))
		want := &records.Document{
			Issuer: "RegistryMSP", ID: "EXT-2024-0001", Type: "debt-extract", SHA256: docHashA,
			KeyFacts:  map[string]string{"proceedings": "3", "totalAmount": "CHF 1234.50"},
			ValidFrom: "2024-01-01T00:00:00Z", ValidUntil: "2024-04-01T00:00:00Z", SubjectRef: docSubject,
			Status: spec.DocumentValid, RegisteredAt: "2024-01-02T03:04:05Z", RegisteredBy: p.regClerk.ID,
		}
		require.Equal(t, want, d)
		got, err := docs.Get(contracttest.TxAs(stub, p.treClerk), "RegistryMSP", "EXT-2024-0001")
		require.NoError(t, err)
		require.Equal(t, want, got)
	})

	t.Run("the record and both indexes are written under their composite keys", func(t *testing.T) {
		stub := docLedger(t, p)
		registerDoc(t, stub, p.regAdmin, docFields("doc-1"))
		for _, key := range []string{
			contracttest.MustKey(t, stub, state.TypeDocument, "RegistryMSP", "doc-1"),
			contracttest.MustKey(t, stub, state.TypeDocumentByHash, docHashA, "RegistryMSP", "doc-1"),
			contracttest.MustKey(t, stub, state.TypeDocumentByType, "RegistryMSP", "debt-extract", "doc-1"),
		} {
			v, err := stub.GetState(key)
			require.NoError(t, err)
			require.NotEmpty(t, v, "key %q", key)
		}
	})

	t.Run("a second registration of the same id by the same issuer is refused", func(t *testing.T) {
		stub := docLedger(t, p)
		registerDoc(t, stub, p.regClerk, docFields("doc-1"))
		before := stub.State()
		f := docFields("doc-1")
		f["sha256"] = docHashB
		_, err := docs.Register(contracttest.TxAs(stub, p.regAdmin), contracttest.JSONWith(t, f, nil))
		contracttest.RequireCode(t, base.CodeAlreadyExists, err)
		require.ErrorIs(t, err, base.ErrAlreadyExists)
		require.Equal(t, before, stub.State())
		require.Len(t, stub.Events(), 4, "three profiles and one registration")
	})

	t.Run("ids are scoped by issuer so another administration may use the same id", func(t *testing.T) {
		stub := docLedger(t, p)
		registerDoc(t, stub, p.regClerk, docFields("doc-1"))
		d := registerDoc(t, stub, p.treClerk, docFields("doc-1"))
		require.Equal(t, "TreasuryMSP", d.Issuer)
		reg, err := docs.Get(contracttest.TxAs(stub, p.treClerk), "RegistryMSP", "doc-1")
		require.NoError(t, err)
		require.Equal(t, p.regClerk.ID, reg.RegisteredBy)
	})

	t.Run("callers who are neither clerk nor admin are refused and nothing is written", func(t *testing.T) {
		for name, role := range map[string]string{
			"an approver":              spec.RoleApprover,
			"a caller without a role":  "",
			"a caller of unknown role": "superuser",
		} {
			t.Run(name, func(t *testing.T) {
				stub := docLedger(t, p)
				before := stub.State()
				id := fakestub.NewIdentity(t, "RegistryMSP", "ugo", role)
				_, err := docs.Register(contracttest.TxAs(stub, id), contracttest.JSONWith(t, docFields("doc-1"), nil))
				contracttest.RequireCode(t, base.CodePermissionDenied, err)
				require.Equal(t, before, stub.State())
				require.Len(t, stub.Events(), 3)
			})
		}
	})

	t.Run("an administration without a directory profile cannot register", func(t *testing.T) {
		stub := docLedger(t, p)
		outsider := fakestub.NewIdentity(t, "OutsiderMSP", "olga", spec.RoleAdmin)
		_, err := docs.Register(contracttest.TxAs(stub, outsider), contracttest.JSONWith(t, docFields("doc-1"), nil))
		contracttest.RequireCode(t, base.CodeFailedPrecondition, err)
		require.Contains(t, err.Error(), "Directory:SetProfile")
	})

	t.Run("malformed inputs of every kind are refused and nothing is written", func(t *testing.T) {
		mod := func(change func(f map[string]any)) string {
			f := docFields("doc-1")
			change(f)
			return contracttest.JSONWith(t, f, nil)
		}
		facts := func(n int) map[string]any {
			m := map[string]any{}
			for i := range n {
				m[fmt.Sprintf("f%02d", i)] = "x"
			}
			return m
		}
		valid := contracttest.JSONWith(t, docFields("doc-1"), nil)
		for name, input := range map[string]string{
			"an empty input":                        "",
			"a blank input":                         "  \n ",
			"text that is not json":                 "debt extract 1",
			"truncated json":                        `{"id":"doc-1",`,
			"a json array":                          `[]`,
			"a json string":                         `"doc-1"`,
			"json null":                             `null`,
			"an empty object":                       `{}`,
			"data after the object":                 valid + ` {}`,
			"bytes that are not utf-8":              "{\"id\":\"doc-\xff\"}",
			"an input over 16 KiB":                  valid + strings.Repeat(" ", 16<<10),
			"an unknown field":                      mod(func(f map[string]any) { f["note"] = "x" }),
			"a field name in another case":          strings.Replace(valid, `"sha256"`, `"SHA256"`, 1),
			"a field twice":                         strings.Replace(valid, `"id":"doc-1"`, `"id":"doc-1","id":"doc-2"`, 1),
			"a key fact twice":                      strings.Replace(valid, `"proceedings":"3"`, `"proceedings":"3","proceedings":"4"`, 1),
			"an issuer field":                       mod(func(f map[string]any) { f["issuer"] = "TreasuryMSP" }),
			"a status field":                        mod(func(f map[string]any) { f["status"] = "revoked" }),
			"an id that is a number":                mod(func(f map[string]any) { f["id"] = 5 }),
			"key facts that are an array":           mod(func(f map[string]any) { f["keyFacts"] = []string{"a"} }),
			"a key fact that is a number":           mod(func(f map[string]any) { f["keyFacts"] = map[string]any{"amount": 12} }),
			"a sha-256 that is an object":           mod(func(f map[string]any) { f["sha256"] = map[string]any{} }),
			"a missing id":                          mod(func(f map[string]any) { delete(f, "id") }),
			"an id with a space":                    mod(func(f map[string]any) { f["id"] = "doc 1" }),
			"an id with a slash":                    mod(func(f map[string]any) { f["id"] = "2024/1" }),
			"an id starting with a dot":             mod(func(f map[string]any) { f["id"] = ".doc" }),
			"an id of 65 characters":                mod(func(f map[string]any) { f["id"] = strings.Repeat("d", 65) }),
			"a missing type":                        mod(func(f map[string]any) { delete(f, "type") }),
			"an unknown type":                       mod(func(f map[string]any) { f["type"] = "passport" }),
			"a type in the wrong case":              mod(func(f map[string]any) { f["type"] = "Permit" }),
			"a missing sha-256":                     mod(func(f map[string]any) { delete(f, "sha256") }),
			"a sha-256 of 63 digits":                mod(func(f map[string]any) { f["sha256"] = docHashA[1:] }),
			"a sha-256 of 65 digits":                mod(func(f map[string]any) { f["sha256"] = docHashA + "0" }),
			"a sha-256 with a non-hex digit":        mod(func(f map[string]any) { f["sha256"] = "g" + docHashA[1:] }),
			"a sha-256 with a 0x prefix":            mod(func(f map[string]any) { f["sha256"] = "0x" + docHashA[2:] }),
			"a missing subject reference":           mod(func(f map[string]any) { delete(f, "subjectRef") }),
			"a subject reference in base64":         mod(func(f map[string]any) { f["subjectRef"] = "q83vEjRWeJA=" }),
			"seventeen key facts":                   mod(func(f map[string]any) { f["keyFacts"] = facts(17) }),
			"a key fact name starting with a digit": mod(func(f map[string]any) { f["keyFacts"] = map[string]any{"1st": "x"} }),
			"a key fact name with a dash":           mod(func(f map[string]any) { f["keyFacts"] = map[string]any{"total-amount": "x"} }),
			"a key fact name of 33 characters":      mod(func(f map[string]any) { f["keyFacts"] = map[string]any{strings.Repeat("k", 33): "x"} }),
			"an empty key fact name":                mod(func(f map[string]any) { f["keyFacts"] = map[string]any{"": "x"} }),
			"a key fact value of 129 characters":    mod(func(f map[string]any) { f["keyFacts"] = map[string]any{"k": strings.Repeat("é", 129)} }),
			"an empty key fact value":               mod(func(f map[string]any) { f["keyFacts"] = map[string]any{"k": " "} }),
			"a key fact value with a newline":       mod(func(f map[string]any) { f["keyFacts"] = map[string]any{"k": "a\nb"} }),
			"a missing validFrom":                   mod(func(f map[string]any) { delete(f, "validFrom") }),
			"a validFrom without time":              mod(func(f map[string]any) { f["validFrom"] = "2024-01-01" }),
			"a validFrom without zone":              mod(func(f map[string]any) { f["validFrom"] = "2024-01-01T00:00:00" }),
			"a validFrom on february 30":            mod(func(f map[string]any) { f["validFrom"] = "2024-02-30T00:00:00Z" }),
			"a validFrom as a unix time":            mod(func(f map[string]any) { f["validFrom"] = 1704067200 }),
			"a malformed validUntil":                mod(func(f map[string]any) { f["validUntil"] = "next year" }),
			"a validUntil equal to validFrom":       mod(func(f map[string]any) { f["validUntil"] = "2024-01-01T01:00:00+01:00" }),
			"a validUntil before validFrom":         mod(func(f map[string]any) { f["validUntil"] = "2023-12-31T23:59:59Z" }),
			"a validUntil in year 9999":             mod(func(f map[string]any) { f["validUntil"] = "9999-01-01T00:00:00Z" }),
			"a validFrom in year 1800":              mod(func(f map[string]any) { f["validFrom"] = "1800-01-01T00:00:00Z" }),
		} {
			t.Run(name, func(t *testing.T) {
				stub := docLedger(t, p)
				before := stub.State()
				_, err := docs.Register(contracttest.TxAs(stub, p.regClerk), input)
				contracttest.RequireCode(t, base.CodeInvalidArgument, err)
				require.Less(t, len(err.Error()), 300, "message should not echo large inputs: %s", err)
				require.Equal(t, before, stub.State())
				require.Len(t, stub.Events(), 3)
			})
		}
	})

	t.Run("an upper-case sha-256 and subject reference are accepted and stored in lower case", func(t *testing.T) {
		stub := docLedger(t, p)
		d := registerDoc(t, stub, p.regClerk, map[string]any{
			"id": "doc-up", "type": "permit", "sha256": strings.ToUpper(docHashA), "validFrom": "2024-01-01T00:00:00Z",
			"subjectRef": strings.ToUpper(docSubject),
		})
		require.Equal(t, docHashA, d.SHA256)
		require.Equal(t, docSubject, d.SubjectRef)
		stored, err := docs.Get(contracttest.TxAs(stub, p.treClerk), "RegistryMSP", "doc-up")
		require.NoError(t, err)
		require.Equal(t, docHashA, stored.SHA256)
		verdicts, err := docs.VerifyHash(contracttest.TxAs(stub, p.treClerk), strings.ToUpper(docHashA))
		require.NoError(t, err)
		require.Len(t, verdicts, 1)
		require.Equal(t, "doc-up", verdicts[0].ID)
		require.Equal(t, docHashA, verdicts[0].SHA256)
	})

	t.Run("times outside the years 1900 to 2199 are refused with the accepted range", func(t *testing.T) {
		for field, tc := range map[string]struct{ value, want string }{
			"validUntil": {"9999-01-01T00:00:00Z", "INVALID_ARGUMENT: validUntil 9999-01-01T00:00:00Z is after 2199-12-31: times must lie within the years 1900 to 2199"},
			"validFrom":  {"1800-01-01T00:00:00Z", "INVALID_ARGUMENT: validFrom 1800-01-01T00:00:00Z is before 1900-01-01: times must lie within the years 1900 to 2199"},
		} {
			t.Run(field, func(t *testing.T) {
				stub := docLedger(t, p)
				before := contracttest.Snapshot(stub)
				f := docFields("doc-far")
				f[field] = tc.value
				if field == "validFrom" {
					f["validUntil"] = "2024-01-01T00:00:00Z"
				}
				_, err := docs.Register(contracttest.TxAs(stub, p.regClerk), contracttest.JSONWith(t, f, nil))
				require.EqualError(t, err, tc.want)
				contracttest.RequireUnchanged(t, stub, before)
			})
		}
		stub := docLedger(t, p)
		d := registerDoc(t, stub, p.regClerk, map[string]any{"id": "doc-edge", "type": "permit", "sha256": docHashA,
			"validFrom": "1900-01-01T00:00:00Z", "validUntil": "2199-12-31T23:59:59Z", "subjectRef": docSubject})
		require.Equal(t, "2199-12-31T23:59:59Z", d.ValidUntil, "the last second of 2199 is accepted")
	})

	t.Run("boundary values and every type are accepted", func(t *testing.T) {
		for _, typ := range spec.DocumentTypes {
			f := docFields(strings.Repeat("x", 64))
			f["type"] = typ
			f["keyFacts"] = map[string]any{}
			for i := range 16 {
				f["keyFacts"].(map[string]any)[fmt.Sprintf("k%s%02d", strings.Repeat("a", 29), i)] = strings.Repeat("é", 128)
			}
			d := registerDoc(t, docLedger(t, p), p.regClerk, f)
			require.Equal(t, typ, d.Type)
			require.Len(t, d.KeyFacts, 16)
		}
	})

	t.Run("without validUntil a document has no end and key facts may be absent", func(t *testing.T) {
		f := docFields("birth-1")
		delete(f, "validUntil")
		delete(f, "keyFacts")
		d := registerDoc(t, docLedger(t, p), p.regClerk, f)
		require.Empty(t, d.ValidUntil)
		require.NotNil(t, d.KeyFacts)
		require.Empty(t, d.KeyFacts)

		f["validUntil"] = ""
		f["keyFacts"] = nil
		d = registerDoc(t, docLedger(t, p), p.regClerk, f)
		require.Empty(t, d.ValidUntil)
		require.Equal(t, map[string]string{}, d.KeyFacts)
	})

	t.Run("times are stored in utc and key fact values trimmed", func(t *testing.T) {
		f := docFields("doc-1")
		f["validFrom"] = "2024-01-01T01:00:00+01:00"
		f["validUntil"] = "2024-06-30T23:59:59.5-02:00"
		f["keyFacts"] = map[string]any{"proceedings": "  3 "}
		d := registerDoc(t, docLedger(t, p), p.regClerk, f)
		require.Equal(t, "2024-01-01T00:00:00Z", d.ValidFrom)
		require.Equal(t, "2024-07-01T01:59:59.5Z", d.ValidUntil)
		require.Equal(t, "3", d.KeyFacts["proceedings"])
	})

	t.Run("a registered event carries public facts only", func(t *testing.T) {
		stub := docLedger(t, p)
		registerDoc(t, stub, p.regClerk, docFields("doc-1"))
		events := stub.Events()
		last := events[len(events)-1]
		require.Equal(t, spec.EventDocumentRegistered, last.Name)
		require.JSONEq(t, `{"issuer":"RegistryMSP","id":"doc-1","type":"debt-extract","sha256":"`+docHashA+`",
			"status":"valid","at":"2024-01-02T03:04:05Z"}`, string(last.Payload))
		for _, secret := range []string{docSubject, p.regClerk.ID, "CHF", "keyFacts"} {
			require.NotContains(t, string(last.Payload), secret)
		}
	})

	t.Run("ledger failures surface as internal errors", func(t *testing.T) {
		cause := errors.New("disk on fire")
		for name, brk := range map[string]func(s *fakestub.Stub){
			"a failed read":            func(s *fakestub.Stub) { s.GetStateErr = cause },
			"a failed write":           func(s *fakestub.Stub) { s.PutStateErr = cause },
			"a failed membership scan": func(s *fakestub.Stub) { contracttest.DropMemberList(t, s); s.RangeErr = cause },
			"a failed event":           func(s *fakestub.Stub) { s.SetEventErr = cause },
			"a missing timestamp":      func(s *fakestub.Stub) { s.TxTimestampErr = cause },
		} {
			t.Run(name, func(t *testing.T) {
				stub := docLedger(t, p)
				brk(stub)
				_, err := docs.Register(contracttest.TxAs(stub, p.regClerk), contracttest.JSONWith(t, docFields("doc-1"), nil))
				contracttest.RequireCode(t, base.CodeInternal, err)
				require.ErrorIs(t, err, cause)
			})
		}
	})
}

// docPayload decodes an event payload.
func docPayload(t *testing.T, e fakestub.Event) documents.DocumentEvent {
	t.Helper()
	var ev documents.DocumentEvent
	require.NoError(t, json.Unmarshal(e.Payload, &ev))
	return ev
}
