package portal_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/civicledger/civicledger/chaincode/spec"
	"github.com/civicledger/civicledger/gateway/portal/index"
)

func TestFirstPageCache(t *testing.T) {
	added := index.Document{Issuer: "RegistryMSP", ID: "NEW-3", Type: "permit", SHA256: hashUnknown,
		ValidFrom: "2026-01-01T00:00:00Z", Status: spec.DocumentValid, Block: 9, TxID: "tx-new-3"}

	for _, path := range []string{"/registers/documents", "/registers/documents.json", "/registers/documents.csv", "/registers/documents?lang=fr"} {
		t.Run("the first page "+path+" is served again until the next block is indexed", func(t *testing.T) {
			srv, _, x := fixture(t)
			x.next = 9
			resp, before := get(t, srv.URL+path)
			require.Equal(t, http.StatusOK, resp.StatusCode)
			require.NotContains(t, before, "NEW-3")

			x.docs = append(x.docs, added) // a change the index has not announced with a block
			resp, body := get(t, srv.URL+path)
			require.Equal(t, http.StatusOK, resp.StatusCode)
			require.Equal(t, before, body, "the cached page")
			require.NotEmpty(t, resp.Header.Get("Content-Type"))
			require.NotEmpty(t, resp.Header.Get("Content-Security-Policy"), "security headers on a cached page too")

			x.next = 10 // block 9 indexed
			_, body = get(t, srv.URL+path)
			require.Contains(t, body, "NEW-3", "a new block invalidates the cache")
		})
	}

	t.Run("a filtered page is never cached", func(t *testing.T) {
		srv, _, x := fixture(t)
		_, before := get(t, srv.URL+"/registers/documents.json?type=permit")
		require.NotContains(t, before, "NEW-3")
		x.docs = append(x.docs, added)
		_, body := get(t, srv.URL+"/registers/documents.json?type=permit")
		require.Contains(t, body, "NEW-3")
	})

	t.Run("each language has its own cached page", func(t *testing.T) {
		srv, _, _ := fixture(t)
		_, en := get(t, srv.URL+"/registers/administrations")
		_, fr := get(t, srv.URL+"/registers/administrations", "Accept-Language", "fr")
		require.NotEqual(t, en, fr)
		resp, _ := get(t, srv.URL+"/registers/administrations", "Accept-Language", "fr")
		require.Equal(t, "fr", resp.Header.Get("Content-Language"))
	})

}
