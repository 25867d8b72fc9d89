//go:build integration

package integration

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/civicledger/civicledger/chaincode/spec"
)

// TestNoPersonalData registers a document whose subject carries a marker
// name and checks that no page or API of the portal ever returns it.
func TestNoPersonalData(t *testing.T) {
	const marker = "Zéphyrine Marqueur-Quatrevingt"
	id := uniqueID("PII")
	sha := hexHash("pii " + id)
	register(t, id, "pii "+id, marker)
	waitIndexed(t, id)

	paths := []string{
		"/", "/verify", "/verify/file", "/verify/hash?sha256=" + sha, "/api/v1/verify?sha256=" + sha,
		"/api/v1/status?issuer=" + registry + "&id=" + id,
		"/registers/documents", "/registers/documents.json", "/registers/documents.csv",
		"/registers/documents?issuer=" + registry + "&type=permit&status=valid&size=500",
		"/registers/administrations", "/registers/administrations.json", "/registers/administrations.csv",
		"/audit", "/audit.json", "/trust-list.json",
		"/registers/convocations", "/registers/convocations.json", "/registers/convocations.csv",
		"/registers/subsidies", "/registers/subsidies.json", "/registers/subsidies.csv",
		"/registers/permissions", "/registers/permissions.json", "/registers/permissions.csv", "/consulted",
	}
	for _, p := range paths {
		for _, lang := range []string{"en", "fr"} {
			t.Run(p+" in "+lang+" never contains the subject's name", func(t *testing.T) {
				code, body := get(t, p, "Accept-Language", lang)
				require.Equal(t, http.StatusOK, code, body)
				require.NotContains(t, body, marker)
				require.NotContains(t, body, "Marqueur")
				require.NotContains(t, body, hexHash("salt:"+id), "nor the subject reference")
			})
		}
	}
	t.Run("the document itself is shown, so the pages above did read it", func(t *testing.T) {
		_, body := get(t, "/verify/hash?sha256="+sha)
		require.Contains(t, body, id)
		_, body = get(t, "/registers/documents.csv?issuer="+registry+"&size=500")
		require.Contains(t, body, id)
	})
}

func TestVerification(t *testing.T) {
	id := uniqueID("REV")
	sha := hexHash("revoked " + id)
	register(t, id, "revoked "+id, "Rev Oked")
	waitIndexed(t, id)

	t.Run("a registered file's hash is valid, with the block and transaction", func(t *testing.T) {
		code, body := get(t, "/api/v1/verify?sha256="+sha)
		require.Equal(t, http.StatusOK, code)
		require.Contains(t, body, `"status": "valid"`)
		require.Contains(t, body, `"txId"`)
	})
	t.Run("a changed file's hash is unknown", func(t *testing.T) {
		_, body := get(t, "/verify/hash?sha256="+hexHash("revoked "+id+"!"))
		require.Contains(t, body, "Unknown")
	})

	submit(t, "approver", spec.DocumentsRevoke, []string{registry, treasury}, withArgs(id, "issued in error")...)
	// The index holds the revocation once its register lists the document
	// as revoked (the status API's revokedAt alone may be the indexed
	// registration's time, before the revocation's block is applied).
	waitFor(t, "the revocation to be indexed", func() bool {
		_, body := get(t, "/registers/documents.json?status=revoked&size=500&issuer="+registry)
		return strings.Contains(body, `"id": "`+id+`"`)
	})
	t.Run("a revoked document is revoked with when and why", func(t *testing.T) {
		code, body := get(t, "/api/v1/status?issuer="+registry+"&id="+id)
		require.Equal(t, http.StatusOK, code)
		require.Contains(t, body, `"status": "revoked"`)
		require.Contains(t, body, `"revocationReason": "issued in error"`)
		require.Contains(t, body, `"revokedAt"`)
		_, page := get(t, "/verify/hash?sha256="+sha+"&lang=fr")
		require.Contains(t, page, "Révoqué")
		require.Contains(t, page, "issued in error")
	})
	t.Run("once the index holds the revocation, verification by hash answers from it, as of a block", func(t *testing.T) {
		var body string
		waitFor(t, "the index to answer the revocation", func() bool {
			_, body = get(t, "/api/v1/verify?sha256="+sha)
			return strings.Contains(body, `"source": "index"`) && strings.Contains(body, `"status": "revoked"`)
		})
		require.Contains(t, body, `"revocationReason": "issued in error"`)
		require.Contains(t, body, `"revokedAt"`)
		require.Contains(t, body, `"asOfBlock"`)
		_, page := get(t, "/verify/hash?sha256="+sha)
		require.Contains(t, page, "as of block")
	})
	t.Run("a hash the index does not know is asked of the ledger", func(t *testing.T) {
		_, body := get(t, "/api/v1/verify?sha256="+hexHash("never registered "+id))
		require.Contains(t, body, `"status": "unknown"`)
		require.Contains(t, body, `"source": "ledger"`)
	})
	t.Run("an unregistered document is unknown (404)", func(t *testing.T) {
		code, body := get(t, "/api/v1/status?issuer="+registry+"&id=NOPE-"+id)
		require.Equal(t, http.StatusNotFound, code)
		require.Contains(t, body, `"status": "unknown"`)
	})
	t.Run("the trust list names every member with its CA certificates", func(t *testing.T) {
		_, body := get(t, "/trust-list.json")
		for _, msp := range []string{"RegistryMSP", "TreasuryMSP", "CouncilMSP"} {
			require.Contains(t, body, `"mspId": "`+msp+`"`)
		}
		require.Contains(t, body, `"caCerts": [`)
	})
}
