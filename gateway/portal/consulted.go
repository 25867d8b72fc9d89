package portal

import (
	"net/http"
	"strings"

	"github.com/civicledger/civicledger/chaincode/spec"
)

// "Who consulted my data": a citizen gives the subject reference that the
// issuing administration gave them and sees each recorded use of data about
// them (Permissions:ListUsesBySubject, read live). The reference travels in
// a POST body, never in a URL (so not in a browser history, a proxy log or
// a Referer), is never logged, and the answer does not repeat it.

// Use is one recorded use of a citizen's data, as the page shows it.
type Use struct {
	UsedAt       string `json:"usedAt"`
	Grantee      string `json:"administration"`
	Purpose      string `json:"purpose"`
	Category     string `json:"category,omitempty"`
	Owner        string `json:"permissionOwner"`
	PermissionID string `json:"permissionId"`
	Valid        bool   `json:"valid"`
	Reason       string `json:"reason"`
	GranteeName  string `json:"-"`
	OwnerName    string `json:"-"`
}

// ConsultedAnswer is the answer for one subject reference.
type ConsultedAnswer struct {
	Uses []Use `json:"uses"`
	// More says that only the first uses are shown.
	More bool `json:"more"`
}

// parseSubject reads the form's subject reference in its canonical
// (lowercase) spelling.
func parseSubject(w http.ResponseWriter, r *http.Request) (string, bool) {
	r.Body = http.MaxBytesReader(w, r.Body, 4<<10)
	ref := strings.ToLower(strings.TrimSpace(r.PostFormValue("subject")))
	return ref, spec.Hex64Pattern.MatchString(ref)
}

// consulted reads the uses of ref live; its error never holds ref.
func (s *Server) consulted(r *http.Request, ref string) (ConsultedAnswer, error) {
	uses, more, err := s.ledger.UsesBySubject(r.Context(), ref)
	if err != nil {
		return ConsultedAnswer{}, redacted{err, ref}
	}
	names := s.memberNames(r)
	a := ConsultedAnswer{Uses: []Use{}, More: more}
	for _, u := range uses {
		a.Uses = append(a.Uses, Use{UsedAt: u.UsedAt, Grantee: u.Grantee, Purpose: u.Purpose, Category: u.Category,
			Owner: u.Owner, PermissionID: u.PermissionID, Valid: u.Valid, Reason: u.Reason,
			GranteeName: names[u.Grantee], OwnerName: names[u.Owner]})
	}
	return a, nil
}

// redacted is an error whose text has the subject reference blanked, so
// that logging it does not log the reference.
type redacted struct {
	err error
	ref string
}

func (e redacted) Error() string {
	return strings.ReplaceAll(e.err.Error(), e.ref, "<subject reference>")
}

// consultedView is the data of consulted.html.
type consultedView struct {
	Answer *ConsultedAnswer
	Bad    bool
}

func (s *Server) consultedForm(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "consulted", "consulted.title", consultedView{})
}

func (s *Server) consultedPage(w http.ResponseWriter, r *http.Request) {
	ref, ok := parseSubject(w, r)
	if !ok {
		s.render(w, r, http.StatusBadRequest, "consulted", "consulted.title", consultedView{Bad: true})
		return
	}
	a, err := s.consulted(r, ref)
	if err != nil {
		s.unavailable(w, r, "read permission uses", err)
		return
	}
	s.render(w, r, http.StatusOK, "consulted", "consulted.title", consultedView{Answer: &a})
}

func (s *Server) consultedAPI(w http.ResponseWriter, r *http.Request) {
	ref, ok := parseSubject(w, r)
	if !ok {
		writeJSON(w, http.StatusBadRequest, jsonError{Error: "subject must be a subject reference: 64 hexadecimal characters"})
		return
	}
	a, err := s.consulted(r, ref)
	if err != nil {
		s.jsonUnavailable(w, "read permission uses", err)
		return
	}
	writeJSON(w, http.StatusOK, a)
}
