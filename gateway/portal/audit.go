package portal

import "net/http"

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

// auditView is the audit page's data: the latest transactions and the
// charts of the index's aggregates.
type auditView struct {
	Transactions []AuditTransaction
	Charts       []chart
}

func (s *Server) auditPage(w http.ResponseWriter, r *http.Request) {
	txs, err := s.audit(r)
	if err != nil {
		s.unavailable(w, r, "list transactions", err)
		return
	}
	st, err := s.stats(r.Context())
	if err != nil {
		s.unavailable(w, r, "count for the charts", err)
		return
	}
	members, err := s.index.Members(r.Context())
	if err != nil {
		s.unavailable(w, r, "list members", err)
		return
	}
	names := map[string]string{}
	for _, m := range members {
		names[m.MSPID] = m.DisplayName
	}
	v := s.view(r, "", nil)
	s.render(w, r, http.StatusOK, "audit", "audit.title", auditView{txs, st.charts(v, names, s.now())})
}

func (s *Server) auditJSON(w http.ResponseWriter, r *http.Request) {
	txs, err := s.audit(r)
	if err != nil {
		s.jsonUnavailable(w, "list transactions", err)
		return
	}
	st, err := s.stats(r.Context())
	if err != nil {
		s.jsonUnavailable(w, "count for the charts", err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"transactions": txs, "charts": st})
}
