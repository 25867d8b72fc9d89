package portal

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/civicledger/civicledger/chaincode/spec"
	"github.com/civicledger/civicledger/gateway/portal/index"
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
	// JoinedAt and LeftAt are when the last applied membership change that
	// added or removed the administration was recorded; LeftAt is set only
	// when the administration is no longer a member.
	JoinedAt string `json:"joinedAt,omitempty"`
	LeftAt   string `json:"leftAt,omitempty"`
}

// Membership is the register of member administrations and of the
// membership changes proposed, with who signed them.
type Membership struct {
	Administrations []Administration    `json:"administrations"`
	Proposals       []index.ProposalRow `json:"proposals"`
	names           map[string]string
}

// Name is an administration's published name, else its MSP ID.
func (m Membership) Name(mspID string) string {
	if n := m.names[mspID]; n != "" {
		return n
	}
	return mspID
}

func (s *Server) administrations(r *http.Request) (Membership, error) {
	members, err := s.index.Members(r.Context())
	if err != nil {
		return Membership{}, err
	}
	proposals, err := s.index.Proposals(r.Context())
	if err != nil {
		return Membership{}, err
	}
	now := s.now()
	joined, left := map[string]string{}, map[string]string{}
	for i, p := range proposals {
		if p.Status == spec.MembershipOpen && p.ExpiresAt != "" {
			if at, err := time.Parse(time.RFC3339Nano, p.ExpiresAt); err == nil && !at.After(now) {
				proposals[i].Status = spec.MembershipExpired
			}
		}
		if p.Status != spec.MembershipApplied {
			continue
		}
		last := joined
		if p.Kind == spec.MembershipRemove {
			last = left
		}
		if p.AppliedAt > last[p.Subject] {
			last[p.Subject] = p.AppliedAt
		}
	}
	out := Membership{Administrations: []Administration{}, Proposals: proposals, names: map[string]string{}}
	for _, m := range members {
		a := Administration{m.MSPID, m.DisplayName, m.Kind, m.Contact, m.UpdatedAt, m.Block, m.TxID, joined[m.MSPID], ""}
		if l := left[m.MSPID]; l != "" && l > a.JoinedAt {
			a.LeftAt = l
		}
		out.Administrations = append(out.Administrations, a)
		out.names[m.MSPID] = m.DisplayName
	}
	return out, nil
}

func (s *Server) adminsPage(w http.ResponseWriter, r *http.Request) {
	m, err := s.administrations(r)
	if err != nil {
		s.unavailable(w, r, "list members", err)
		return
	}
	s.render(w, r, http.StatusOK, "administrations", "admins.title", m)
}

func (s *Server) adminsJSON(w http.ResponseWriter, r *http.Request) {
	m, err := s.administrations(r)
	if err != nil {
		s.jsonUnavailable(w, "list members", err)
		return
	}
	writeJSON(w, http.StatusOK, m)
}

func (s *Server) adminsCSV(w http.ResponseWriter, r *http.Request) {
	m, err := s.administrations(r)
	if err != nil {
		s.log.Warn("list members", "err", err)
		http.Error(w, "the ledger index cannot be read right now", http.StatusServiceUnavailable)
		return
	}
	rows := [][]string{{"mspId", "displayName", "kind", "contact", "updatedAt", "block", "txId", "joinedAt", "leftAt"}}
	for _, a := range m.Administrations {
		rows = append(rows, []string{a.MSPID, a.DisplayName, a.Kind, a.Contact, a.UpdatedAt, strconv.FormatUint(a.Block, 10), a.TxID,
			a.JoinedAt, a.LeftAt})
	}
	writeCSV(w, "administrations.csv", rows)
}

func (s *Server) home(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "home", "home.title", nil)
}
