package portal_test

import (
	"crypto/x509"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/civicledger/civicledger/chaincode/spec"
	"github.com/civicledger/civicledger/gateway/portal"
	"github.com/civicledger/civicledger/gateway/portal/index"
)

var (
	hashValid   = strings.Repeat("a1", 32)
	hashRevoked = strings.Repeat("b2", 32)
	hashUnknown = strings.Repeat("c3", 32)
)

func fixture(t *testing.T) (*httptest.Server, *fakeLedger, *fakeIndex) {
	t.Helper()
	docs := []index.Document{
		{Issuer: "RegistryMSP", ID: "EXT-1", Type: "debt-extract", SHA256: hashValid, KeyFacts: map[string]string{"proceedings": "3"},
			ValidFrom: "2026-01-01T00:00:00Z", Status: spec.DocumentValid, Block: 7, TxID: "tx-ext-1"},
		{Issuer: "RegistryMSP", ID: "PER-2", Type: "permit", SHA256: hashRevoked, ValidFrom: "2026-01-01T00:00:00Z",
			Status: spec.DocumentRevoked, RevokedReason: "issued in error", StatusChangedAt: "2026-11-02T09:00:00Z", Block: 8, TxID: "tx-per-2"},
	}
	l := &fakeLedger{docs: docs, roots: map[string][]*x509.Certificate{"RegistryMSP": {{Raw: []byte{1, 2, 3}}}}}
	x := &fakeIndex{docs: docs,
		members: []index.Member{{MSPID: "RegistryMSP", DisplayName: "Registry of Certified Documents", Kind: "agency", Block: 5, TxID: "tx-p"}},
		txs:     []index.TxRow{{Block: 8, TxID: "tx-per-2", Kind: "endorser", Function: spec.DocumentsRevoke, MSPID: "RegistryMSP", Code: "VALID"}}}
	s, err := portal.New(l, x, "civic", portal.WithClock(func() time.Time { return time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC) }))
	require.NoError(t, err)
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	return srv, l, x
}

func get(t *testing.T, url string, header ...string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	require.NoError(t, err)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp, string(body)
}

func TestPages(t *testing.T) {
	srv, _, _ := fixture(t)
	pages := map[string][]string{
		"/":                                  {`<a class="skip" href="#main">`, `<main id="main"`},
		"/verify/file":                       {`<form id="file-form" action="/verify/hash" method="get">`, `<div id="drop-zone"`, `<input type="file" id="document-file"`, `name="sha256" id="sha256"`, `<script type="module" src="/static/verify-file.js">`},
		"/verify":                            {`<section id="seal" data-trust-list="/trust-list.json" data-status="/api/v1/status"`, `<ol id="seal-steps"`, `<p id="seal-verdict" role="status" aria-live="polite">`, `<noscript>`, `ledgerctl verify --link`, `src="/static/verify-seal.js"`},
		"/verify/hash?sha256=" + hashValid:   {"Valid", "EXT-1", "Registry of Certified Documents", "tx-ext-1", "proceedings: 3"},
		"/verify/hash?sha256=" + hashRevoked: {"Revoked", "issued in error", "2026-11-02T09:00:00Z"},
		"/verify/hash?sha256=" + hashUnknown: {"Unknown"},
		"/registers/documents":               {"EXT-1", "PER-2", "Shown: 2 of 2 documents"},
		"/registers/administrations":         {"Registry of Certified Documents", "RegistryMSP"},
		"/audit":                             {spec.DocumentsRevoke, "tx-per-2"},
	}
	for path, wants := range pages {
		t.Run(path+" renders in English with the security headers and no cookie", func(t *testing.T) {
			resp, body := get(t, srv.URL+path)
			require.Equal(t, http.StatusOK, resp.StatusCode, body)
			require.Contains(t, body, `<html lang="en">`)
			for _, w := range wants {
				require.Contains(t, body, w)
			}
			require.Contains(t, resp.Header.Get("Content-Security-Policy"), "script-src 'self'")
			require.Contains(t, resp.Header.Get("Content-Security-Policy"), "frame-ancestors 'none'")
			require.Equal(t, "nosniff", resp.Header.Get("X-Content-Type-Options"))
			require.Equal(t, "no-referrer", resp.Header.Get("Referrer-Policy"))
			require.Empty(t, resp.Header.Values("Set-Cookie"))
			require.NotContains(t, body, "style=", "no inline style attribute")
			require.NotRegexp(t, `<script(?: [^>]*)?>[^<]`, body, "no inline script")
		})
	}

	t.Run("the file input has no name, so the file is never submitted", func(t *testing.T) {
		_, body := get(t, srv.URL+"/verify/file")
		i := strings.Index(body, `id="document-file"`)
		tag := body[strings.LastIndex(body[:i], "<"):]
		tag = tag[:strings.Index(tag, ">")]
		require.NotContains(t, tag, "name=")
	})

	t.Run("French is chosen by Accept-Language and by ?lang=, and links keep an explicit choice", func(t *testing.T) {
		_, body := get(t, srv.URL+"/verify", "Accept-Language", "fr-CH, en;q=0.5")
		require.Contains(t, body, `<html lang="fr">`)
		require.Contains(t, body, "Vérifier un cachet QR")
		_, body = get(t, srv.URL+"/registers/documents?lang=fr", "Accept-Language", "en")
		require.Contains(t, body, `<html lang="fr">`)
		require.Contains(t, body, `href="/audit?lang=fr"`)
		_, body = get(t, srv.URL+"/?lang=en", "Accept-Language", "fr")
		require.Contains(t, body, `<html lang="en">`)
		require.Contains(t, body, `href="/?lang=fr"`)
	})

	t.Run("an unknown page is a 404 page", func(t *testing.T) {
		resp, body := get(t, srv.URL+"/nowhere")
		require.Equal(t, http.StatusNotFound, resp.StatusCode)
		require.Contains(t, body, "This page does not exist.")
	})

	t.Run("a malformed hash is a 400 page that says what is wrong", func(t *testing.T) {
		resp, body := get(t, srv.URL+"/verify/hash?sha256=xyz")
		require.Equal(t, http.StatusBadRequest, resp.StatusCode)
		require.Contains(t, body, "64 hexadecimal characters")
	})

	t.Run("the register filters by issuer, type and status and refuses an unknown status", func(t *testing.T) {
		_, body := get(t, srv.URL+"/registers/documents?status=revoked")
		require.Contains(t, body, "PER-2")
		require.NotContains(t, body, "EXT-1")
		resp, body := get(t, srv.URL+"/registers/documents?status=lost")
		require.Equal(t, http.StatusBadRequest, resp.StatusCode)
		require.Contains(t, body, "status must be one of")
	})

	t.Run("the register pages by keyset, forward and back", func(t *testing.T) {
		_, body := get(t, srv.URL+"/registers/documents?size=1")
		require.Contains(t, body, `href="/registers/documents?size=1&amp;after=RegistryMSP~EXT-1" rel="next"`)
		require.NotContains(t, body, `rel="prev"`)
		_, body = get(t, srv.URL+"/registers/documents?size=1&after=RegistryMSP~EXT-1")
		require.Contains(t, body, "PER-2")
		require.NotContains(t, body, "EXT-1<")
		require.Contains(t, body, `href="/registers/documents?size=1&amp;before=RegistryMSP~PER-2" rel="prev"`)
		require.NotContains(t, body, `rel="next"`)
		_, body = get(t, srv.URL+"/registers/documents?size=1&before=RegistryMSP~PER-2")
		require.Contains(t, body, "EXT-1")
		require.NotContains(t, body, "PER-2<")
		resp, body := get(t, srv.URL+"/registers/documents?after=RegistryMSP")
		require.Equal(t, http.StatusBadRequest, resp.StatusCode)
		require.Contains(t, body, "after must be a key")
		resp, _ = get(t, srv.URL+"/registers/documents?page=2&after=RegistryMSP~EXT-1")
		require.Equal(t, http.StatusBadRequest, resp.StatusCode)
	})

	t.Run("an old ?page= link is redirected to the keyset page that starts at the same row", func(t *testing.T) {
		noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		for path, want := range map[string]string{
			"/registers/documents?size=1&page=2":                   "/registers/documents?after=RegistryMSP~EXT-1&size=1",
			"/registers/documents?page=1&type=permit":              "/registers/documents?type=permit",
			"/registers/documents.json?size=1&page=2":              "/registers/documents.json?after=RegistryMSP~EXT-1&size=1",
			"/registers/documents.csv?size=1&page=2&lang=fr":       "/registers/documents.csv?after=RegistryMSP~EXT-1&lang=fr&size=1",
			"/registers/documents?size=1&page=2&status=revoked":    "",
			"/registers/documents.json?size=1&page=3":              "",
			"/registers/documents?size=1&page=1000000&issuer=Nope": "",
		} {
			resp, err := noFollow.Get(srv.URL + path)
			require.NoError(t, err)
			resp.Body.Close()
			if want == "" {
				require.Contains(t, []int{http.StatusNotFound, http.StatusBadRequest}, resp.StatusCode, path)
				continue
			}
			require.Equal(t, http.StatusFound, resp.StatusCode, path)
			require.Equal(t, want, resp.Header.Get("Location"), path)
		}
		resp, body := get(t, srv.URL+"/registers/documents?size=1&page=2")
		require.Equal(t, http.StatusOK, resp.StatusCode)
		require.Contains(t, body, "PER-2", "followed, the old link shows the same row")
		resp, body = get(t, srv.URL+"/registers/documents.json?size=1&page=3")
		require.Equal(t, http.StatusNotFound, resp.StatusCode)
		require.Contains(t, body, "page 3 is past the end of the register")
	})

	t.Run("when the ledger is down the hash page says so with 503", func(t *testing.T) {
		srv, l, _ := fixture(t)
		l.down = true
		resp, body := get(t, srv.URL+"/verify/hash?sha256="+hashValid)
		require.Equal(t, http.StatusServiceUnavailable, resp.StatusCode)
		require.Contains(t, body, "cannot be reached")
	})
}

func TestMessages(t *testing.T) {
	t.Run("every text exists in every language", func(t *testing.T) {
		for _, a := range portal.Languages {
			for _, b := range portal.Languages {
				for k := range portal.Messages(a) {
					require.Contains(t, portal.Messages(b), k, "%s has %s, %s lacks it", a, k, b)
				}
			}
		}
	})
}

func decode[T any](t *testing.T, body string) T {
	t.Helper()
	var v T
	require.NoError(t, json.Unmarshal([]byte(body), &v), body)
	return v
}
