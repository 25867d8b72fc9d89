package portal

import (
	"bytes"
	"net/http"
	"sync"
	"time"
)

// firstPageMaxAge bounds how long a cached first page is served even when
// no block arrives: the documents register derives statuses (expired, not
// yet valid) at the time of the request, as the index's counts do.
const firstPageMaxAge = time.Second

// pageCache keeps each register's first page (HTML in each language,
// JSON, CSV) until the index applies its next block.
type pageCache struct {
	mu      sync.Mutex
	entries map[string]cachedPage
}

type cachedPage struct {
	block  uint64 // the index's next block when the page was made
	at     time.Time
	status int
	header http.Header
	body   []byte
}

// recorder keeps what a handler writes.
type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (r *recorder) Header() http.Header { return r.header }
func (r *recorder) WriteHeader(status int) {
	if r.status == 0 {
		r.status = status
	}
}
func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.body.Write(b)
}

// firstPage serves h's answer to a request without a query (other than
// the language) from the cache while the index has applied no new block.
// Other requests (filters, cursors, page sizes) go to h: the cache holds at
// most one entry per register, format and language.
func (s *Server) firstPage(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		q.Del("lang")
		if len(q) > 0 {
			h(w, r)
			return
		}
		// The checkpoint is read before the page is made: a block applied
		// in between makes the stored page newer than its label, and the
		// next request makes it again.
		block, err := s.index.NextBlock(r.Context())
		if err != nil {
			h(w, r) // the handler says the index cannot be read
			return
		}
		lang, explicit := language(r, s.lang)
		key := r.URL.Path + "|" + lang
		if explicit {
			key += "|explicit"
		}
		now := s.now()
		s.cache.mu.Lock()
		p, ok := s.cache.entries[key]
		s.cache.mu.Unlock()
		if !ok || p.block != block || now.Sub(p.at) >= firstPageMaxAge || now.Before(p.at) {
			rec := &recorder{header: http.Header{}}
			h(rec, r)
			p = cachedPage{block: block, at: now, status: rec.status, header: rec.header, body: rec.body.Bytes()}
			if p.status == http.StatusOK {
				s.cache.mu.Lock()
				if s.cache.entries == nil {
					s.cache.entries = map[string]cachedPage{}
				}
				s.cache.entries[key] = p
				s.cache.mu.Unlock()
			}
		}
		for k, v := range p.header {
			w.Header()[k] = v
		}
		w.WriteHeader(p.status)
		w.Write(p.body) //nolint:errcheck // the client went away
	}
}
