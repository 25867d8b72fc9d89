package documents_test

import (
	"errors"
	"fmt"
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

func TestDocumentsVerify(t *testing.T) {
	docs := documents.New()
	p := newDocPeople(t)
	anyone := fakestub.NewIdentity(t, "CouncilMSP", "portal", "")

	// One ledger with a document in every stored status; the window of each
	// is [2024-01-01, 2024-04-01) unless said otherwise.
	stub := docLedger(t, p)
	registerDoc(t, stub, p.regClerk, docFields("valid"))
	registerDoc(t, stub, p.regClerk, docFields("revoked"))
	registerDoc(t, stub, p.regClerk, docFields("superseded"))
	registerDoc(t, stub, p.regClerk, docFields("replacement"))
	open := docFields("open-ended")
	delete(open, "validUntil")
	registerDoc(t, stub, p.regClerk, open)
	_, err := docs.Revoke(contracttest.TxAs(stub, p.regApprover), "revoked", "issued in error")
	require.NoError(t, err)
	_, err = docs.Supersede(contracttest.TxAs(stub, p.regApprover), "superseded", "replacement")
	require.NoError(t, err)

	for name, tc := range map[string]struct {
		issuer, id, at string
		status         string
	}{
		"a valid document inside its window":            {"RegistryMSP", "valid", "2024-02-01T00:00:00Z", "valid"},
		"a document at the first instant of its window": {"RegistryMSP", "valid", "2024-01-01T00:00:00Z", "valid"},
		"a document before its window":                  {"RegistryMSP", "valid", "2023-12-31T23:59:59Z", "not-yet-valid"},
		"a document at the end of its window":           {"RegistryMSP", "valid", "2024-04-01T00:00:00Z", "expired"},
		"a document after its window":                   {"RegistryMSP", "valid", "2031-01-01T00:00:00Z", "expired"},
		"a document without end years later":            {"RegistryMSP", "open-ended", "2099-01-01T00:00:00Z", "valid"},
		"an open-ended document before its start":       {"RegistryMSP", "open-ended", "2023-06-01T00:00:00Z", "not-yet-valid"},
		"a revoked document inside its window":          {"RegistryMSP", "revoked", "2024-02-01T00:00:00Z", "revoked"},
		"a revoked document after its window":           {"RegistryMSP", "revoked", "2031-01-01T00:00:00Z", "revoked"},
		"a superseded document":                         {"RegistryMSP", "superseded", "2024-02-01T00:00:00Z", "superseded"},
		"an id nobody registered":                       {"RegistryMSP", "ghost", "2024-02-01T00:00:00Z", "unknown"},
		"an id registered by another issuer":            {"TreasuryMSP", "valid", "2024-02-01T00:00:00Z", "unknown"},
		"an issuer that is not a member":                {"NobodyMSP", "valid", "2024-02-01T00:00:00Z", "unknown"},
	} {
		t.Run("the verdict of "+name+" is "+tc.status, func(t *testing.T) {
			docAt(t, stub, tc.at)
			v, err := docs.Verify(contracttest.TxAs(stub, anyone), tc.issuer, tc.id)
			require.NoError(t, err)
			require.Equal(t, tc.status, v.Status)
			require.Equal(t, tc.issuer, v.Issuer)
			require.Equal(t, tc.id, v.ID)
			require.Equal(t, tc.at, v.CheckedAt)
		})
	}

	t.Run("a verdict carries the window, type, hash and the reason or replacement", func(t *testing.T) {
		docAt(t, stub, "2024-02-01T00:00:00Z")
		v, err := docs.Verify(contracttest.TxAs(stub, anyone), "RegistryMSP", "revoked")
		require.NoError(t, err)
		require.Equal(t, &records.DocumentVerdict{
			Status: "revoked", Issuer: "RegistryMSP", ID: "revoked", Type: "debt-extract", SHA256: docHashA,
			ValidFrom: "2024-01-01T00:00:00Z", ValidUntil: "2024-04-01T00:00:00Z",
			RevokedReason: "issued in error", CheckedAt: "2024-02-01T00:00:00Z",
		}, v)
		v, err = docs.Verify(contracttest.TxAs(stub, anyone), "RegistryMSP", "superseded")
		require.NoError(t, err)
		require.Equal(t, "replacement", v.SupersededBy)
	})

	t.Run("expiry is derived at read time and never stored", func(t *testing.T) {
		docAt(t, stub, "2031-01-01T00:00:00Z")
		d, err := docs.Get(contracttest.TxAs(stub, anyone), "RegistryMSP", "valid")
		require.NoError(t, err)
		require.Equal(t, spec.DocumentValid, d.Status)
	})

	t.Run("malformed arguments are refused rather than answered unknown", func(t *testing.T) {
		for name, args := range map[string][2]string{
			"an empty issuer":    {"", "valid"},
			"a malformed issuer": {"Registry MSP", "valid"},
			"an empty id":        {"RegistryMSP", ""},
			"a malformed id":     {"RegistryMSP", "a/b"},
		} {
			t.Run(name, func(t *testing.T) {
				_, err := docs.Verify(contracttest.TxAs(stub, anyone), args[0], args[1])
				contracttest.RequireCode(t, base.CodeInvalidArgument, err)
			})
		}
	})

	t.Run("a failed read surfaces as an error, not as unknown", func(t *testing.T) {
		broken := docLedger(t, p)
		cause := errors.New("disk on fire")
		broken.GetStateErr = cause
		_, err := docs.Verify(contracttest.TxAs(broken, anyone), "RegistryMSP", "valid")
		contracttest.RequireCode(t, base.CodeInternal, err)
		require.ErrorIs(t, err, cause)
	})
}

func TestDocumentsVerifyHash(t *testing.T) {
	docs := documents.New()
	p := newDocPeople(t)
	anyone := fakestub.NewIdentity(t, "CouncilMSP", "portal", "")
	stub := docLedger(t, p)
	registerDoc(t, stub, p.treClerk, docFields("t-1"))
	registerDoc(t, stub, p.regClerk, docFields("r-1"))
	other := docFields("r-2")
	other["sha256"] = docHashB
	registerDoc(t, stub, p.regClerk, other)
	_, err := docs.Revoke(contracttest.TxAs(stub, p.treApprover), "t-1", "fraud")
	require.NoError(t, err)
	docAt(t, stub, "2024-02-01T00:00:00Z")

	t.Run("every document with the hash gets its own verdict in issuer and id order", func(t *testing.T) {
		vs, err := docs.VerifyHash(contracttest.TxAs(stub, anyone), docHashA)
		require.NoError(t, err)
		require.Len(t, vs, 2)
		require.Equal(t, "RegistryMSP", vs[0].Issuer)
		require.Equal(t, "r-1", vs[0].ID)
		require.Equal(t, "valid", vs[0].Status)
		require.Equal(t, "TreasuryMSP", vs[1].Issuer)
		require.Equal(t, "revoked", vs[1].Status)
	})

	t.Run("a hash nobody registered is one unknown verdict", func(t *testing.T) {
		unknown := fmt.Sprintf("%064x", 7)
		vs, err := docs.VerifyHash(contracttest.TxAs(stub, anyone), unknown)
		require.NoError(t, err)
		require.Equal(t, []*records.DocumentVerdict{{
			Status: "unknown", SHA256: unknown, CheckedAt: "2024-02-01T00:00:00Z",
		}}, vs)
	})

	t.Run("an index entry that its record does not back is not a verdict", func(t *testing.T) {
		// Entries a majority without the issuer could write: new keys carry
		// no key-level policy. One names r-1 under a hash r-1 does not have,
		// one names a document that was never registered.
		forged := fmt.Sprintf("%064x", 9)
		ledger := docLedger(t, p)
		registerDoc(t, ledger, p.regClerk, docFields("r-1"))
		docAt(t, ledger, "2024-02-01T00:00:00Z")
		for _, attrs := range [][]string{{forged, "RegistryMSP", "r-1"}, {docHashA, "RegistryMSP", "ghost"}} {
			require.NoError(t, ledger.PutState(contracttest.MustKey(t, ledger, state.TypeDocumentByHash, attrs...), state.IndexValue))
		}
		vs, err := docs.VerifyHash(contracttest.TxAs(ledger, anyone), forged)
		require.NoError(t, err)
		require.Equal(t, []*records.DocumentVerdict{{Status: "unknown", SHA256: forged, CheckedAt: "2024-02-01T00:00:00Z"}}, vs)
		vs, err = docs.VerifyHash(contracttest.TxAs(ledger, anyone), docHashA)
		require.NoError(t, err)
		require.Len(t, vs, 1)
		require.Equal(t, "r-1", vs[0].ID)
		require.Equal(t, "valid", vs[0].Status)
	})

	t.Run("a malformed hash is refused", func(t *testing.T) {
		for _, h := range []string{"", "abc", docHashA + "00", "Z" + docHashA[1:]} {
			_, err := docs.VerifyHash(contracttest.TxAs(stub, anyone), h)
			contracttest.RequireCode(t, base.CodeInvalidArgument, err)
		}
	})

	t.Run("a failed index scan surfaces as an internal error", func(t *testing.T) {
		cause := errors.New("iterator broke")
		broken := docLedger(t, p)
		registerDoc(t, broken, p.regClerk, docFields("r-1"))
		broken.NextErr = cause
		_, err := docs.VerifyHash(contracttest.TxAs(broken, anyone), docHashA)
		contracttest.RequireCode(t, base.CodeInternal, err)
		require.ErrorIs(t, err, cause)
		require.Zero(t, broken.OpenIterators())
	})
}

func TestDocumentsGet(t *testing.T) {
	docs := documents.New()
	p := newDocPeople(t)
	stub := docLedger(t, p)
	registerDoc(t, stub, p.regClerk, docFields("doc-1"))

	t.Run("anyone on the channel reads a document, even without a role", func(t *testing.T) {
		d, err := docs.Get(contracttest.TxAs(stub, fakestub.NewIdentity(t, "CouncilMSP", "portal", "")), "RegistryMSP", "doc-1")
		require.NoError(t, err)
		require.Equal(t, "doc-1", d.ID)
	})

	t.Run("an unknown document is not found", func(t *testing.T) {
		_, err := docs.Get(contracttest.TxAs(stub, p.treClerk), "RegistryMSP", "doc-2")
		contracttest.RequireCode(t, base.CodeNotFound, err)
		_, err = docs.Get(contracttest.TxAs(stub, p.treClerk), "TreasuryMSP", "doc-1")
		contracttest.RequireCode(t, base.CodeNotFound, err)
	})

	t.Run("a failed read surfaces as an internal error", func(t *testing.T) {
		broken := docLedger(t, p)
		cause := errors.New("disk on fire")
		broken.GetStateErr = cause
		_, err := docs.Get(contracttest.TxAs(broken, p.treClerk), "RegistryMSP", "doc-1")
		contracttest.RequireCode(t, base.CodeInternal, err)
		require.ErrorIs(t, err, cause)
	})
}
