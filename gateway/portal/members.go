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

func (s *Server) home(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "home", "home.title", nil)
}
