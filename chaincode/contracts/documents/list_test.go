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

func TestDocumentsListByIssuer(t *testing.T) {
	docs := documents.New()
	p := newDocPeople(t)
	anyone := fakestub.NewIdentity(t, "CouncilMSP", "portal", "")
	stub := docLedger(t, p)
	// Registry: 25 permits p-00..p-24 and 3 certificates c-0..c-2; Treasury: 1 permit.
	for i := range 25 {
		f := docFields(fmt.Sprintf("p-%02d", i))
		f["type"] = "permit"
		registerDoc(t, stub, p.regClerk, f)
	}
	for i := range 3 {
		f := docFields(fmt.Sprintf("c-%d", i))
		f["type"] = "certificate"
		registerDoc(t, stub, p.regClerk, f)
	}
	tre := docFields("p-99")
	tre["type"] = "permit"
	registerDoc(t, stub, p.treClerk, tre)

	ids := func(page *records.DocumentPage) []string {
		var out []string
		for _, d := range page.Items {
			out = append(out, d.ID)
		}
		return out
	}

	t.Run("a page size of zero means twenty and the bookmark leads to the rest", func(t *testing.T) {
		first, err := docs.ListByIssuer(contracttest.TxAs(stub, anyone), "RegistryMSP", "", "0", "")
		require.NoError(t, err)
		require.Len(t, first.Items, 20)
		require.Equal(t, "c-0", first.Items[0].ID)
		require.NotEmpty(t, first.Bookmark)

		rest, err := docs.ListByIssuer(contracttest.TxAs(stub, anyone), "RegistryMSP", "", "0", first.Bookmark)
		require.NoError(t, err)
		require.Len(t, rest.Items, 8)
		require.Equal(t, "p-24", rest.Items[7].ID)
		require.Empty(t, rest.Bookmark)
		for _, d := range append(first.Items, rest.Items...) {
			require.Equal(t, "RegistryMSP", d.Issuer)
		}
	})

	t.Run("the type filter walks the type index page by page", func(t *testing.T) {
		var got []string
		bookmark := ""
		for pages := 1; ; pages++ {
			page, err := docs.ListByIssuer(contracttest.TxAs(stub, anyone), "RegistryMSP", "permit", "10", bookmark)
			require.NoError(t, err)
			require.LessOrEqual(t, len(page.Items), 10)
			got = append(got, ids(page)...)
			for _, d := range page.Items {
				require.Equal(t, "permit", d.Type)
				require.Equal(t, docHashA, d.SHA256, "items are the full records")
			}
			if page.Bookmark == "" {
				require.Equal(t, 3, pages)
				break
			}
			bookmark = page.Bookmark
		}
		require.Len(t, got, 25)
		require.Equal(t, "p-00", got[0])
		require.Equal(t, "p-24", got[24])

		certs, err := docs.ListByIssuer(contracttest.TxAs(stub, anyone), "RegistryMSP", "certificate", "100", "")
		require.NoError(t, err)
		require.Equal(t, []string{"c-0", "c-1", "c-2"}, ids(certs))
		require.Empty(t, certs.Bookmark)
	})

	t.Run("a type-index entry that its record does not back is left out", func(t *testing.T) {
		ledger := docLedger(t, p)
		registerDoc(t, ledger, p.regClerk, docFields("d-1"))
		for _, id := range []string{"d-1", "ghost"} {
			key := contracttest.MustKey(t, ledger, state.TypeDocumentByType, "RegistryMSP", "permit", id)
			require.NoError(t, ledger.PutState(key, state.IndexValue))
		}
		page, err := docs.ListByIssuer(contracttest.TxAs(ledger, anyone), "RegistryMSP", "permit", "10", "")
		require.NoError(t, err)
		require.Empty(t, page.Items, "d-1 is a debt extract and ghost was never registered")
		page, err = docs.ListByIssuer(contracttest.TxAs(ledger, anyone), "RegistryMSP", "debt-extract", "10", "")
		require.NoError(t, err)
		require.Equal(t, []string{"d-1"}, ids(page))
	})

	t.Run("an issuer or type without documents lists as an empty page", func(t *testing.T) {
		for _, args := range [][2]string{{"CouncilMSP", ""}, {"RegistryMSP", "civil-status"}} {
			page, err := docs.ListByIssuer(contracttest.TxAs(stub, anyone), args[0], args[1], "5", "")
			require.NoError(t, err)
			require.NotNil(t, page.Items)
			require.Empty(t, page.Items)
			require.Empty(t, page.Bookmark)
		}
	})

	t.Run("invalid arguments are refused", func(t *testing.T) {
		regBookmark, err := docs.ListByIssuer(contracttest.TxAs(stub, anyone), "RegistryMSP", "", "1", "")
		require.NoError(t, err)
		for name, tc := range map[string]struct {
			issuer, docType string
			size            string
			bookmark        string
		}{
			"a malformed issuer":                     {"Registry MSP", "", "10", ""},
			"an empty issuer":                        {"", "", "10", ""},
			"an unknown type":                        {"RegistryMSP", "passport", "10", ""},
			"a negative page size":                   {"RegistryMSP", "", "-1", ""},
			"a page size that is not a number":       {"RegistryMSP", "", "ten", ""},
			"a page size with a sign":                {"RegistryMSP", "", "+5", ""},
			"a page size over 100":                   {"RegistryMSP", "", "101", ""},
			"a bookmark that is not a key":           {"RegistryMSP", "", "10", "p-03"},
			"a bookmark of another issuer's listing": {"TreasuryMSP", "", "10", regBookmark.Bookmark},
			"a bookmark of the unfiltered listing":   {"RegistryMSP", "permit", "10", regBookmark.Bookmark},
		} {
			t.Run(name, func(t *testing.T) {
				_, err := docs.ListByIssuer(contracttest.TxAs(stub, anyone), tc.issuer, tc.docType, tc.size, tc.bookmark)
				contracttest.RequireCode(t, base.CodeInvalidArgument, err)
			})
		}
	})

	t.Run("page sizes of one and one hundred are accepted, and an empty one means twenty", func(t *testing.T) {
		page, err := docs.ListByIssuer(contracttest.TxAs(stub, anyone), "RegistryMSP", "", "", "")
		require.NoError(t, err)
		require.Len(t, page.Items, 20)
		page, err = docs.ListByIssuer(contracttest.TxAs(stub, anyone), "RegistryMSP", "", "1", "")
		require.NoError(t, err)
		require.Len(t, page.Items, 1)
		page, err = docs.ListByIssuer(contracttest.TxAs(stub, anyone), "RegistryMSP", "", "100", "")
		require.NoError(t, err)
		require.Len(t, page.Items, 28)
	})

	t.Run("a failed range query surfaces as an internal error", func(t *testing.T) {
		broken := docLedger(t, p)
		cause := errors.New("range broke")
		broken.RangeErr = cause
		_, err := docs.ListByIssuer(contracttest.TxAs(broken, anyone), "RegistryMSP", "permit", "10", "")
		contracttest.RequireCode(t, base.CodeInternal, err)
		require.ErrorIs(t, err, cause)
	})
}

func TestDocumentsHistory(t *testing.T) {
	docs := documents.New()
	p := newDocPeople(t)
	anyone := fakestub.NewIdentity(t, "CouncilMSP", "portal", "")

	t.Run("every committed version is listed with its transaction id and time", func(t *testing.T) {
		stub := docLedger(t, p)
		stub.SetTxID("tx-register")
		docAt(t, stub, "2024-01-02T00:00:00Z")
		registerDoc(t, stub, p.regClerk, docFields("doc-1"))
		stub.SetTxID("tx-revoke")
		docAt(t, stub, "2024-02-03T00:00:00Z")
		_, err := docs.Revoke(contracttest.TxAs(stub, p.regApprover), "doc-1", "fraud")
		require.NoError(t, err)

		versions, err := docs.History(contracttest.TxAs(stub, anyone), "RegistryMSP", "doc-1")
		require.NoError(t, err)
		require.Len(t, versions, 2)
		// The fake stub returns history oldest first; Fabric 2.5 newest first.
		require.Equal(t, "tx-register", versions[0].TxID)
		require.Equal(t, "2024-01-02T00:00:00Z", versions[0].Timestamp)
		require.Equal(t, spec.DocumentValid, versions[0].Document.Status)
		require.Equal(t, "tx-revoke", versions[1].TxID)
		require.Equal(t, "2024-02-03T00:00:00Z", versions[1].Timestamp)
		require.Equal(t, spec.DocumentRevoked, versions[1].Document.Status)
		require.False(t, versions[1].IsDelete)
	})

	t.Run("a document that never existed is not found", func(t *testing.T) {
		_, err := docs.History(contracttest.TxAs(docLedger(t, p), anyone), "RegistryMSP", "ghost")
		contracttest.RequireCode(t, base.CodeNotFound, err)
	})

	t.Run("malformed arguments are refused", func(t *testing.T) {
		_, err := docs.History(contracttest.TxAs(docLedger(t, p), anyone), "RegistryMSP", "../etc")
		contracttest.RequireCode(t, base.CodeInvalidArgument, err)
	})

	t.Run("a failed history query surfaces as an internal error and closes the iterator", func(t *testing.T) {
		stub := docLedger(t, p)
		registerDoc(t, stub, p.regClerk, docFields("doc-1"))
		cause := errors.New("history broke")
		stub.NextErr = cause
		_, err := docs.History(contracttest.TxAs(stub, anyone), "RegistryMSP", "doc-1")
		contracttest.RequireCode(t, base.CodeInternal, err)
		require.ErrorIs(t, err, cause)
		require.Zero(t, stub.OpenIterators())

		stub.NextErr, stub.RangeErr = nil, cause
		_, err = docs.History(contracttest.TxAs(stub, anyone), "RegistryMSP", "doc-1")
		contracttest.RequireCode(t, base.CodeInternal, err)
	})
}
