package portal

import (
	"encoding/csv"
	"fmt"
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
	f := index.DocumentFilter{Issuer: q.Get("issuer"), Type: q.Get("type"), Status: q.Get("status"), Limit: defaultPageSize}
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
	page := 1
	if v := q.Get("page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1_000_000 {
			return f, 0, fmt.Errorf("page must be a number from 1")
		}
		page = n
	}
	if v := q.Get("size"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxPageSize {
			return f, 0, fmt.Errorf("size must be a number from 1 to %d", maxPageSize)
		}
		f.Limit = n
	}
	f.Offset = (page - 1) * f.Limit
	return f, page, nil
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

// DocumentsPage is the JSON twin of the register page.
type DocumentsPage struct {
	Total     int              `json:"total"`
	Page      int              `json:"page"`
	Size      int              `json:"size"`
	Documents []PublicDocument `json:"documents"`
}

func (s *Server) documents(r *http.Request) (DocumentsPage, error) {
	f, page, err := documentQuery(r)
	if err != nil {
		return DocumentsPage{}, &badRequest{err}
	}
	f.Now = s.now()
	docs, total, err := s.index.Documents(r.Context(), f)
	if err != nil {
		return DocumentsPage{}, err
	}
	out := DocumentsPage{Total: total, Page: page, Size: f.Limit, Documents: []PublicDocument{}}
	for _, d := range docs {
		out.Documents = append(out.Documents, PublicDocument{Issuer: d.Issuer, ID: d.ID, Type: d.Type,
			Status: apiStatus(d.Status), SHA256: d.SHA256, ValidFrom: d.ValidFrom, ValidUntil: d.ValidUntil,
			RevokedReason: d.RevokedReason, SupersededBy: d.SupersededBy, RegisteredAt: d.RegisteredAt,
			Block: d.Block, TxID: d.TxID, state: d.Status})
	}
	return out, nil
}

// badRequest is a caller's mistake in the query.
type badRequest struct{ err error }

func (b *badRequest) Error() string { return b.err.Error() }

func (s *Server) documentsJSON(w http.ResponseWriter, r *http.Request) {
	p, err := s.documents(r)
	if b, ok := err.(*badRequest); ok {
		writeJSON(w, http.StatusBadRequest, jsonError{Error: b.Error()})
		return
	}
	if err != nil {
		s.jsonUnavailable(w, "list documents", err)
		return
	}
	writeJSON(w, http.StatusOK, p)
}

func (s *Server) documentsCSV(w http.ResponseWriter, r *http.Request) {
	p, err := s.documents(r)
	if b, ok := err.(*badRequest); ok {
		http.Error(w, b.Error(), http.StatusBadRequest)
		return
	}
	if err != nil {
		s.log.Warn("list documents", "err", err)
		http.Error(w, "the ledger index cannot be read right now", http.StatusServiceUnavailable)
		return
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
	From, To             int
	Prev, Next           string
	Rows                 []documentRow
}

type documentRow struct {
	PublicDocument
	IssuerName, StatusText string
}

func (s *Server) documentsPage(w http.ResponseWriter, r *http.Request) {
	v := s.view(r, "", nil)
	p, err := s.documents(r)
	if b, ok := err.(*badRequest); ok {
		s.errorPage(w, r, http.StatusBadRequest, v.Tf("error.bad", b.Error()))
		return
	}
	if err != nil {
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
	for _, d := range p.Documents {
		dv.Rows = append(dv.Rows, documentRow{PublicDocument: d, IssuerName: names[d.Issuer], StatusText: v.T("status." + d.state)})
	}
	if len(p.Documents) > 0 {
		dv.From, dv.To = (p.Page-1)*p.Size+1, (p.Page-1)*p.Size+len(p.Documents)
	}
	link := func(page int) string {
		q := r.URL.Query()
		q.Set("page", strconv.Itoa(page))
		return v.Href("/registers/documents?" + withoutLang(q))
	}
	if p.Page > 1 {
		dv.Prev = link(p.Page - 1)
	}
	if p.Page*p.Size < p.Total {
		dv.Next = link(p.Page + 1)
	}
	s.render(w, r, http.StatusOK, "documents", "docs.title", dv)
}

// withoutLang encodes q without lang, which Href adds back when explicit.
func withoutLang(q map[string][]string) string {
	var parts []string
	for _, k := range []string{"issuer", "type", "status", "size", "page"} {
		if vals, ok := q[k]; ok && len(vals) > 0 && vals[0] != "" {
			parts = append(parts, k+"="+urlEscape(vals[0]))
		}
	}
	return strings.Join(parts, "&")
}
