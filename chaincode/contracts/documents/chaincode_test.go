package documents_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/civicledger/civicledger/chaincode/contracts/base"
	"github.com/civicledger/civicledger/chaincode/contracts/directory"
	"github.com/civicledger/civicledger/chaincode/contracts/documents"
	"github.com/civicledger/civicledger/chaincode/contracts/internal/contracttest"
	"github.com/civicledger/civicledger/chaincode/records"
	"github.com/civicledger/civicledger/chaincode/spec"
)

// TestDocumentsChaincode drives the contract through the contract API, as a
// peer would: argument conversion, JSON results and metadata.
func TestDocumentsChaincode(t *testing.T) {
	p := newDocPeople(t)
	stub := docLedger(t, p)
	cc := contracttest.NewChaincode(t, stub, directory.New(), documents.New())

	t.Run("a document goes through its whole life as Documents:<Transaction> calls", func(t *testing.T) {
		payload := cc.OK(t, p.regClerk, "Documents:Register", contracttest.JSONWith(t, docFields("doc-1"), nil))
		var d records.Document
		require.NoError(t, json.Unmarshal([]byte(payload), &d))
		require.Equal(t, "RegistryMSP", d.Issuer)

		cc.OK(t, p.regClerk, "Documents:Register", contracttest.JSONWith(t, docFields("doc-2"), nil))
		docWithSubject(stub, docSubjectJSON)
		cc.OK(t, p.regClerk, "Documents:SetSubject", "doc-1")
		stub.SetTransient(nil)
		require.JSONEq(t, docSubjectJSON, cc.OK(t, p.regAdmin, "Documents:GetSubject", "doc-1"))

		require.JSONEq(t, `{"status":"valid","issuer":"RegistryMSP","id":"doc-1","type":"debt-extract",
			"sha256":"`+docHashA+`","validFrom":"2024-01-01T00:00:00Z","validUntil":"2024-04-01T00:00:00Z",
			"checkedAt":"2024-01-02T03:04:05Z"}`, cc.OK(t, p.treClerk, "Documents:Verify", "RegistryMSP", "doc-1"))
		require.JSONEq(t, `{"status":"unknown","issuer":"RegistryMSP","id":"nope","checkedAt":"2024-01-02T03:04:05Z"}`,
			cc.OK(t, p.treClerk, "Documents:Verify", "RegistryMSP", "nope"))

		cc.OK(t, p.regApprover, "Documents:Supersede", "doc-1", "doc-2")
		cc.OK(t, p.regApprover, "Documents:Revoke", "doc-2", "issued in error")
		var verdicts []records.DocumentVerdict
		require.NoError(t, json.Unmarshal([]byte(cc.OK(t, p.treClerk, "Documents:VerifyHash", docHashA)), &verdicts))
		require.Len(t, verdicts, 2)
		require.Equal(t, "superseded", verdicts[0].Status)
		require.Equal(t, "doc-2", verdicts[0].SupersededBy)
		require.Equal(t, "revoked", verdicts[1].Status)
		require.Equal(t, "issued in error", verdicts[1].RevokedReason)

		var page records.DocumentPage
		require.NoError(t, json.Unmarshal([]byte(cc.OK(t, p.treClerk, "Documents:ListByIssuer", "RegistryMSP", "debt-extract", "1", "")), &page))
		require.Len(t, page.Items, 1)
		require.NotEmpty(t, page.Bookmark)
		require.Equal(t, `{"items":[],"bookmark":""}`, cc.OK(t, p.treClerk, "Documents:ListByIssuer", "CouncilMSP", "", "0", ""))

		var versions []records.DocumentVersion
		require.NoError(t, json.Unmarshal([]byte(cc.OK(t, p.treClerk, "Documents:History", "RegistryMSP", "doc-1")), &versions))
		require.Len(t, versions, 2)

		cc.OK(t, p.regAdmin, "Documents:PurgeSubject", "doc-1")
		status, _, msg := cc.Invoke(p.regAdmin, "Documents:GetSubject", "doc-1")
		contracttest.RequireRefused(t, status, msg, base.CodeNotFound)
	})

	t.Run("errors reach the client as messages with a code prefix", func(t *testing.T) {
		cc.RequireRefusals(t, map[string]contracttest.Refusal{
			"a duplicate registration":   {ID: p.regClerk, Fn: "Documents:Register", Args: []string{contracttest.JSONWith(t, docFields("doc-1"), nil)}, Code: base.CodeAlreadyExists},
			"a registration by approver": {ID: p.regApprover, Fn: "Documents:Register", Args: []string{contracttest.JSONWith(t, docFields("x"), nil)}, Code: base.CodePermissionDenied},
			"bad json":                   {ID: p.regClerk, Fn: "Documents:Register", Args: []string{"{"}, Code: base.CodeInvalidArgument},
			"a revocation by a clerk":    {ID: p.regClerk, Fn: "Documents:Revoke", Args: []string{"doc-1", "r"}, Code: base.CodePermissionDenied},
			"a revocation of a revoked":  {ID: p.regApprover, Fn: "Documents:Revoke", Args: []string{"doc-2", "r"}, Code: base.CodeFailedPrecondition},
			"a missing document":         {ID: p.treClerk, Fn: "Documents:Get", Args: []string{"RegistryMSP", "nope"}, Code: base.CodeNotFound},
			"a page size that is text":   {ID: p.treClerk, Fn: "Documents:ListByIssuer", Args: []string{"RegistryMSP", "", "ten", ""}, Code: base.CodeInvalidArgument},
			"a purge by a clerk":         {ID: p.regClerk, Fn: "Documents:PurgeSubject", Args: []string{"doc-1"}, Code: base.CodePermissionDenied},
		})
	})

	t.Run("read-only transactions are marked evaluate in the metadata", func(t *testing.T) {
		cc.RequireTxKinds(t, spec.DocumentsContract,
			[]string{"Register", "RegisterBatch", "Revoke", "Supersede", "SetSubject", "PurgeSubject"},
			[]string{"Get", "Verify", "VerifyHash", "ListByIssuer", "History", "GetSubject"})
	})
}
