//go:build browser

package static_test

import (
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/civicledger/civicledger/gateway/portal/static"
)

// csp is the portal's policy: no inline script, no eval, nothing third-party.
const csp = "default-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'"

// loggedRequest is what the test server saw of one request.
type loggedRequest struct {
	Method, URL, Body string
}

// standIn is a minimal portal: the contract's markup for the seal and file
// pages (stand-ins for the real pages), static.FS under /static/, a trust
// list, and a status endpoint answering from statuses.
type standIn struct {
	*httptest.Server
	mu       sync.Mutex
	log      []loggedRequest
	statuses map[string]statusReply // by issuer + "/" + id
}

// statusReply is the status endpoint's answer for one document.
type statusReply struct {
	code int
	body map[string]any
}

var pages = template.Must(template.New("").Parse(`
{{define "head"}}<!doctype html>
<html lang="{{.Lang}}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}} · CivicLedger</title>
<link rel="stylesheet" href="/static/test.css"></head>
<body><header><p>CivicLedger</p></header><main><h1>{{.Title}}</h1>{{end}}
{{define "seal"}}{{template "head" .}}
<section id="seal" data-trust-list="/trust-list.json" data-status="/api/v1/status" aria-labelledby="steps-title">
<h2 id="steps-title">{{if eq .Lang "fr"}}Vérifications{{else}}Checks{{end}}</h2>
<ol id="seal-steps"></ol>
<p id="seal-verdict" role="status" aria-live="polite"></p>
</section></main>
<script type="module" src="/static/verify-seal.js"></script></body></html>{{end}}
{{define "file"}}{{template "head" .}}
<form id="file-form" action="/verify/hash" method="get">
<div id="drop-zone"><label for="document-file">Choose or drop the document</label>
<input type="file" id="document-file"></div>
<label for="sha256">or paste its SHA-256</label>
<input name="sha256" id="sha256" autocomplete="off">
<button type="submit">Verify</button>
</form></main>
<script type="module" src="/static/verify-file.js"></script></body></html>{{end}}
{{define "hash"}}{{template "head" .}}<p id="hash">{{.Hash}}</p></main></body></html>{{end}}
`))

func newStandIn(t *testing.T, w *world) *standIn {
	t.Helper()
	s := &standIn{statuses: map[string]statusReply{}}
	sub, err := fs.Sub(static.FS, ".")
	require.NoError(t, err)
	mux := http.NewServeMux()
	mux.Handle("GET /static/", http.StripPrefix("/static/", http.FileServerFS(sub)))
	mux.HandleFunc("GET /static/test.css", func(rw http.ResponseWriter, _ *http.Request) {
		rw.Header().Set("Content-Type", "text/css")
		fmt.Fprint(rw, "body{font-family:sans-serif;margin:1rem;max-width:60rem}dd{overflow-wrap:anywhere}")
	})
	page := func(name, lang, title string) http.HandlerFunc {
		return func(rw http.ResponseWriter, r *http.Request) {
			rw.Header().Set("Content-Type", "text/html; charset=utf-8")
			data := map[string]string{"Lang": lang, "Title": title, "Hash": r.URL.Query().Get("sha256")}
			if err := pages.ExecuteTemplate(rw, name, data); err != nil {
				http.Error(rw, err.Error(), http.StatusInternalServerError)
			}
		}
	}
	mux.HandleFunc("GET /verify", page("seal", "en", "Verify a seal"))
	mux.HandleFunc("GET /fr/verify", page("seal", "fr", "Vérifier un sceau"))
	mux.HandleFunc("GET /verify/file", page("file", "en", "Verify a document"))
	mux.HandleFunc("GET /verify/hash", page("hash", "en", "Verification by hash"))
	mux.HandleFunc("GET /trust-list.json", func(rw http.ResponseWriter, _ *http.Request) {
		writeJSON(rw, http.StatusOK, w.trustListJSON())
	})
	mux.HandleFunc("GET /api/v1/status", func(rw http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		reply, ok := s.statuses[r.URL.Query().Get("issuer")+"/"+r.URL.Query().Get("id")]
		s.mu.Unlock()
		if !ok {
			writeJSON(rw, http.StatusNotFound, map[string]any{"status": "unknown", "error": "no such document"})
			return
		}
		writeJSON(rw, reply.code, reply.body)
	})
	s.Server = httptest.NewServer(s.logged(mux))
	t.Cleanup(s.Close)
	return s
}

// logged records every request, body included, and sets the portal's headers.
func (s *standIn) logged(next http.Handler) http.Handler {
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		s.mu.Lock()
		s.log = append(s.log, loggedRequest{Method: r.Method, URL: r.URL.String(), Body: string(body)})
		s.mu.Unlock()
		rw.Header().Set("Content-Security-Policy", csp)
		rw.Header().Set("Referrer-Policy", "no-referrer")
		rw.Header().Set("X-Content-Type-Options", "nosniff")
		next.ServeHTTP(rw, r)
	})
}

// requests returns what the server has seen so far.
func (s *standIn) requests() []loggedRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]loggedRequest(nil), s.log...)
}

// setStatus makes the status endpoint answer for (issuer, id).
func (s *standIn) setStatus(issuer, id string, code int, body map[string]any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.statuses[issuer+"/"+id] = statusReply{code: code, body: body}
}

// validStatus is the ledger's record of a valid document with the sealed hash.
func validStatus(sha string) map[string]any {
	return map[string]any{"status": "valid", "sha256": sha, "issuer": "", "block": 42, "txId": "8f3c0d5e9a1b"}
}

func writeJSON(rw http.ResponseWriter, code int, v any) {
	rw.Header().Set("Content-Type", "application/json")
	rw.WriteHeader(code)
	_ = json.NewEncoder(rw).Encode(v)
}
