package portal

import (
	"encoding/base64"
	"html/template"
	"net/http"
	"strings"
	"time"

	"github.com/civicledger/civicledger/chaincode/records"
	"github.com/civicledger/civicledger/chaincode/spec"
	"github.com/civicledger/civicledger/gateway/portal/index"
)

// Verdict is the answer about one document, in the page and in JSON: the
// status comes from the ledger now, the rest from the document's public
// record and the block and transaction that registered it.
type Verdict struct {
	Issuer           string            `json:"issuer,omitempty"`
	IssuerName       string            `json:"issuerName,omitempty"`
	ID               string            `json:"id,omitempty"`
	Type             string            `json:"type,omitempty"`
	Status           string            `json:"status"`
	SHA256           string            `json:"sha256,omitempty"`
	KeyFacts         map[string]string `json:"keyFacts,omitempty"`
	ValidFrom        string            `json:"validFrom,omitempty"`
	ValidUntil       string            `json:"validUntil,omitempty"`
	RevokedAt        string            `json:"revokedAt,omitempty"`
	RevocationReason string            `json:"revocationReason,omitempty"`
	SupersededBy     string            `json:"supersededBy,omitempty"`
	Block            uint64            `json:"block,omitempty"`
	TxID             string            `json:"txId,omitempty"`
	// state is the spec status (not-yet-valid), Status its API spelling.
	state string
}

// apiStatus spells a spec status as the portal's JSON does.
func apiStatus(s string) string {
	if s == spec.DocumentNotYetValid {
		return "notYetValid"
	}
	return s
}

// verdict joins the ledger's live verdict with the indexed record.
func (s *Server) verdict(r *http.Request, v *records.DocumentVerdict, names map[string]string) Verdict {
	out := Verdict{Issuer: v.Issuer, IssuerName: names[v.Issuer], ID: v.ID, Type: v.Type, Status: apiStatus(v.Status),
		SHA256: v.SHA256, ValidFrom: v.ValidFrom, ValidUntil: v.ValidUntil, RevocationReason: v.RevokedReason,
		SupersededBy: v.SupersededBy, state: v.Status}
	if v.Status == spec.DocumentUnknown || v.Issuer == "" || v.ID == "" {
		return out
	}
	d, found, err := s.index.Document(r.Context(), v.Issuer, v.ID, s.now())
	if err != nil {
		s.log.Warn("read indexed document", "err", err)
	}
	if found {
		out.KeyFacts, out.Block, out.TxID = d.KeyFacts, d.Block, d.TxID
		if v.Status == spec.DocumentRevoked {
			out.RevokedAt = d.StatusChangedAt
		}
	}
	return out
}

// memberNames maps MSP IDs to display names, empty when the index fails.
func (s *Server) memberNames(r *http.Request) map[string]string {
	names := map[string]string{}
	members, err := s.index.Members(r.Context())
	if err != nil {
		s.log.Warn("read members", "err", err)
	}
	for _, m := range members {
		names[m.MSPID] = m.DisplayName
	}
	return names
}

// parseHash reads the sha256 parameter in its canonical spelling.
func parseHash(r *http.Request) (string, bool) {
	h := strings.ToLower(strings.TrimSpace(r.URL.Query().Get("sha256")))
	return h, spec.Hex64Pattern.MatchString(h)
}

// Where a verification by hash was answered from.
const (
	SourceIndex  = "index"  // the portal's index, current to AsOfBlock at AsOf
	SourceLedger = "ledger" // the ledger, asked at CheckedAt
)

// HashAnswer is the answer to a verification by hash.
type HashAnswer struct {
	SHA256    string `json:"sha256"`
	Status    string `json:"status"`
	CheckedAt string `json:"checkedAt"`
	// Source says where the answer comes from; from the index, AsOfBlock
	// and AsOf say which block it was last proved current to, and when.
	Source    string    `json:"source"`
	AsOfBlock *uint64   `json:"asOfBlock,omitempty"`
	AsOf      string    `json:"asOf,omitempty"`
	Documents []Verdict `json:"documents"`
}

// verifyHash answers from the index when it was proved current to the
// ledger within the last maxLag and knows a document with this hash;
// otherwise (index behind or unreachable, hash unknown to it) it asks the
// ledger about every document with this hash.
func (s *Server) verifyHash(r *http.Request, sha256 string) (HashAnswer, error) {
	now := s.now()
	a := HashAnswer{SHA256: sha256, Status: spec.DocumentUnknown, CheckedAt: now.UTC().Format(time.RFC3339), Documents: []Verdict{}}
	names := s.memberNames(r)
	if block, at, ok := s.current(); ok {
		docs, err := s.index.DocumentsByHash(r.Context(), sha256, now)
		if err != nil {
			s.log.Warn("verify hash from index", "err", err)
		}
		if len(docs) > 0 {
			a.Source, a.AsOfBlock, a.AsOf = SourceIndex, &block, at.UTC().Format(time.RFC3339)
			for _, d := range docs {
				a.Documents = append(a.Documents, indexedVerdict(d, names))
			}
			a.Status = overall(a.Documents)
			return a, nil
		}
	}
	verdicts, err := s.ledger.VerifyHash(r.Context(), sha256)
	if err != nil {
		return HashAnswer{}, err
	}
	a.Source = SourceLedger
	for _, v := range verdicts {
		if v.Status == spec.DocumentUnknown {
			continue
		}
		a.Documents = append(a.Documents, s.verdict(r, v, names))
	}
	a.Status = overall(a.Documents)
	return a, nil
}

// indexedVerdict is the verdict on an indexed document, its status derived
// at the time it was read.
func indexedVerdict(d index.Document, names map[string]string) Verdict {
	out := Verdict{Issuer: d.Issuer, IssuerName: names[d.Issuer], ID: d.ID, Type: d.Type, Status: apiStatus(d.Status),
		SHA256: d.SHA256, KeyFacts: d.KeyFacts, ValidFrom: d.ValidFrom, ValidUntil: d.ValidUntil,
		RevocationReason: d.RevokedReason, SupersededBy: d.SupersededBy, Block: d.Block, TxID: d.TxID, state: d.Status}
	if d.Status == spec.DocumentRevoked {
		out.RevokedAt = d.StatusChangedAt
	}
	return out
}

// overall is the status of a hash: valid when one of its documents is,
// else the first one's, unknown when there is none.
func overall(docs []Verdict) string {
	if len(docs) == 0 {
		return spec.DocumentUnknown
	}
	for _, d := range docs {
		if d.Status == spec.DocumentValid {
			return spec.DocumentValid
		}
	}
	return docs[0].Status
}

func (s *Server) hashAPI(w http.ResponseWriter, r *http.Request) {
	sha, ok := parseHash(r)
	if !ok {
		writeJSON(w, http.StatusBadRequest, jsonError{Error: "sha256 must be 64 hexadecimal characters"})
		return
	}
	a, err := s.verifyHash(r, sha)
	if err != nil {
		s.jsonUnavailable(w, "verify hash", err)
		return
	}
	writeJSON(w, http.StatusOK, a)
}

// step is one line of a verification, passed or failed.
type step struct {
	OK   bool
	Text string
}

// hashView is the data of verify-hash.html.
type hashView struct {
	SHA256  string
	Unknown bool
	Source  string // where the answer comes from, in words
	Results []hashResult
	// ResultsHTML is Results written by hashResults.
	ResultsHTML template.HTML
}

type hashResult struct {
	Verdict
	StatusText string
	Steps      []step
}

func (s *Server) hashPage(w http.ResponseWriter, r *http.Request) {
	v := s.view(r, "", nil)
	sha, ok := parseHash(r)
	if !ok {
		s.errorPage(w, r, http.StatusBadRequest, v.T("hash.bad"))
		return
	}
	a, err := s.verifyHash(r, sha)
	if err != nil {
		s.unavailable(w, r, "verify hash", err)
		return
	}
	hv := hashView{SHA256: sha, Unknown: len(a.Documents) == 0, Source: v.Tf("hash.fromLedger", a.CheckedAt)}
	if a.Source == SourceIndex {
		hv.Source = v.Tf("hash.fromIndex", *a.AsOfBlock, a.AsOf)
	}
	for _, d := range a.Documents {
		hv.Results = append(hv.Results, hashResult{Verdict: d, StatusText: v.T("status." + d.state), Steps: steps(v, d)})
	}
	hv.ResultsHTML = hashResults(v, hv.Results)
	s.render(w, r, http.StatusOK, "verify-hash", "hash.title", hv)
}

// steps are the checks of a verdict, in the order a verifier makes them.
func steps(v view, d Verdict) []step {
	issuer := d.IssuerName
	if issuer == "" {
		issuer = d.Issuer
	}
	out := []step{{true, v.T("step.hash")}, {true, v.Tf("step.issuer", issuer, d.Type, d.ID)}}
	if d.Block > 0 {
		out = append(out, step{true, v.Tf("step.block", d.Block, d.TxID)})
	}
	switch d.state {
	case spec.DocumentRevoked:
		out = append(out, step{false, v.Tf("step.revoked", d.RevokedAt, d.RevocationReason)})
	case spec.DocumentSuperseded:
		out = append(out, step{false, v.Tf("step.superseded", d.SupersededBy)})
	default:
		out = append(out, step{true, v.T("step.notRevoked")})
	}
	switch d.state {
	case spec.DocumentExpired:
		out = append(out, step{false, v.T("step.expired")})
	case spec.DocumentNotYetValid:
		out = append(out, step{false, v.T("step.notYetValid")})
	case spec.DocumentValid:
		out = append(out, step{true, v.T("step.window")})
	}
	return out
}

func (s *Server) filePage(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "verify-file", "file.title", nil)
}

func (s *Server) sealPage(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "verify-seal", "seal.title", nil)
}

// statusAPI is the live status of one document, asked by the seal page
// with only the issuer and the document id.
func (s *Server) statusAPI(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	issuer, id := q.Get("issuer"), q.Get("id")
	if err := spec.CheckMSPID(issuer); err != nil {
		writeJSON(w, http.StatusBadRequest, jsonError{Error: "issuer " + err.Error()})
		return
	}
	if !spec.IDPattern.MatchString(id) {
		writeJSON(w, http.StatusBadRequest, jsonError{Error: "id must be " + spec.IDShape})
		return
	}
	verdict, err := s.ledger.Verify(r.Context(), issuer, id)
	if err != nil {
		s.jsonUnavailable(w, "verify document", err)
		return
	}
	if verdict.Status == spec.DocumentUnknown {
		writeJSON(w, http.StatusNotFound, jsonError{Status: spec.DocumentUnknown, Error: "no document " + id + " of " + issuer + " is registered"})
		return
	}
	out := s.verdict(r, verdict, nil)
	out.KeyFacts, out.Type = nil, "" // the seal carries them; only the live status is asked
	writeJSON(w, http.StatusOK, out)
}

// TrustList is the list of the member administrations' CA certificates
// that seals are checked against (base64 DER).
type TrustList struct {
	Channel         string              `json:"channel"`
	GeneratedAt     string              `json:"generatedAt"`
	Administrations []TrustedMembership `json:"administrations"`
}

// TrustedMembership is one administration of the trust list.
type TrustedMembership struct {
	MSPID             string   `json:"mspId"`
	Name              string   `json:"name"`
	CACerts           []string `json:"caCerts"`
	IntermediateCerts []string `json:"intermediateCerts"`
}

func (s *Server) trustList(w http.ResponseWriter, r *http.Request) {
	admins, err := s.ledger.TrustList(r.Context())
	if err != nil {
		s.jsonUnavailable(w, "read trust list", err)
		return
	}
	names := s.memberNames(r)
	out := TrustList{Channel: s.channel, GeneratedAt: s.now().UTC().Format(time.RFC3339), Administrations: []TrustedMembership{}}
	for _, a := range admins {
		m := TrustedMembership{MSPID: a.MSPID, Name: names[a.MSPID], CACerts: []string{}, IntermediateCerts: []string{}}
		if m.Name == "" {
			m.Name = a.MSPID
		}
		for _, c := range a.Roots {
			m.CACerts = append(m.CACerts, base64.StdEncoding.EncodeToString(c.Raw))
		}
		for _, c := range a.Intermediates {
			m.IntermediateCerts = append(m.IntermediateCerts, base64.StdEncoding.EncodeToString(c.Raw))
		}
		out.Administrations = append(out.Administrations, m)
	}
	w.Header().Set("Cache-Control", "public, max-age=60")
	writeJSON(w, http.StatusOK, out)
}
