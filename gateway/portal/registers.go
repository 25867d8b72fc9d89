package portal

import (
	"encoding/csv"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/civicledger/civicledger/chaincode/spec"
	"github.com/civicledger/civicledger/gateway/portal/index"
)

// Page sizes of the registers.
const (
	defaultPageSize = 50
	maxPageSize     = 500
)

// statusFilters are the statuses a register may be filtered on, in their
// API spelling.
var statusFilters = []string{spec.DocumentValid, spec.DocumentRevoked, spec.DocumentSuperseded, spec.DocumentExpired, "notYetValid"}

// documentQuery reads the register's filter and page from the query.
func documentQuery(r *http.Request) (index.DocumentFilter, int, error) {
	q := r.URL.Query()
	f := index.DocumentFilter{Issuer: q.Get("issuer"), Type: q.Get("type"), Status: q.Get("status"), Page: index.Page{Limit: defaultPageSize}}
	if f.Issuer != "" && spec.CheckMSPID(f.Issuer) != nil {
		return f, 0, fmt.Errorf("issuer must be an administration identifier (%s)", spec.MSPIDShape)
	}
	if f.Type != "" && !slices.Contains(spec.DocumentTypes, f.Type) {
		return f, 0, fmt.Errorf("type must be one of %s", strings.Join(spec.DocumentTypes, ", "))
	}
	if f.Status != "" && !slices.Contains(statusFilters, f.Status) {
		return f, 0, fmt.Errorf("status must be one of %s", strings.Join(statusFilters, ", "))
	}
	if f.Status == "notYetValid" {
		f.Status = spec.DocumentNotYetValid
	}
	if v := q.Get("size"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxPageSize {
			return f, 0, fmt.Errorf("size must be a number from 1 to %d", maxPageSize)
		}
		f.Page.Limit = n
	}
	p, err := parseCursor(q.Get("after"), q.Get("before"))
	if err != nil {
		return f, 0, err
	}
	f.Page.After, f.Page.Before = p.After, p.Before
	page := 0
	if v := q.Get("page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1_000_000 {
			return f, 0, fmt.Errorf("page must be a number from 1")
		}
		if len(p.After)+len(p.Before) > 0 {
			return f, 0, errors.New("give page or after/before, not both")
		}
		page = n
	}
	return f, page, nil
}

// documentFilterParams are the parameters a page link keeps.
var documentFilterParams = []string{"issuer", "type", "status"}

// oldPage answers a link of the offset-paged register (?page=N, still
// printed and bookmarked): it redirects (302) to the keyset page that
// starts at the same row today, or to the first page for page 1. The
// offset is walked once, for this redirect; the pages after it cost the
// same at any depth. A page past the end is a 404.
func (s *Server) oldPage(w http.ResponseWriter, r *http.Request, path string, f index.DocumentFilter, page int) (redirected bool, err error) {
	if page == 0 {
		return false, nil
	}
	q := r.URL.Query()
	q.Del("page")
	if page > 1 {
		key, ok, err := s.index.DocumentKeyBefore(r.Context(), f, (page-1)*f.Page.Limit)
		if err != nil {
			return false, err
		}
		if !ok {
			return false, &notFound{fmt.Errorf("page %d is past the end of the register", page)}
		}
		q.Set("after", strings.Join(key, keySep))
	}
	target := path
	if enc := q.Encode(); enc != "" {
		target += "?" + enc
	}
	http.Redirect(w, r, target, http.StatusFound)
	return true, nil
}

// PublicDocument is a register row: public facts only, no key facts (they
// may name a person) and no subject reference.
type PublicDocument struct {
	Issuer        string `json:"issuer"`
	ID            string `json:"id"`
	Type          string `json:"type"`
	Status        string `json:"status"`
	SHA256        string `json:"sha256"`
	ValidFrom     string `json:"validFrom"`
	ValidUntil    string `json:"validUntil,omitempty"`
	RevokedReason string `json:"revocationReason,omitempty"`
	SupersededBy  string `json:"supersededBy,omitempty"`
	RegisteredAt  string `json:"registeredAt"`
	Block         uint64 `json:"block"`
	TxID          string `json:"txId"`
	state         string
}

// DocumentsPage is the JSON twin of the register page: Prev and Next are
// the query strings of the pages before and after it (keyset: ?after= and
// ?before= with a key <issuer>~<id>).
type DocumentsPage struct {
	Total     int              `json:"total"`
	Size      int              `json:"size"`
	Prev      string           `json:"prev,omitempty"`
	Next      string           `json:"next,omitempty"`
	Documents []PublicDocument `json:"documents"`
}

// documents reads the register's page, brief for the HTML page
// (index.DocumentFilter.Brief); an old ?page= link is redirected instead
// (redirected true).
func (s *Server) documents(w http.ResponseWriter, r *http.Request, path string, brief bool) (p DocumentsPage, redirected bool, err error) {
	f, page, err := documentQuery(r)
	if err != nil {
		return DocumentsPage{}, false, &badRequest{err}
	}
	f.Now, f.Brief = s.now(), brief
	if redirected, err := s.oldPage(w, r, path, f, page); redirected || err != nil {
		return DocumentsPage{}, redirected, err
	}
	docs, info, total, err := s.index.Documents(r.Context(), f)
	if err != nil {
		return DocumentsPage{}, false, err
	}
	out := DocumentsPage{Total: total, Size: f.Page.Limit, Documents: make([]PublicDocument, 0, len(docs))}
	out.Prev, out.Next = cursorLinks(r, info, documentFilterParams...)
	for _, d := range docs {
		out.Documents = append(out.Documents, PublicDocument{Issuer: d.Issuer, ID: d.ID, Type: d.Type,
			Status: apiStatus(d.Status), SHA256: d.SHA256, ValidFrom: d.ValidFrom, ValidUntil: d.ValidUntil,
			RevokedReason: d.RevokedReason, SupersededBy: d.SupersededBy, RegisteredAt: d.RegisteredAt,
			Block: d.Block, TxID: d.TxID, state: d.Status})
	}
	return out, false, nil
}

// badRequest is a caller's mistake in the query.
type badRequest struct{ err error }

func (b *badRequest) Error() string { return b.err.Error() }

// notFound is a query for something that does not exist.
type notFound struct{ err error }

func (n *notFound) Error() string { return n.err.Error() }

func (s *Server) documentsJSON(w http.ResponseWriter, r *http.Request) {
	p, redirected, err := s.documents(w, r, "/registers/documents.json", false)
	var bad *badRequest
	var missing *notFound
	switch {
	case redirected:
	case errors.As(err, &bad):
		writeJSON(w, http.StatusBadRequest, jsonError{Error: bad.Error()})
	case errors.As(err, &missing):
		writeJSON(w, http.StatusNotFound, jsonError{Error: missing.Error()})
	case err != nil:
		s.jsonUnavailable(w, "list documents", err)
	default:
		if p.Prev != "" {
			p.Prev = "/registers/documents.json?" + p.Prev
		}
		if p.Next != "" {
			p.Next = "/registers/documents.json?" + p.Next
		}
		writeDocumentsJSON(w, p)
	}
}

func (s *Server) documentsCSV(w http.ResponseWriter, r *http.Request) {
	p, redirected, err := s.documents(w, r, "/registers/documents.csv", false)
	var bad *badRequest
	var missing *notFound
	switch {
	case redirected:
		return
	case errors.As(err, &bad):
		http.Error(w, bad.Error(), http.StatusBadRequest)
		return
	case errors.As(err, &missing):
		http.Error(w, missing.Error(), http.StatusNotFound)
		return
	case err != nil:
		s.log.Warn("list documents", "err", err)
		http.Error(w, "the ledger index cannot be read right now", http.StatusServiceUnavailable)
		return
	}
	if p.Next != "" {
		w.Header().Set("Link", "</registers/documents.csv?"+p.Next+`>; rel="next"`)
	}
	rows := [][]string{{"issuer", "id", "type", "status", "sha256", "validFrom", "validUntil", "revocationReason", "supersededBy", "registeredAt", "block", "txId"}}
	for _, d := range p.Documents {
		rows = append(rows, []string{d.Issuer, d.ID, d.Type, d.Status, d.SHA256, d.ValidFrom, d.ValidUntil,
			d.RevokedReason, d.SupersededBy, d.RegisteredAt, strconv.FormatUint(d.Block, 10), d.TxID})
	}
	writeCSV(w, "documents.csv", rows)
}

// writeCSV writes rows; a cell that a spreadsheet would run as a formula
// is prefixed with a quote.
func writeCSV(w http.ResponseWriter, name string, rows [][]string) {
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	cw := csv.NewWriter(w)
	for _, row := range rows {
		for i, c := range row {
			if c != "" && strings.ContainsRune("=+-@\t\r", rune(c[0])) {
				row[i] = "'" + c
			}
		}
		cw.Write(row) //nolint:errcheck // flushed below
	}
	cw.Flush()
}

// documentsView is the data of documents.html.
type documentsView struct {
	DocumentsPage
	Issuer, Type, Status string
	Members              []index.Member
	Types, Statuses      []string
	Shown                int
	PrevLink, NextLink   string
	Rows                 []documentRow
	RowsHTML             template.HTML
	// The filters' options, written by hand (rows.go).
	IssuerOptions, TypeOptions, StatusOptions template.HTML
}

// documentRow is a row of the page, flat: a template reaches a field of an
// embedded struct through reflection's slow search, per row and field.
type documentRow struct {
	Issuer, IssuerName, ID, Type, Status, StatusText, ValidFrom, ValidUntil string
	Block                                                                   uint64
}

func (s *Server) documentsPage(w http.ResponseWriter, r *http.Request) {
	v := s.view(r, "", nil)
	p, redirected, err := s.documents(w, r, "/registers/documents", true)
	var bad *badRequest
	var missing *notFound
	switch {
	case redirected:
		return
	case errors.As(err, &bad):
		s.errorPage(w, r, http.StatusBadRequest, v.Tf("error.bad", bad.Error()))
		return
	case errors.As(err, &missing):
		s.errorPage(w, r, http.StatusNotFound, v.Tf("error.bad", missing.Error()))
		return
	case err != nil:
		s.unavailable(w, r, "list documents", err)
		return
	}
	members, err := s.index.Members(r.Context())
	if err != nil {
		s.unavailable(w, r, "list members", err)
		return
	}
	q := r.URL.Query()
	dv := documentsView{DocumentsPage: p, Issuer: q.Get("issuer"), Type: q.Get("type"), Status: q.Get("status"),
		Members: members, Types: spec.DocumentTypes, Statuses: statusFilters}
	names := map[string]string{}
	for _, m := range members {
		names[m.MSPID] = m.DisplayName
	}
	dv.Rows = make([]documentRow, 0, len(p.Documents))
	for _, d := range p.Documents {
		dv.Rows = append(dv.Rows, documentRow{Issuer: d.Issuer, IssuerName: names[d.Issuer], ID: d.ID, Type: d.Type, Status: d.Status,
			StatusText: v.T("status." + d.state), ValidFrom: d.ValidFrom, ValidUntil: d.ValidUntil, Block: d.Block})
	}
	dv.RowsHTML = documentRows(dv.Rows)
	dv.IssuerOptions, dv.TypeOptions, dv.StatusOptions = memberOptions(members, dv.Issuer), options(dv.Types, dv.Type),
		options(dv.Statuses, dv.Status)
	dv.Shown = len(p.Documents)
	if p.Prev != "" {
		dv.PrevLink = v.Href("/registers/documents?" + p.Prev)
	}
	if p.Next != "" {
		dv.NextLink = v.Href("/registers/documents?" + p.Next)
	}
	s.render(w, r, http.StatusOK, "documents", "docs.title", dv)
}
