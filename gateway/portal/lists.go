package portal

import (
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/civicledger/civicledger/chaincode/currency"
	"github.com/civicledger/civicledger/chaincode/spec"
	"github.com/civicledger/civicledger/gateway/portal/index"
)

// The registers of convocations, subsidies and permissions: one page each
// (HTML), with its JSON and CSV twins, paged by keyset: ?after=<key> gives
// the rows after a row, ?before=<key> the rows before it, where a key is
// "<administration>~<id>" as the previous page's links and the JSON's
// "next" and "prev" carry it. A keyset page costs the same at any depth of
// the register, where an offset would make the database walk every row
// before it.

// keySep joins the parts of a page key; no MSP ID or record id contains it.
const keySep = "~"

// listQuery is a register's filter and page.
type listQuery struct {
	Owner string
	Page  index.Page
}

// parseListQuery reads ?owner=, ?size=, ?after= and ?before=.
func parseListQuery(r *http.Request, ownerParam string) (listQuery, error) {
	q := r.URL.Query()
	l := listQuery{Owner: q.Get(ownerParam), Page: index.Page{Limit: defaultPageSize}}
	if l.Owner != "" && spec.CheckMSPID(l.Owner) != nil {
		return l, fmt.Errorf("%s must be an administration identifier (%s)", ownerParam, spec.MSPIDShape)
	}
	if v := q.Get("size"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxPageSize {
			return l, fmt.Errorf("size must be a number from 1 to %d", maxPageSize)
		}
		l.Page.Limit = n
	}
	p, err := parseCursor(q.Get("after"), q.Get("before"))
	if err != nil {
		return l, err
	}
	l.Page.After, l.Page.Before = p.After, p.Before
	return l, nil
}

// parseCursor reads the ?after= and ?before= keys of a keyset page.
func parseCursor(after, before string) (index.Page, error) {
	var p index.Page
	if after != "" && before != "" {
		return p, errors.New("give after or before, not both")
	}
	for _, c := range []struct {
		name, value string
		to          *[]string
	}{{"after", after, &p.After}, {"before", before, &p.Before}} {
		if c.value == "" {
			continue
		}
		owner, id, ok := strings.Cut(c.value, keySep)
		if !ok || spec.CheckMSPID(owner) != nil || !spec.IDPattern.MatchString(id) {
			return p, fmt.Errorf("%s must be a key <administration>%s<id> as the register's links give it", c.name, keySep)
		}
		*c.to = []string{owner, id}
	}
	return p, nil
}

// register describes one register: where its rows come from and how they
// print as CSV.
type register[T any] struct {
	path, template, titleKey, rowsKey, ownerParam string
	fetch                                         func(s *Server, r *http.Request, q listQuery) ([]T, index.PageInfo, error)
	csvHeader                                     []string
	csvRow                                        func(T) []string
	// htmlRows writes the page's rows (rows.go).
	htmlRows func(v view, lv *listView, rows []T) template.HTML
	// extra adds data to the HTML page (e.g. the programmes above the grants).
	extra func(s *Server, r *http.Request) (any, error)
}

// listView is the data of a register's template.
type listView struct {
	Rows     any
	RowsHTML template.HTML
	// OwnerOptions are the options of the filter on the administration.
	OwnerOptions template.HTML
	Owner        string
	OwnerParam   string
	Members      []index.Member
	names        map[string]string
	Prev, Next   string
	Extra        any
	Path         string
}

// Name is an administration's published name, else its MSP ID.
func (v listView) Name(mspID string) string {
	if n := v.names[mspID]; n != "" {
		return n
	}
	return mspID
}

// Money formats an amount in minor units of currency code.
func (v listView) Money(code string, minor int64) string { return currency.Format(code, minor) }

// cursorLinks are the query strings of the previous and next pages, which
// keep the filter parameters kept.
func cursorLinks(r *http.Request, info index.PageInfo, kept ...string) (prev, next string) {
	link := func(param string, key []string) string {
		q := r.URL.Query()
		out := []string{}
		for _, k := range slices.Concat(kept, []string{"size"}) {
			if v := q.Get(k); v != "" {
				out = append(out, k+"="+urlEscape(v))
			}
		}
		return strings.Join(append(out, param+"="+urlEscape(strings.Join(key, keySep))), "&")
	}
	if info.HasPrev && len(info.First) > 0 {
		prev = link("before", info.First)
	}
	if info.HasNext && len(info.Last) > 0 {
		next = link("after", info.Last)
	}
	return prev, next
}

func (reg register[T]) rows(s *Server, r *http.Request) ([]T, index.PageInfo, error) {
	q, err := parseListQuery(r, reg.ownerParam)
	if err != nil {
		return nil, index.PageInfo{}, &badRequest{err}
	}
	return reg.fetch(s, r, q)
}

func (reg register[T]) page(s *Server) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		v := s.view(r, "", nil)
		rows, info, err := reg.rows(s, r)
		var bad *badRequest
		if errors.As(err, &bad) {
			s.errorPage(w, r, http.StatusBadRequest, v.Tf("error.bad", bad.Error()))
			return
		}
		if err != nil {
			s.unavailable(w, r, "list "+reg.rowsKey, err)
			return
		}
		members, err := s.index.Members(r.Context())
		if err != nil {
			s.unavailable(w, r, "list members", err)
			return
		}
		lv := listView{Rows: rows, Owner: r.URL.Query().Get(reg.ownerParam), OwnerParam: reg.ownerParam, Members: members,
			names: map[string]string{}, Path: reg.path}
		for _, m := range members {
			lv.names[m.MSPID] = m.DisplayName
		}
		lv.RowsHTML, lv.OwnerOptions = reg.htmlRows(v, &lv, rows), memberOptions(members, lv.Owner)
		prev, next := cursorLinks(r, info, reg.ownerParam)
		if prev != "" {
			lv.Prev = v.Href(reg.path + "?" + prev)
		}
		if next != "" {
			lv.Next = v.Href(reg.path + "?" + next)
		}
		if reg.extra != nil {
			if lv.Extra, err = reg.extra(s, r); err != nil {
				s.unavailable(w, r, "read "+reg.rowsKey, err)
				return
			}
		}
		s.render(w, r, http.StatusOK, reg.template, reg.titleKey, lv)
	}
}

func (reg register[T]) json(s *Server) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		rows, info, err := reg.rows(s, r)
		var bad *badRequest
		if errors.As(err, &bad) {
			writeJSON(w, http.StatusBadRequest, jsonError{Error: bad.Error()})
			return
		}
		if err != nil {
			s.jsonUnavailable(w, "list "+reg.rowsKey, err)
			return
		}
		body := map[string]any{reg.rowsKey: rows}
		prev, next := cursorLinks(r, info, reg.ownerParam)
		if prev != "" {
			body["prev"] = reg.path + ".json?" + prev
		}
		if next != "" {
			body["next"] = reg.path + ".json?" + next
		}
		if reg.extra != nil {
			extra, err := reg.extra(s, r)
			if err != nil {
				s.jsonUnavailable(w, "read "+reg.rowsKey, err)
				return
			}
			for k, v := range extra.(map[string]any) {
				body[k] = v
			}
		}
		writeJSON(w, http.StatusOK, body)
	}
}

func (reg register[T]) csv(s *Server) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		rows, info, err := reg.rows(s, r)
		var bad *badRequest
		if errors.As(err, &bad) {
			http.Error(w, bad.Error(), http.StatusBadRequest)
			return
		}
		if err != nil {
			s.log.Warn("list "+reg.rowsKey, "err", err)
			http.Error(w, "the ledger index cannot be read right now", http.StatusServiceUnavailable)
			return
		}
		if _, next := cursorLinks(r, info, reg.ownerParam); next != "" {
			w.Header().Set("Link", "<"+reg.path+".csv?"+next+`>; rel="next"`)
		}
		out := [][]string{append([]string(nil), reg.csvHeader...)}
		for _, row := range rows {
			out = append(out, reg.csvRow(row))
		}
		writeCSV(w, reg.rowsKey+".csv", out)
	}
}

// route registers the page and its twins.
func (reg register[T]) route(mux *http.ServeMux, s *Server) {
	mux.HandleFunc("GET "+reg.path, s.firstPage(reg.page(s)))
	mux.HandleFunc("GET "+reg.path+".json", s.firstPage(reg.json(s)))
	mux.HandleFunc("GET "+reg.path+".csv", s.firstPage(reg.csv(s)))
}

// deMinimisUse is the de minimis aid an undertaking received over the last
// three years, with the EU ceiling left (for aid in euros).
type deMinimisUse struct {
	index.AidRow
	Since     string `json:"since"`
	Ceiling   int64  `json:"ceiling,omitempty"`
	Remaining int64  `json:"remaining,omitempty"`
}

func u(n uint64) string  { return strconv.FormatUint(n, 10) }
func i64(n int64) string { return strconv.FormatInt(n, 10) }

var convocationsRegister = register[index.MeetingRow]{
	path: "/registers/convocations", template: "convocations", titleKey: "conv.title", rowsKey: "meetings", ownerParam: "administration",
	fetch: func(s *Server, r *http.Request, q listQuery) ([]index.MeetingRow, index.PageInfo, error) {
		return s.index.Meetings(r.Context(), q.Owner, q.Page)
	},
	htmlRows:  meetingRows,
	csvHeader: []string{"owner", "id", "bodyId", "bodyName", "startsAt", "place", "deadline", "clearDays", "convened", "acknowledged", "onTime", "late", "maxDaysLate", "block", "txId"},
	csvRow: func(m index.MeetingRow) []string {
		return []string{m.Owner, m.ID, m.BodyID, m.BodyName, m.StartsAt, m.Place, m.Deadline, strconv.Itoa(m.ClearDays),
			strconv.Itoa(m.Convened), strconv.Itoa(m.Acknowledged), strconv.Itoa(m.OnTime), strconv.Itoa(m.Late),
			strconv.Itoa(m.MaxDaysLate), u(m.Block), m.TxID}
	},
}

var subsidiesRegister = register[index.GrantRow]{
	path: "/registers/subsidies", template: "subsidies", titleKey: "subs.title", rowsKey: "grants", ownerParam: "administration",
	fetch: func(s *Server, r *http.Request, q listQuery) ([]index.GrantRow, index.PageInfo, error) {
		return s.index.Grants(r.Context(), q.Owner, q.Page)
	},
	htmlRows:  grantRows,
	csvHeader: []string{"granting", "grantId", "programmeId", "programme", "beneficiary", "amount", "currency", "deMinimis", "purpose", "status", "proposedAt", "decidedAt", "decidedBy", "rejectionReason", "paidTotal", "block", "txId"},
	csvRow: func(g index.GrantRow) []string {
		return []string{g.Granting, g.GrantID, g.ProgrammeID, g.ProgrammeName, g.Beneficiary, i64(g.Amount), g.Currency,
			strconv.FormatBool(g.DeMinimis), g.Purpose, g.Status, g.ProposedAt, g.DecidedAt, g.DecidedByMSP, g.RejectionReason,
			i64(g.PaidTotal), u(g.Block), g.TxID}
	},
	extra: func(s *Server, r *http.Request) (any, error) {
		p, err := s.index.Programmes(r.Context())
		if err != nil {
			return nil, err
		}
		// The window of Regulation (EU) 2023/2831, as the chaincode
		// counts it when it approves a grant.
		since := s.now().UTC().AddDate(-spec.DeMinimisYears, 0, 0)
		aid, err := s.index.DeMinimis(r.Context(), since.Format(time.RFC3339Nano))
		if err != nil {
			return nil, err
		}
		out := make([]deMinimisUse, len(aid))
		for i, a := range aid {
			out[i] = deMinimisUse{AidRow: a, Since: since.Format(time.RFC3339)}
			if a.Currency == "EUR" {
				out[i].Ceiling, out[i].Remaining = spec.DeMinimisCeiling, max(0, spec.DeMinimisCeiling-a.Total)
			}
		}
		return map[string]any{"programmes": p, "deMinimis": out}, nil
	},
}

var permissionsRegister = register[index.PermissionRow]{
	path: "/registers/permissions", template: "permissions", titleKey: "perms.title", rowsKey: "permissions", ownerParam: "administration",
	fetch: func(s *Server, r *http.Request, q listQuery) ([]index.PermissionRow, index.PageInfo, error) {
		return s.index.Permissions(r.Context(), q.Owner, q.Page)
	},
	htmlRows:  permissionRows,
	csvHeader: []string{"owner", "id", "grantee", "category", "purpose", "legalBasis", "validFrom", "validUntil", "oneSubject", "status", "offeredAt", "acceptedAt", "revokedAt", "revocationReason", "block", "txId"},
	csvRow: func(p index.PermissionRow) []string {
		return []string{p.Owner, p.ID, p.Grantee, p.Category, p.Purpose, p.LegalBasis, p.ValidFrom, p.ValidUntil,
			strconv.FormatBool(p.OneSubject), p.Status, p.OfferedAt, p.AcceptedAt, p.RevokedAt, p.RevokeReason, u(p.Block), p.TxID}
	},
}
