package portal

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"net/http"

	"github.com/civicledger/civicledger/chaincode/errcode"
	"github.com/civicledger/civicledger/chaincode/records"
	"github.com/civicledger/civicledger/chaincode/spec"
	"github.com/civicledger/civicledger/gateway/portal/ledger"
)

// An acknowledgement link, as `ledgerctl convocations convene --links`
// prints it, is <portal>/acknowledge?owner=&meeting=&convocation=&token=.
// GET checks it against the ledger and asks for a confirmation; POST (the
// form of that page) records the receipt with Convocations:Acknowledge, the
// one write the portal's identity may make. The token is a secret: it is
// never logged nor shown, and the pages hold no personal data (no recipient
// reference, only the meeting and the proof of receipt).

// ackLink is the convocation an acknowledgement link names and its token.
type ackLink struct {
	Owner, Meeting, Convocation, Token string
}

// AckPage is what the acknowledgement page shows.
type AckPage struct {
	// State is "confirm" (the link is good, the receipt not yet recorded),
	// "done" (recorded now) or "already" (recorded before).
	State   string
	Link    ackLink
	Owner   string // the administration's published name, else its MSP ID
	Meeting *records.Meeting
	// AcknowledgedAt, Via and TxID are the proof of receipt.
	AcknowledgedAt, Via, TxID string
}

// parseAckLink reads and checks the link's four parameters from the URL
// (GET) or the confirmation form (POST); problem says what is wrong.
func parseAckLink(r *http.Request) (l ackLink, problem string) {
	get := r.URL.Query().Get
	if r.Method == http.MethodPost {
		get = r.PostFormValue
	}
	l = ackLink{Owner: get("owner"), Meeting: get("meeting"), Convocation: get("convocation"), Token: get("token")}
	switch {
	case !spec.MSPIDPattern.MatchString(l.Owner):
		return l, "ack.bad.owner"
	case !spec.IDPattern.MatchString(l.Meeting):
		return l, "ack.bad.meeting"
	case !spec.Hex64Pattern.MatchString(l.Convocation):
		return l, "ack.bad.convocation"
	case l.Token == "" || len(l.Token) > spec.MaxAckTokenLength:
		return l, "ack.bad.token"
	}
	return l, ""
}

// tokenMatches compares the token with the hash the ledger keeps, as the
// chaincode does.
func tokenMatches(token, ackTokenHash string) bool {
	want, err := hex.DecodeString(ackTokenHash)
	if err != nil {
		return false
	}
	got := sha256.Sum256([]byte(token))
	return subtle.ConstantTimeCompare(got[:], want) == 1
}

// ackFailed answers a refusal of the ledger with the page a person
// understands, or 503 when the ledger could not be asked.
func (s *Server) ackFailed(w http.ResponseWriter, r *http.Request, what string, err error) {
	var ref *ledger.RefusedError
	if !errors.As(err, &ref) {
		s.unavailable(w, r, what, err)
		return
	}
	v := s.view(r, "", nil)
	switch ref.Code {
	case errcode.NotFound:
		s.errorPage(w, r, http.StatusNotFound, v.T("ack.unknown"))
	case errcode.PermissionDenied:
		s.errorPage(w, r, http.StatusForbidden, v.T("ack.badToken"))
	case errcode.InvalidArgument:
		s.errorPage(w, r, http.StatusBadRequest, v.T("ack.damaged"))
	case errcode.FailedPrecondition:
		s.errorPage(w, r, http.StatusConflict, v.T("ack.conflict"))
	default:
		s.unavailable(w, r, what, err)
	}
}

// ackCheck reads the convocation the link names and its meeting, and
// answers every problem itself; ok is false when it did.
func (s *Server) ackCheck(w http.ResponseWriter, r *http.Request) (page AckPage, conv *records.Convocation, ok bool) {
	link, problem := parseAckLink(r)
	if problem != "" {
		v := s.view(r, "", nil)
		s.errorPage(w, r, http.StatusBadRequest, v.T("ack.damaged")+" "+v.T(problem))
		return page, nil, false
	}
	conv, err := s.ledger.Convocation(r.Context(), link.Owner, link.Meeting, link.Convocation)
	if err != nil {
		s.ackFailed(w, r, "read convocation", err)
		return page, nil, false
	}
	if !tokenMatches(link.Token, conv.AckTokenHash) {
		s.errorPage(w, r, http.StatusForbidden, s.view(r, "", nil).T("ack.badToken"))
		return page, nil, false
	}
	m, err := s.ledger.Meeting(r.Context(), link.Owner, link.Meeting)
	if err != nil {
		s.ackFailed(w, r, "read meeting", err)
		return page, nil, false
	}
	owner := link.Owner
	if name := s.memberNames(r)[owner]; name != "" {
		owner = name
	}
	return AckPage{Link: link, Owner: owner, Meeting: m}, conv, true
}

// ackPage shows what the link acknowledges and the button that records it;
// a receipt recorded before is shown with 409.
func (s *Server) ackPage(w http.ResponseWriter, r *http.Request) {
	page, conv, ok := s.ackCheck(w, r)
	if !ok {
		return
	}
	status := http.StatusOK
	page.State = "confirm"
	if conv.AcknowledgedAt != "" {
		status, page.State = http.StatusConflict, "already"
		page.AcknowledgedAt, page.Via, page.TxID = conv.AcknowledgedAt, conv.AcknowledgedVia, conv.AcknowledgedTxID
		page.Link.Token = ""
	}
	s.render(w, r, status, "acknowledge", "ack.title", page)
}

// ackSubmit records the receipt and shows its proof.
func (s *Server) ackSubmit(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 8<<10)
	page, conv, ok := s.ackCheck(w, r)
	if !ok {
		return
	}
	page.State = "already"
	status := http.StatusConflict
	if conv.AcknowledgedAt == "" {
		var err error
		conv, err = s.ledger.Acknowledge(r.Context(), page.Link.Owner, page.Link.Meeting, page.Link.Convocation, page.Link.Token)
		if err != nil {
			s.ackFailed(w, r, "acknowledge convocation", err)
			return
		}
		page.State, status = "done", http.StatusOK
	}
	page.Link.Token = ""
	page.AcknowledgedAt, page.Via, page.TxID = conv.AcknowledgedAt, conv.AcknowledgedVia, conv.AcknowledgedTxID
	s.render(w, r, status, "acknowledge", "ack.title", page)
}
