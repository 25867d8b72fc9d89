package documents_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/civicledger/civicledger/chaincode/contracts/base"
	"github.com/civicledger/civicledger/chaincode/contracts/documents"
	"github.com/civicledger/civicledger/chaincode/contracts/internal/contracttest"
	"github.com/civicledger/civicledger/chaincode/internal/fakestub"
	"github.com/civicledger/civicledger/chaincode/spec"
	"github.com/civicledger/civicledger/chaincode/state"
)

const (
	docRegistryCollection = "_implicit_org_RegistryMSP"
	docSubjectJSON        = `{ "salt": "3f9a0c", "name": "Jean Dupont", "birthDate": "1970-01-01" }`
	docSubjectCompact     = `{"salt":"3f9a0c","name":"Jean Dupont","birthDate":"1970-01-01"}`
)

// docWithSubject sets the transient map of the next call to carry subject.
func docWithSubject(stub *fakestub.Stub, subject string) *fakestub.Stub {
	stub.SetTransient(map[string][]byte{spec.SubjectTransientKey: []byte(subject)})
	return stub
}

func TestDocumentsSubject(t *testing.T) {
	docs := documents.New()
	p := newDocPeople(t)

	t.Run("subject data given at registration goes to the issuer's implicit collection only", func(t *testing.T) {
		stub := docLedger(t, p)
		docWithSubject(stub, docSubjectJSON)
		d := registerDoc(t, stub, p.regClerk, docFields("doc-1"))
		stub.SetTransient(nil)

		key := contracttest.MustKey(t, stub, state.TypeDocumentSubject, "doc-1")
		stored, err := stub.GetPrivateData(docRegistryCollection, key)
		require.NoError(t, err)
		require.Equal(t, docSubjectCompact, string(stored))
		for _, k := range stub.Keys() {
			v, err := stub.GetState(k)
			require.NoError(t, err)
			require.NotContains(t, string(v), "Dupont", "public key %q", k)
		}
		for _, e := range stub.Events() {
			require.NotContains(t, string(e.Payload), "Dupont")
		}
		require.Equal(t, docSubject, d.SubjectRef)

		got, err := docs.GetSubject(contracttest.TxAs(stub, p.regApprover), "doc-1")
		require.NoError(t, err)
		require.JSONEq(t, docSubjectJSON, got)
	})

	t.Run("subject data may be set after registration, by the issuer's peer alone", func(t *testing.T) {
		stub := docLedger(t, p)
		registerDoc(t, stub, p.regClerk, docFields("doc-1"))
		_, err := docs.GetSubject(contracttest.TxAs(stub, p.regClerk), "doc-1")
		contracttest.RequireCode(t, base.CodeNotFound, err)

		docAt(t, stub, "2024-01-03T00:00:00Z")
		require.NoError(t, docs.SetSubject(contracttest.TxAs(docWithSubject(stub, docSubjectJSON), p.regClerk), "doc-1"))
		stub.SetTransient(nil)
		got, err := docs.GetSubject(contracttest.TxAs(stub, p.regAdmin), "doc-1")
		require.NoError(t, err)
		require.Equal(t, docSubjectCompact, got)
		events := stub.Events()
		require.Equal(t, spec.EventDocumentSubjectSet, events[len(events)-1].Name)
		require.Equal(t, "2024-01-03T00:00:00Z", docPayload(t, events[len(events)-1]).At)
		require.NotContains(t, string(events[len(events)-1].Payload), "Dupont")

		err = docs.SetSubject(contracttest.TxAs(docWithSubject(stub, docSubjectJSON), p.regClerk), "doc-1")
		contracttest.RequireCode(t, base.CodeAlreadyExists, err)
	})

	t.Run("malformed subject data is refused and nothing is written", func(t *testing.T) {
		for name, tm := range map[string]map[string][]byte{
			"data that is not json":         {"subject": []byte("Jean Dupont")},
			"truncated json":                {"subject": []byte(`{"salt":"x",`)},
			"a json array":                  {"subject": []byte(`["salt"]`)},
			"json null":                     {"subject": []byte(`null`)},
			"an empty value":                {"subject": {}},
			"an object without salt":        {"subject": []byte(`{"name":"Jean"}`)},
			"a numeric salt":                {"subject": []byte(`{"salt":42}`)},
			"a blank salt":                  {"subject": []byte(`{"salt":"  "}`)},
			"trailing data":                 {"subject": []byte(`{"salt":"x"} {}`)},
			"a key twice":                   {"subject": []byte(`{"salt":"x","salt":"y"}`)},
			"bytes that are not utf-8":      {"subject": []byte("{\"salt\":\"\xff\"}")},
			"data over 4 KiB":               {"subject": []byte(`{"salt":"x","pad":"` + strings.Repeat("p", 4<<10) + `"}`)},
			"an unknown transient key":      {"subject": []byte(`{"salt":"x"}`), "ssn": []byte("123")},
			"only an unknown transient key": {"subject2": []byte(`{"salt":"x"}`)},
		} {
			t.Run(name, func(t *testing.T) {
				stub := docLedger(t, p)
				before := stub.State()
				stub.SetTransient(tm)
				_, err := docs.Register(contracttest.TxAs(stub, p.regClerk), contracttest.JSONWith(t, docFields("doc-1"), nil))
				contracttest.RequireCode(t, base.CodeInvalidArgument, err)
				require.Less(t, len(err.Error()), 300)
				require.Equal(t, before, stub.State())
				key := contracttest.MustKey(t, stub, state.TypeDocumentSubject, "doc-1")
				v, err := stub.GetPrivateData(docRegistryCollection, key)
				require.NoError(t, err)
				require.Nil(t, v)
			})
		}
	})

	t.Run("subject data of exactly 4 KiB is accepted", func(t *testing.T) {
		prefix, suffix := `{"salt":"x","pad":"`, `"}`
		data := prefix + strings.Repeat("p", 4<<10-len(prefix)-len(suffix)) + suffix
		require.Len(t, data, 4096)
		stub := docLedger(t, p)
		docWithSubject(stub, data)
		registerDoc(t, stub, p.regClerk, docFields("doc-1"))
	})

	t.Run("setting subject data is refused to the wrong callers and without data", func(t *testing.T) {
		for name, tc := range map[string]struct {
			caller fakestub.Identity
			id     string
			tm     map[string][]byte
			code   base.Code
		}{
			"an approver":                       {p.regApprover, "doc-1", map[string][]byte{"subject": []byte(docSubjectJSON)}, base.CodePermissionDenied},
			"a clerk of another administration": {p.treClerk, "doc-1", map[string][]byte{"subject": []byte(docSubjectJSON)}, base.CodeNotFound},
			"a missing transient subject":       {p.regClerk, "doc-1", nil, base.CodeInvalidArgument},
			"an unknown document":               {p.regClerk, "doc-9", map[string][]byte{"subject": []byte(docSubjectJSON)}, base.CodeNotFound},
			"a malformed id":                    {p.regClerk, "doc 1", map[string][]byte{"subject": []byte(docSubjectJSON)}, base.CodeInvalidArgument},
		} {
			t.Run(name, func(t *testing.T) {
				stub := docLedger(t, p)
				registerDoc(t, stub, p.regClerk, docFields("doc-1"))
				stub.SetTransient(tc.tm)
				err := docs.SetSubject(contracttest.TxAs(stub, tc.caller), tc.id)
				contracttest.RequireCode(t, tc.code, err)
				stub.SetTransient(nil)
				_, err = docs.GetSubject(contracttest.TxAs(stub, p.regClerk), "doc-1")
				contracttest.RequireCode(t, base.CodeNotFound, err)
			})
		}
	})

	t.Run("only the issuer reads its subject data", func(t *testing.T) {
		stub := docLedger(t, p)
		docWithSubject(stub, docSubjectJSON)
		registerDoc(t, stub, p.regClerk, docFields("doc-1"))
		stub.SetTransient(nil)
		for name, tc := range map[string]struct {
			caller fakestub.Identity
			code   base.Code
		}{
			"an admin of another administration":  {p.treAdmin, base.CodeNotFound},
			"a clerk of another administration":   {p.treClerk, base.CodeNotFound},
			"a caller of the issuer without role": {p.regNoRole, base.CodePermissionDenied},
		} {
			t.Run(name, func(t *testing.T) {
				got, err := docs.GetSubject(contracttest.TxAs(stub, tc.caller), "doc-1")
				contracttest.RequireCode(t, tc.code, err)
				require.Empty(t, got)
			})
		}
	})

	t.Run("an admin purges subject data and verification keeps working", func(t *testing.T) {
		stub := docLedger(t, p)
		docWithSubject(stub, docSubjectJSON)
		registerDoc(t, stub, p.regClerk, docFields("doc-1"))
		stub.SetTransient(nil)
		publicBefore := stub.State()

		docAt(t, stub, "2024-02-01T00:00:00Z")
		require.NoError(t, docs.PurgeSubject(contracttest.TxAs(stub, p.regAdmin), "doc-1"))

		key := contracttest.MustKey(t, stub, state.TypeDocumentSubject, "doc-1")
		require.True(t, stub.Purged(docRegistryCollection, key))
		v, err := stub.GetPrivateData(docRegistryCollection, key)
		require.NoError(t, err)
		require.Nil(t, v)
		require.Equal(t, publicBefore, stub.State(), "the public record and indexes stay")

		_, err = docs.GetSubject(contracttest.TxAs(stub, p.regAdmin), "doc-1")
		contracttest.RequireCode(t, base.CodeNotFound, err)
		require.Contains(t, err.Error(), "purged")
		verdict, err := docs.Verify(contracttest.TxAs(stub, p.treClerk), "RegistryMSP", "doc-1")
		require.NoError(t, err)
		require.Equal(t, spec.DocumentValid, verdict.Status)
		byHash, err := docs.VerifyHash(contracttest.TxAs(stub, p.treClerk), docHashA)
		require.NoError(t, err)
		require.Equal(t, "doc-1", byHash[0].ID)
		d, err := docs.Get(contracttest.TxAs(stub, p.treClerk), "RegistryMSP", "doc-1")
		require.NoError(t, err)
		require.Equal(t, docSubject, d.SubjectRef)

		events := stub.Events()
		require.Equal(t, spec.EventDocumentSubjectPurged, events[len(events)-1].Name)
		require.Equal(t, documents.DocumentEvent{
			Issuer: "RegistryMSP", ID: "doc-1", Type: "debt-extract", SHA256: docHashA,
			Status: "valid", At: "2024-02-01T00:00:00Z",
		}, docPayload(t, events[len(events)-1]))

		err = docs.PurgeSubject(contracttest.TxAs(stub, p.regAdmin), "doc-1")
		contracttest.RequireCode(t, base.CodeFailedPrecondition, err)
		err = docs.SetSubject(contracttest.TxAs(docWithSubject(stub, docSubjectJSON), p.regClerk), "doc-1")
		contracttest.RequireCode(t, base.CodeFailedPrecondition, err) // purged data cannot come back
	})

	t.Run("purging is refused to the wrong callers and when there is nothing to purge", func(t *testing.T) {
		for name, tc := range map[string]struct {
			caller fakestub.Identity
			id     string
			code   base.Code
		}{
			"a clerk of the issuer":              {p.regClerk, "doc-1", base.CodePermissionDenied},
			"an approver of the issuer":          {p.regApprover, "doc-1", base.CodePermissionDenied},
			"an admin of another administration": {p.treAdmin, "doc-1", base.CodeNotFound},
			"a document without subject data":    {p.regAdmin, "doc-2", base.CodeNotFound},
			"an unknown document":                {p.regAdmin, "doc-9", base.CodeNotFound},
			"a malformed id":                     {p.regAdmin, "", base.CodeInvalidArgument},
		} {
			t.Run(name, func(t *testing.T) {
				stub := docLedger(t, p)
				docWithSubject(stub, docSubjectJSON)
				registerDoc(t, stub, p.regClerk, docFields("doc-1"))
				stub.SetTransient(nil)
				registerDoc(t, stub, p.regClerk, docFields("doc-2"))
				err := docs.PurgeSubject(contracttest.TxAs(stub, tc.caller), tc.id)
				contracttest.RequireCode(t, tc.code, err)
				key := contracttest.MustKey(t, stub, state.TypeDocumentSubject, "doc-1")
				require.False(t, stub.Purged(docRegistryCollection, key))
				got, err := docs.GetSubject(contracttest.TxAs(stub, p.regClerk), "doc-1")
				require.NoError(t, err)
				require.Equal(t, docSubjectCompact, got)
			})
		}
	})

	t.Run("a failed read of the record surfaces as an internal error", func(t *testing.T) {
		stub := docLedger(t, p)
		registerDoc(t, stub, p.regClerk, docFields("doc-1"))
		cause := errors.New("disk on fire")
		stub.GetStateErr = cause
		err := docs.SetSubject(contracttest.TxAs(docWithSubject(stub, docSubjectJSON), p.regClerk), "doc-1")
		contracttest.RequireCode(t, base.CodeInternal, err)
		require.ErrorIs(t, err, cause)
	})
}
