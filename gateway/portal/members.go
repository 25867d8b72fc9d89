package portal

import (
	"net/http"
	"net/url"
	"strconv"
)

func urlEscape(s string) string { return url.QueryEscape(s) }

// Administration is a row of the register of member administrations, as
// the administration published it in the directory.
type Administration struct {
	MSPID       string `json:"mspId"`
	DisplayName string `json:"displayName"`
	Kind        string `json:"kind"`
	Contact     string `json:"contact"`
	UpdatedAt   string `json:"updatedAt"`
	Block       uint64 `json:"block"`
	TxID        string `json:"txId"`
}

func (s *Server) administrations(r *http.Request) ([]Administration, error) {
	members, err := s.index.Members(r.Context())
	if err != nil {
		return nil, err
	}
	out := []Administration{}
	for _, m := range members {
		out = append(out, Administration{m.MSPID, m.DisplayName, m.Kind, m.Contact, m.UpdatedAt, m.Block, m.TxID})
	}
	return out, nil
}

func (s *Server) adminsPage(w http.ResponseWriter, r *http.Request) {
	admins, err := s.administrations(r)
	if err != nil {
		s.unavailable(w, r, "list members", err)
		return
	}
	s.render(w, r, http.StatusOK, "administrations", "admins.title", admins)
}

func (s *Server) adminsJSON(w http.ResponseWriter, r *http.Request) {
	admins, err := s.administrations(r)
	if err != nil {
		s.jsonUnavailable(w, "list members", err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"administrations": admins})
}

func (s *Server) adminsCSV(w http.ResponseWriter, r *http.Request) {
	admins, err := s.administrations(r)
	if err != nil {
		s.log.Warn("list members", "err", err)
		http.Error(w, "the ledger index cannot be read right now", http.StatusServiceUnavailable)
		return
	}
	rows := [][]string{{"mspId", "displayName", "kind", "contact", "updatedAt", "block", "txId"}}
	for _, a := range admins {
		rows = append(rows, []string{a.MSPID, a.DisplayName, a.Kind, a.Contact, a.UpdatedAt, strconv.FormatUint(a.Block, 10), a.TxID})
	}
	writeCSV(w, "administrations.csv", rows)
}

// auditSize is how many transactions the audit page lists.
const auditSize = 100

// AuditTransaction is one transaction of the audit page: never its
// arguments, only what it was and who submitted it.
type AuditTransaction struct {
	Block      uint64 `json:"block"`
	Position   int    `json:"position"`
	TxID       string `json:"txId"`
	Kind       string `json:"kind"`
	Function   string `json:"function,omitempty"`
	MSPID      string `json:"mspId"`
	Time       string `json:"time"`
	Validation string `json:"validationCode"`
}

func (s *Server) audit(r *http.Request) ([]AuditTransaction, error) {
	txs, err := s.index.RecentTransactions(r.Context(), auditSize)
	if err != nil {
		return nil, err
	}
	out := []AuditTransaction{}
	for _, t := range txs {
		out = append(out, AuditTransaction{t.Block, t.Position, t.TxID, t.Kind, t.Function, t.MSPID, t.Time, t.Code})
	}
	return out, nil
}

func (s *Server) auditPage(w http.ResponseWriter, r *http.Request) {
	txs, err := s.audit(r)
	if err != nil {
		s.unavailable(w, r, "list transactions", err)
		return
	}
	s.render(w, r, http.StatusOK, "audit", "audit.title", txs)
}

func (s *Server) auditJSON(w http.ResponseWriter, r *http.Request) {
	txs, err := s.audit(r)
	if err != nil {
		s.jsonUnavailable(w, "list transactions", err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"transactions": txs})
}

func (s *Server) home(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "home", "home.title", nil)
}
