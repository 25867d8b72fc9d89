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
)

func TestDocumentsRevoke(t *testing.T) {
	docs := documents.New()
	p := newDocPeople(t)

	t.Run("an approver of the issuer revokes a valid document with a reason", func(t *testing.T) {
		stub := docLedger(t, p)
		registerDoc(t, stub, p.regClerk, docFields("doc-1"))
		docAt(t, stub, "2024-02-01T10:00:00Z")
		d, err := docs.Revoke(contracttest.TxAs(stub, p.regApprover), "doc-1", "  issued in error ")
		require.NoError(t, err)
		require.Equal(t, spec.DocumentRevoked, d.Status)
		require.Equal(t, "issued in error", d.RevokedReason)
		require.Equal(t, "2024-02-01T10:00:00Z", d.StatusChangedAt)
		require.Equal(t, p.regApprover.ID, d.StatusChangedBy)

		got, err := docs.Get(contracttest.TxAs(stub, p.treClerk), "RegistryMSP", "doc-1")
		require.NoError(t, err)
		require.Equal(t, d, got)
		events := stub.Events()
		require.Equal(t, spec.EventDocumentRevoked, events[len(events)-1].Name)
		require.Equal(t, documents.DocumentEvent{
			Issuer: "RegistryMSP", ID: "doc-1", Type: "debt-extract", SHA256: docHashA,
			Status: "revoked", At: "2024-02-01T10:00:00Z",
		}, docPayload(t, events[len(events)-1]))
	})

	t.Run("an admin of the issuer may revoke too", func(t *testing.T) {
		stub := docLedger(t, p)
		registerDoc(t, stub, p.regClerk, docFields("doc-1"))
		_, err := docs.Revoke(contracttest.TxAs(stub, p.regAdmin), "doc-1", "fraud")
		require.NoError(t, err)
	})

	t.Run("refusals leave the document valid", func(t *testing.T) {
		for name, tc := range map[string]struct {
			caller fakestub.Identity
			id     string
			reason string
			code   base.Code
		}{
			"a clerk of the issuer":                      {p.regClerk, "doc-1", "fraud", base.CodePermissionDenied},
			"a caller of the issuer without a role":      {p.regNoRole, "doc-1", "fraud", base.CodePermissionDenied},
			"an approver of another administration":      {p.treApprover, "doc-1", "fraud", base.CodeNotFound},
			"an admin of another administration":         {p.couAdmin, "doc-1", "fraud", base.CodeNotFound},
			"an unknown id":                              {p.regApprover, "doc-2", "fraud", base.CodeNotFound},
			"a malformed id":                             {p.regApprover, "doc 1", "fraud", base.CodeInvalidArgument},
			"an empty reason":                            {p.regApprover, "doc-1", "", base.CodeInvalidArgument},
			"a blank reason":                             {p.regApprover, "doc-1", " \t", base.CodeInvalidArgument},
			"a reason of 501 characters":                 {p.regApprover, "doc-1", strings.Repeat("r", 501), base.CodeInvalidArgument},
			"a reason with control characters":           {p.regApprover, "doc-1", "fraud\x07", base.CodeInvalidArgument},
			"an admin of another administration (empty)": {p.treAdmin, "", "fraud", base.CodeInvalidArgument},
		} {
			t.Run(name, func(t *testing.T) {
				stub := docLedger(t, p)
				registerDoc(t, stub, p.regClerk, docFields("doc-1"))
				before := stub.State()
				_, err := docs.Revoke(contracttest.TxAs(stub, tc.caller), tc.id, tc.reason)
				contracttest.RequireCode(t, tc.code, err)
				require.Equal(t, before, stub.State())
				require.Len(t, stub.Events(), 4)
			})
		}
	})

	t.Run("a reason of 500 characters is accepted", func(t *testing.T) {
		stub := docLedger(t, p)
		registerDoc(t, stub, p.regClerk, docFields("doc-1"))
		d, err := docs.Revoke(contracttest.TxAs(stub, p.regApprover), "doc-1", strings.Repeat("é", 500))
		require.NoError(t, err)
		require.Len(t, []rune(d.RevokedReason), 500)
	})

	t.Run("another administration revoking an id it also uses revokes only its own document", func(t *testing.T) {
		stub := docLedger(t, p)
		registerDoc(t, stub, p.regClerk, docFields("doc-1"))
		registerDoc(t, stub, p.treClerk, docFields("doc-1"))
		_, err := docs.Revoke(contracttest.TxAs(stub, p.treApprover), "doc-1", "fraud")
		require.NoError(t, err)
		reg, err := docs.Get(contracttest.TxAs(stub, p.treClerk), "RegistryMSP", "doc-1")
		require.NoError(t, err)
		require.Equal(t, spec.DocumentValid, reg.Status)
	})

	t.Run("a document already revoked or superseded cannot be revoked", func(t *testing.T) {
		stub := docLedger(t, p)
		registerDoc(t, stub, p.regClerk, docFields("doc-1"))
		registerDoc(t, stub, p.regClerk, docFields("doc-2"))
		registerDoc(t, stub, p.regClerk, docFields("doc-3"))
		_, err := docs.Revoke(contracttest.TxAs(stub, p.regApprover), "doc-1", "fraud")
		require.NoError(t, err)
		_, err = docs.Supersede(contracttest.TxAs(stub, p.regApprover), "doc-2", "doc-3")
		require.NoError(t, err)

		_, err = docs.Revoke(contracttest.TxAs(stub, p.regApprover), "doc-1", "again")
		contracttest.RequireCode(t, base.CodeFailedPrecondition, err)
		require.Contains(t, err.Error(), "already revoked")
		_, err = docs.Revoke(contracttest.TxAs(stub, p.regApprover), "doc-2", "fraud")
		contracttest.RequireCode(t, base.CodeFailedPrecondition, err)
		require.Contains(t, err.Error(), "already superseded")
	})

	t.Run("an expired document may still be revoked", func(t *testing.T) {
		stub := docLedger(t, p)
		registerDoc(t, stub, p.regClerk, docFields("doc-1"))
		docAt(t, stub, "2030-01-01T00:00:00Z")
		d, err := docs.Revoke(contracttest.TxAs(stub, p.regApprover), "doc-1", "fraud found later")
		require.NoError(t, err)
		require.Equal(t, spec.DocumentRevoked, d.Status)
	})

	t.Run("a failed read surfaces as an internal error", func(t *testing.T) {
		stub := docLedger(t, p)
		registerDoc(t, stub, p.regClerk, docFields("doc-1"))
		cause := errors.New("disk on fire")
		stub.GetStateErr = cause
		_, err := docs.Revoke(contracttest.TxAs(stub, p.regApprover), "doc-1", "fraud")
		contracttest.RequireCode(t, base.CodeInternal, err)
		require.ErrorIs(t, err, cause)
	})
}

func TestDocumentsSupersede(t *testing.T) {
	docs := documents.New()
	p := newDocPeople(t)

	t.Run("an approver supersedes a document with a newer one of the same issuer", func(t *testing.T) {
		stub := docLedger(t, p)
		registerDoc(t, stub, p.regClerk, docFields("permit-1"))
		registerDoc(t, stub, p.regClerk, docFields("permit-2"))
		docAt(t, stub, "2024-03-01T00:00:00Z")
		d, err := docs.Supersede(contracttest.TxAs(stub, p.regApprover), "permit-1", "permit-2")
		require.NoError(t, err)
		require.Equal(t, spec.DocumentSuperseded, d.Status)
		require.Equal(t, "permit-2", d.SupersededBy)
		require.Equal(t, "2024-03-01T00:00:00Z", d.StatusChangedAt)

		newer, err := docs.Get(contracttest.TxAs(stub, p.treClerk), "RegistryMSP", "permit-2")
		require.NoError(t, err)
		require.Equal(t, spec.DocumentValid, newer.Status, "the replacement is untouched")
		events := stub.Events()
		require.Equal(t, spec.EventDocumentSuperseded, events[len(events)-1].Name)
		ev := docPayload(t, events[len(events)-1])
		require.Equal(t, "superseded", ev.Status)
		require.Equal(t, "permit-2", ev.SupersededBy)
	})

	t.Run("a replacement that is not yet valid is accepted, as a renewal issued ahead", func(t *testing.T) {
		stub := docLedger(t, p)
		registerDoc(t, stub, p.regClerk, docFields("permit-1"))
		f := docFields("permit-2")
		f["validFrom"], f["validUntil"] = "2025-01-01T00:00:00Z", "2026-01-01T00:00:00Z"
		registerDoc(t, stub, p.regClerk, f)
		_, err := docs.Supersede(contracttest.TxAs(stub, p.regAdmin), "permit-1", "permit-2")
		require.NoError(t, err)
	})

	t.Run("refusals leave both documents unchanged", func(t *testing.T) {
		for name, tc := range map[string]struct {
			caller     fakestub.Identity
			id, newID  string
			code       base.Code
			msgContent string
		}{
			"a clerk of the issuer":                   {p.regClerk, "old", "new", base.CodePermissionDenied, "role"},
			"an approver of another administration":   {p.treApprover, "old", "new", base.CodeNotFound, "TreasuryMSP"},
			"an admin of another administration":      {p.couAdmin, "old", "new", base.CodeNotFound, "CouncilMSP"},
			"an unknown old document":                 {p.regApprover, "nope", "new", base.CodeNotFound, "nope"},
			"an unknown replacement":                  {p.regApprover, "old", "nope", base.CodeNotFound, "nope"},
			"a replacement of another administration": {p.regApprover, "old", "treasury-doc", base.CodeNotFound, "treasury-doc"},
			"a document superseding itself":           {p.regApprover, "old", "old", base.CodeInvalidArgument, "itself"},
			"a malformed new id":                      {p.regApprover, "old", "new/2", base.CodeInvalidArgument, "newId"},
			"an empty old id":                         {p.regApprover, "", "new", base.CodeInvalidArgument, "id"},
			"a revoked replacement":                   {p.regApprover, "old", "revoked", base.CodeFailedPrecondition, "revoked"},
			"an expired replacement":                  {p.regApprover, "old", "expired", base.CodeFailedPrecondition, "expired"},
			"an old document already superseded":      {p.regApprover, "superseded", "new", base.CodeFailedPrecondition, "already superseded"},
			"an old document already revoked":         {p.regApprover, "revoked", "new", base.CodeFailedPrecondition, "already revoked"},
		} {
			t.Run(name, func(t *testing.T) {
				stub := docLedger(t, p)
				for _, id := range []string{"old", "new", "revoked", "superseded", "expired"} {
					f := docFields(id)
					if id == "expired" {
						f["validFrom"], f["validUntil"] = "2023-01-01T00:00:00Z", "2023-12-31T00:00:00Z"
					}
					registerDoc(t, stub, p.regClerk, f)
				}
				registerDoc(t, stub, p.treClerk, docFields("treasury-doc"))
				_, err := docs.Revoke(contracttest.TxAs(stub, p.regApprover), "revoked", "fraud")
				require.NoError(t, err)
				_, err = docs.Supersede(contracttest.TxAs(stub, p.regApprover), "superseded", "new")
				require.NoError(t, err)
				before, events := stub.State(), len(stub.Events())

				_, err = docs.Supersede(contracttest.TxAs(stub, tc.caller), tc.id, tc.newID)
				contracttest.RequireCode(t, tc.code, err)
				require.Contains(t, err.Error(), tc.msgContent)
				require.Equal(t, before, stub.State())
				require.Len(t, stub.Events(), events)
			})
		}
	})

	t.Run("a chain of supersessions cannot loop back", func(t *testing.T) {
		stub := docLedger(t, p)
		registerDoc(t, stub, p.regClerk, docFields("a"))
		registerDoc(t, stub, p.regClerk, docFields("b"))
		_, err := docs.Supersede(contracttest.TxAs(stub, p.regApprover), "a", "b")
		require.NoError(t, err)
		_, err = docs.Supersede(contracttest.TxAs(stub, p.regApprover), "b", "a")
		contracttest.RequireCode(t, base.CodeFailedPrecondition, err)
	})
}
