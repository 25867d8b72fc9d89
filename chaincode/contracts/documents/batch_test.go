package documents_test

import (
	"encoding/json"
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

// batchInput is the RegisterBatch input of the given entries.
func batchInput(t testing.TB, skip bool, entries ...map[string]any) string {
	t.Helper()
	b, err := json.Marshal(map[string]any{"documents": entries, "skipRegistered": skip})
	require.NoError(t, err)
	return string(b)
}

// batchEntries are n valid registrations doc-0 … doc-n-1, each with its own
// hash.
func batchEntries(n int) []map[string]any {
	out := make([]map[string]any, n)
	for i := range out {
		f := docFields(fmt.Sprintf("doc-%d", i))
		f["sha256"] = fmt.Sprintf("%064x", i+1)
		out[i] = f
	}
	return out
}

func TestDocumentsRegisterBatch(t *testing.T) {
	docs := documents.New()
	p := newDocPeople(t)

	t.Run("a clerk registers a batch: every document reads back as Register would store it", func(t *testing.T) {
		stub := docLedger(t, p)
		entries := batchEntries(3)
		res, err := docs.RegisterBatch(contracttest.TxAs(stub, p.regClerk), batchInput(t, false, entries...))
		require.NoError(t, err)
		require.Equal(t, &records.DocumentBatchResult{
			Issuer: "RegistryMSP", Registered: []string{"doc-0", "doc-1", "doc-2"}, Skipped: []string{},
			RegisteredAt: "2024-01-02T03:04:05Z", RegisteredBy: p.regClerk.ID,
		}, res)

		single := docLedger(t, p)
		for i, e := range entries {
			want := registerDoc(t, single, p.regClerk, e)
			got, err := docs.Get(contracttest.TxAs(stub, p.treClerk), "RegistryMSP", fmt.Sprintf("doc-%d", i))
			require.NoError(t, err)
			require.Equal(t, want, got)
			v, err := docs.VerifyHash(contracttest.TxAs(stub, p.treClerk), fmt.Sprintf("%064x", i+1))
			require.NoError(t, err)
			require.Len(t, v, 1)
			require.Equal(t, spec.DocumentValid, v[0].Status)
		}
		require.Equal(t, single.State(), stub.State(), "the same keys and values as one Register per document")
	})

	t.Run("one summary event lists the registered ids", func(t *testing.T) {
		stub := docLedger(t, p)
		_, err := docs.RegisterBatch(contracttest.TxAs(stub, p.regAdmin), batchInput(t, false, batchEntries(4)...))
		require.NoError(t, err)
		require.Equal(t, []string{spec.EventProfileSet, spec.EventProfileSet, spec.EventProfileSet, spec.EventDocumentsRegistered}, docEventNames(stub))
		var ev records.DocumentBatchResult
		require.NoError(t, json.Unmarshal(contracttest.LastEvent(t, stub).Payload, &ev))
		require.Equal(t, []string{"doc-0", "doc-1", "doc-2", "doc-3"}, ev.Registered)
		require.Equal(t, "RegistryMSP", ev.Issuer)
	})

	t.Run("every key of every document takes the issuer-plus-one policy", func(t *testing.T) {
		stub := docLedger(t, p)
		_, err := docs.RegisterBatch(contracttest.TxAs(stub, p.regClerk), batchInput(t, false, batchEntries(2)...))
		require.NoError(t, err)
		for i := range 2 {
			id := fmt.Sprintf("doc-%d", i)
			for _, key := range []string{
				contracttest.MustKey(t, stub, state.TypeDocument, "RegistryMSP", id),
				contracttest.MustKey(t, stub, state.TypeDocumentByHash, fmt.Sprintf("%064x", i+1), "RegistryMSP", id),
				contracttest.MustKey(t, stub, state.TypeDocumentByType, "RegistryMSP", "debt-extract", id),
			} {
				policy, err := stub.GetStateValidationParameter(key)
				require.NoError(t, err)
				require.True(t, contracttest.Satisfied(t, policy, "RegistryMSP", "CouncilMSP"), key)
				require.False(t, contracttest.Satisfied(t, policy, "TreasuryMSP", "CouncilMSP"), key)
			}
		}
	})

	refused := func(t *testing.T, stub *fakestub.Stub, id fakestub.Identity, input string, code base.Code, msg string) {
		t.Helper()
		before := contracttest.Snapshot(stub)
		events := len(stub.Events())
		_, err := docs.RegisterBatch(contracttest.TxAs(stub, id), input)
		contracttest.RequireCode(t, code, err)
		require.ErrorContains(t, err, msg)
		contracttest.RequireUnchanged(t, stub, before)
		require.Len(t, stub.Events(), events)
	}

	t.Run("an approver, a caller without role and an administration without profile are refused", func(t *testing.T) {
		stub := docLedger(t, p)
		refused(t, stub, p.regApprover, batchInput(t, false, batchEntries(1)...), base.CodePermissionDenied, "")
		refused(t, stub, p.regNoRole, batchInput(t, false, batchEntries(1)...), base.CodePermissionDenied, "")
		outsider := fakestub.NewIdentity(t, "OutsiderMSP", "olga", spec.RoleClerk)
		refused(t, stub, outsider, batchInput(t, false, batchEntries(1)...), base.CodeFailedPrecondition, "Directory:SetProfile")
	})

	t.Run("an id already registered refuses the whole batch, naming the entry", func(t *testing.T) {
		stub := docLedger(t, p)
		registerDoc(t, stub, p.regClerk, batchEntries(3)[2])
		refused(t, stub, p.regClerk, batchInput(t, false, batchEntries(3)...), base.CodeAlreadyExists, `documents[2] (id "doc-2")`)
	})

	t.Run("with skipRegistered, an id registered with the same content is skipped", func(t *testing.T) {
		stub := docLedger(t, p)
		entries := batchEntries(3)
		registerDoc(t, stub, p.regClerk, entries[1])
		res, err := docs.RegisterBatch(contracttest.TxAs(stub, p.regClerk), batchInput(t, true, entries...))
		require.NoError(t, err)
		require.Equal(t, []string{"doc-0", "doc-2"}, res.Registered)
		require.Equal(t, []string{"doc-1"}, res.Skipped)

		events := len(stub.Events())
		res, err = docs.RegisterBatch(contracttest.TxAs(stub, p.regClerk), batchInput(t, true, entries...))
		require.NoError(t, err, "running the same import again")
		require.Empty(t, res.Registered)
		require.Equal(t, []string{"doc-0", "doc-1", "doc-2"}, res.Skipped)
		require.Len(t, stub.Events(), events, "no event when nothing was registered")
	})

	t.Run("with skipRegistered, an id registered with another hash is still refused", func(t *testing.T) {
		stub := docLedger(t, p)
		entries := batchEntries(2)
		registerDoc(t, stub, p.regClerk, entries[1])
		entries[1]["sha256"] = docHashB
		refused(t, stub, p.regClerk, batchInput(t, true, entries...), base.CodeAlreadyExists, `documents[1] (id "doc-1"): document doc-1 is already registered by RegistryMSP with another type or sha256`)
	})

	t.Run("another administration's ids do not collide", func(t *testing.T) {
		stub := docLedger(t, p)
		_, err := docs.RegisterBatch(contracttest.TxAs(stub, p.treClerk), batchInput(t, false, batchEntries(2)...))
		require.NoError(t, err)
		res, err := docs.RegisterBatch(contracttest.TxAs(stub, p.regClerk), batchInput(t, false, batchEntries(2)...))
		require.NoError(t, err)
		require.Len(t, res.Registered, 2)
	})

	t.Run("transient subject data is refused", func(t *testing.T) {
		stub := docLedger(t, p)
		stub.SetTransient(map[string][]byte{spec.SubjectTransientKey: []byte(`{"salt":"x"}`)})
		refused(t, stub, p.regClerk, batchInput(t, false, batchEntries(1)...), base.CodeInvalidArgument, "SetSubject")
	})

	t.Run("malformed batches are refused with the failing entry's index and id, nothing written", func(t *testing.T) {
		bad := func(i int, change func(f map[string]any)) string {
			entries := batchEntries(3)
			change(entries[i])
			return batchInput(t, false, entries...)
		}
		dup := batchEntries(3)
		dup[2]["id"] = "doc-0"
		tooMany := batchEntries(spec.MaxDocumentBatch + 1)
		for name, tc := range map[string]struct{ input, msg string }{
			"an empty input":           {"", "batch is required"},
			"not json":                 {"[", "batch is not a json object"},
			"a bare array":             {batchInput(t, false, batchEntries(1)...)[13:], "batch is not a json object"},
			"an unknown field":         {`{"documents":[],"x":1}`, `unknown field "x"`},
			"no documents":             {`{"documents":[]}`, "batch has no documents"},
			"null documents":           {`{"documents":null}`, "batch has no documents"},
			"trailing data":            {`{"documents":[]} {}`, "data after its json value"},
			"invalid utf-8":            {"{\"documents\":[\"\xff\"]}", "not valid utf-8"},
			"too many documents":       {batchInput(t, false, tooMany...), fmt.Sprintf("batch has %d documents, at most %d", spec.MaxDocumentBatch+1, spec.MaxDocumentBatch)},
			"too large":                {`{"documents":["` + strings.Repeat("x", spec.MaxDocumentBatchInput) + `"]}`, "batch is too large"},
			"an entry that is no json": {`{"documents":[7]}`, "documents[0]: "},
			"a bad hash":               {bad(1, func(f map[string]any) { f["sha256"] = "zz" }), `documents[1] (id "doc-1"): sha256`},
			"an unknown type":          {bad(2, func(f map[string]any) { f["type"] = "passport" }), `documents[2] (id "doc-2"): type`},
			"an unknown entry field":   {bad(0, func(f map[string]any) { f["issuer"] = "TreasuryMSP" }), `documents[0] (id "doc-0")`},
			"a malformed id":           {bad(1, func(f map[string]any) { f["id"] = "-x" }), `documents[1] (id "-x"): id`},
			"a missing id":             {bad(1, func(f map[string]any) { delete(f, "id") }), `documents[1]: id`},
			"a window the wrong way":   {bad(0, func(f map[string]any) { f["validUntil"] = "2023-01-01T00:00:00Z" }), `documents[0] (id "doc-0"): validFrom`},
			"an id twice":              {batchInput(t, false, dup...), `documents[2] (id "doc-0"): id repeats documents[0] of the same batch`},
		} {
			t.Run(name, func(t *testing.T) {
				refused(t, docLedger(t, p), p.regClerk, tc.input, base.CodeInvalidArgument, tc.msg)
			})
		}
	})

	t.Run("a full batch of the largest size is registered", func(t *testing.T) {
		stub := docLedger(t, p)
		keys := len(stub.Keys())
		res, err := docs.RegisterBatch(contracttest.TxAs(stub, p.regClerk), batchInput(t, false, batchEntries(spec.MaxDocumentBatch)...))
		require.NoError(t, err)
		require.Len(t, res.Registered, spec.MaxDocumentBatch)
		require.Len(t, stub.Keys(), keys+3*spec.MaxDocumentBatch)
	})
}

// FuzzDocumentsRegisterBatch checks that any batch input either registers
// every fresh entry, three keys each, or is refused as INVALID_ARGUMENT
// with nothing written, without panicking.
func FuzzDocumentsRegisterBatch(f *testing.F) {
	entry := `{"id":"A","type":"permit","sha256":"` + strings.Repeat("ab", 32) + `","validFrom":"2024-01-01T00:00:00Z","subjectRef":"` + strings.Repeat("cd", 32) + `"}`
	for _, seed := range []string{
		`{"documents":[` + entry + `]}`,
		`{"documents":[` + entry + `,` + strings.Replace(entry, `"A"`, `"B"`, 1) + `],"skipRegistered":true}`,
		`{"documents":[` + entry + `,` + entry + `]}`,
		`{"documents":[null]}`, `{"documents":[{}]}`, `{"documents":{}}`, `{"skipRegistered":1}`, `[]`, `null`, ``, `{`,
	} {
		f.Add(seed)
	}
	p := docPeopleForFuzz(f)
	docs := documents.New()
	f.Fuzz(func(t *testing.T, input string) {
		stub := fakestub.New()
		for _, id := range []fakestub.Identity{p[2], p[1]} {
			contracttest.SetProfile(t, stub, id, "Administration", "agency", "x@example.org")
		}
		keys := len(stub.Keys())
		res, err := docs.RegisterBatch(contracttest.TxContext(stub.As(p[0])), input)
		if err != nil {
			contracttest.RequireCode(t, base.CodeInvalidArgument, err)
			require.Len(t, stub.Keys(), keys, "a refused batch writes nothing")
			return
		}
		require.NotEmpty(t, res.Registered)
		require.Empty(t, res.Skipped, "a fresh ledger has nothing to skip")
		require.Len(t, stub.Keys(), keys+3*len(res.Registered))
		for _, id := range res.Registered {
			d, err := docs.Get(contracttest.TxContext(stub.As(p[1])), "RegistryMSP", id)
			require.NoError(t, err)
			require.Equal(t, spec.DocumentValid, d.Status)
		}
	})
}
