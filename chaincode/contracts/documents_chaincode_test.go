package contracts_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"
	"github.com/stretchr/testify/require"

	"github.com/civicledger/civicledger/chaincode/contracts"
	"github.com/civicledger/civicledger/chaincode/internal/fakestub"
)

// TestDocumentsChaincode drives the contract through the contract API, as a
// peer would: argument conversion, JSON results and metadata.
func TestDocumentsChaincode(t *testing.T) {
	cc, err := contractapi.NewChaincode(contracts.NewDirectoryContract(), contracts.NewDocumentsContract())
	require.NoError(t, err)
	p := newDocPeople(t)
	stub := docLedger(t, p)

	invoke := func(id fakestub.Identity, transient map[string][]byte, fn string, args ...string) (int32, string, string) {
		stub.As(id).SetArgs(fn, args...)
		stub.SetTransient(transient)
		resp := cc.Invoke(stub)
		return resp.Status, string(resp.Payload), resp.Message
	}
	ok := func(id fakestub.Identity, transient map[string][]byte, fn string, args ...string) string {
		t.Helper()
		status, payload, msg := invoke(id, transient, fn, args...)
		require.EqualValues(t, 200, status, msg)
		return payload
	}

	t.Run("a document goes through its whole life as Documents:<Transaction> calls", func(t *testing.T) {
		payload := ok(p.regClerk, nil, "Documents:Register", docJSON(t, docFields("doc-1")))
		var d contracts.Document
		require.NoError(t, json.Unmarshal([]byte(payload), &d))
		require.Equal(t, "RegistryMSP", d.Issuer)

		ok(p.regClerk, nil, "Documents:Register", docJSON(t, docFields("doc-2")))
		ok(p.regClerk, map[string][]byte{"subject": []byte(docSubjectJSON)}, "Documents:SetSubject", "doc-1")
		require.JSONEq(t, docSubjectJSON, ok(p.regAdmin, nil, "Documents:GetSubject", "doc-1"))

		require.JSONEq(t, `{"status":"valid","issuer":"RegistryMSP","id":"doc-1","type":"debt-extract",
			"sha256":"`+docHashA+`","validFrom":"2024-01-01T00:00:00Z","validUntil":"2024-04-01T00:00:00Z",
			"checkedAt":"2024-01-02T03:04:05Z"}`, ok(p.treClerk, nil, "Documents:Verify", "RegistryMSP", "doc-1"))
		require.JSONEq(t, `{"status":"unknown","issuer":"RegistryMSP","id":"nope","checkedAt":"2024-01-02T03:04:05Z"}`,
			ok(p.treClerk, nil, "Documents:Verify", "RegistryMSP", "nope"))

		ok(p.regApprover, nil, "Documents:Supersede", "doc-1", "doc-2")
		ok(p.regApprover, nil, "Documents:Revoke", "doc-2", "issued in error")
		var verdicts []contracts.DocumentVerdict
		require.NoError(t, json.Unmarshal([]byte(ok(p.treClerk, nil, "Documents:VerifyHash", docHashA)), &verdicts))
		require.Len(t, verdicts, 2)
		require.Equal(t, "superseded", verdicts[0].Status)
		require.Equal(t, "doc-2", verdicts[0].SupersededBy)
		require.Equal(t, "revoked", verdicts[1].Status)
		require.Equal(t, "issued in error", verdicts[1].RevokedReason)

		var page contracts.DocumentPage
		require.NoError(t, json.Unmarshal([]byte(ok(p.treClerk, nil, "Documents:ListByIssuer", "RegistryMSP", "debt-extract", "1", "")), &page))
		require.Len(t, page.Items, 1)
		require.NotEmpty(t, page.Bookmark)
		require.Equal(t, `{"items":[],"bookmark":""}`, ok(p.treClerk, nil, "Documents:ListByIssuer", "CouncilMSP", "", "0", ""))

		var versions []contracts.DocumentVersion
		require.NoError(t, json.Unmarshal([]byte(ok(p.treClerk, nil, "Documents:History", "RegistryMSP", "doc-1")), &versions))
		require.Len(t, versions, 2)

		ok(p.regAdmin, nil, "Documents:PurgeSubject", "doc-1")
		status, _, msg := invoke(p.regAdmin, nil, "Documents:GetSubject", "doc-1")
		require.EqualValues(t, 500, status)
		require.True(t, strings.HasPrefix(msg, "NOT_FOUND: "), msg)
	})

	t.Run("errors reach the client as messages with a code prefix", func(t *testing.T) {
		for name, tc := range map[string]struct {
			id   fakestub.Identity
			fn   string
			args []string
			code contracts.Code
		}{
			"a duplicate registration":   {p.regClerk, "Documents:Register", []string{docJSON(t, docFields("doc-1"))}, contracts.CodeAlreadyExists},
			"a registration by approver": {p.regApprover, "Documents:Register", []string{docJSON(t, docFields("x"))}, contracts.CodePermissionDenied},
			"bad json":                   {p.regClerk, "Documents:Register", []string{"{"}, contracts.CodeInvalidArgument},
			"a revocation by a clerk":    {p.regClerk, "Documents:Revoke", []string{"doc-1", "r"}, contracts.CodePermissionDenied},
			"a revocation of a revoked":  {p.regApprover, "Documents:Revoke", []string{"doc-2", "r"}, contracts.CodeFailedPrecondition},
			"a missing document":         {p.treClerk, "Documents:Get", []string{"RegistryMSP", "nope"}, contracts.CodeNotFound},
			"a page size that is text":   {p.treClerk, "Documents:ListByIssuer", []string{"RegistryMSP", "", "ten", ""}, contracts.CodeInvalidArgument},
			"a purge by a clerk":         {p.regClerk, "Documents:PurgeSubject", []string{"doc-1"}, contracts.CodePermissionDenied},
		} {
			t.Run(name, func(t *testing.T) {
				status, _, msg := invoke(tc.id, nil, tc.fn, tc.args...)
				require.EqualValues(t, 500, status)
				require.True(t, strings.HasPrefix(msg, string(tc.code)+": "), "message %q", msg)
			})
		}
	})

	t.Run("read-only transactions are marked evaluate in the metadata", func(t *testing.T) {
		payload := ok(p.treClerk, nil, "org.hyperledger.fabric:GetMetadata")
		var md struct {
			Contracts map[string]struct {
				Transactions []struct {
					Name string   `json:"name"`
					Tags []string `json:"tag"`
				} `json:"transactions"`
			} `json:"contracts"`
		}
		require.NoError(t, json.Unmarshal([]byte(payload), &md))
		tags := map[string][]string{}
		for _, tx := range md.Contracts[contracts.DocumentsContractName].Transactions {
			tags[tx.Name] = tx.Tags
		}
		require.Len(t, tags, 11)
		for _, name := range []string{"Get", "Verify", "VerifyHash", "ListByIssuer", "History", "GetSubject"} {
			require.Contains(t, tags[name], "evaluate", name)
		}
		for _, name := range []string{"Register", "Revoke", "Supersede", "SetSubject", "PurgeSubject"} {
			require.Contains(t, tags[name], "submit", name)
		}
	})
}
