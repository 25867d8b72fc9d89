package server

import (
	"context"
	"encoding/json"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
	"github.com/civicledger/civicledger/gateway/fabric"
)

// documentsService serves DocumentsService over the Documents contract. The
// subject's clear data only ever travels in the transient key "subject" and
// is never logged, nor echoed in an error.
type documentsService struct {
	apiv1.UnimplementedDocumentsServiceServer
	*Server
}

// documentSubjectKey is the transient key the chaincode reads subject data from.
const documentSubjectKey = "subject"

// maxDocumentSubject is the chaincode's limit on subject data, in bytes.
const maxDocumentSubject = 4 << 10

// documentIDPattern is the chaincode's shape of a document id.
var documentIDPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)

// documentTypes maps the API's document types to the chaincode's names.
var documentTypes = map[apiv1.DocumentType]string{
	apiv1.DocumentType_DOCUMENT_TYPE_DEBT_EXTRACT: "debt-extract",
	apiv1.DocumentType_DOCUMENT_TYPE_PERMIT:       "permit",
	apiv1.DocumentType_DOCUMENT_TYPE_CIVIL_STATUS: "civil-status",
	apiv1.DocumentType_DOCUMENT_TYPE_CERTIFICATE:  "certificate",
	apiv1.DocumentType_DOCUMENT_TYPE_OTHER:        "other",
}

// documentStatuses maps the chaincode's statuses to the API's.
var documentStatuses = map[string]apiv1.DocumentStatus{
	"unknown":       apiv1.DocumentStatus_DOCUMENT_STATUS_UNKNOWN,
	"valid":         apiv1.DocumentStatus_DOCUMENT_STATUS_VALID,
	"revoked":       apiv1.DocumentStatus_DOCUMENT_STATUS_REVOKED,
	"superseded":    apiv1.DocumentStatus_DOCUMENT_STATUS_SUPERSEDED,
	"expired":       apiv1.DocumentStatus_DOCUMENT_STATUS_EXPIRED,
	"not-yet-valid": apiv1.DocumentStatus_DOCUMENT_STATUS_NOT_YET_VALID,
}

// documentJSON is the chaincode's Document.
type documentJSON struct {
	Issuer          string            `json:"issuer"`
	ID              string            `json:"id"`
	Type            string            `json:"type"`
	SHA256          string            `json:"sha256"`
	KeyFacts        map[string]string `json:"keyFacts"`
	ValidFrom       string            `json:"validFrom"`
	ValidUntil      string            `json:"validUntil"`
	SubjectRef      string            `json:"subjectRef"`
	Status          string            `json:"status"`
	RevokedReason   string            `json:"revokedReason"`
	SupersededBy    string            `json:"supersededBy"`
	RegisteredAt    string            `json:"registeredAt"`
	RegisteredBy    string            `json:"registeredBy"`
	StatusChangedAt string            `json:"statusChangedAt"`
	StatusChangedBy string            `json:"statusChangedBy"`
}

func (d documentJSON) proto() (*apiv1.Document, error) {
	typ, err := documentTypeOf(d.Type)
	if err != nil {
		return nil, err
	}
	st, err := documentStatusOf(d.Status)
	if err != nil {
		return nil, err
	}
	return &apiv1.Document{
		Issuer: d.Issuer, Id: d.ID, Type: typ, Sha256: d.SHA256, KeyFacts: d.KeyFacts,
		ValidFrom: d.ValidFrom, ValidUntil: d.ValidUntil, SubjectRef: d.SubjectRef, Status: st,
		RevokedReason: d.RevokedReason, SupersededBy: d.SupersededBy,
		RegisteredAt: d.RegisteredAt, RegisteredBy: d.RegisteredBy,
		StatusChangedAt: d.StatusChangedAt, StatusChangedBy: d.StatusChangedBy,
	}, nil
}

// documentVerdictJSON is the chaincode's DocumentVerdict.
type documentVerdictJSON struct {
	Status        string `json:"status"`
	Issuer        string `json:"issuer"`
	ID            string `json:"id"`
	Type          string `json:"type"`
	SHA256        string `json:"sha256"`
	ValidFrom     string `json:"validFrom"`
	ValidUntil    string `json:"validUntil"`
	RevokedReason string `json:"revokedReason"`
	SupersededBy  string `json:"supersededBy"`
	CheckedAt     string `json:"checkedAt"`
}

func (v documentVerdictJSON) proto() (*apiv1.DocumentVerdict, error) {
	typ, err := documentTypeOf(v.Type)
	if err != nil {
		return nil, err
	}
	st, err := documentStatusOf(v.Status)
	if err != nil {
		return nil, err
	}
	return &apiv1.DocumentVerdict{
		Status: st, Issuer: v.Issuer, Id: v.ID, Type: typ, Sha256: v.SHA256,
		ValidFrom: v.ValidFrom, ValidUntil: v.ValidUntil, RevokedReason: v.RevokedReason,
		SupersededBy: v.SupersededBy, CheckedAt: v.CheckedAt,
	}, nil
}

// documentTypeOf maps a chaincode type name ("" in an unknown verdict) to
// the API's; a name the gateway does not know is an internal error, rather
// than a silently wrong answer.
func documentTypeOf(name string) (apiv1.DocumentType, error) {
	if name == "" {
		return apiv1.DocumentType_DOCUMENT_TYPE_UNSPECIFIED, nil
	}
	for t, n := range documentTypes {
		if n == name {
			return t, nil
		}
	}
	return 0, status.Errorf(codes.Internal, "the ledger returned document type %q, unknown to this gateway", name)
}

func documentStatusOf(name string) (apiv1.DocumentStatus, error) {
	if st, ok := documentStatuses[name]; ok {
		return st, nil
	}
	return 0, status.Errorf(codes.Internal, "the ledger returned document status %q, unknown to this gateway", name)
}

// documentRegistrationJSON is the chaincode's Register input.
type documentRegistrationJSON struct {
	ID         string            `json:"id"`
	Type       string            `json:"type"`
	SHA256     string            `json:"sha256"`
	KeyFacts   map[string]string `json:"keyFacts,omitempty"`
	ValidFrom  string            `json:"validFrom"`
	ValidUntil string            `json:"validUntil,omitempty"`
	SubjectRef string            `json:"subjectRef"`
}

func (d *documentsService) RegisterDocument(ctx context.Context, req *apiv1.RegisterDocumentRequest) (*apiv1.RegisterDocumentResponse, error) {
	in := documentRegistrationJSON{ID: req.Id, KeyFacts: req.KeyFacts, ValidFrom: req.ValidFrom, ValidUntil: req.ValidUntil}
	if err := documentID("id", req.Id); err != nil {
		return nil, err
	}
	var ok bool
	if in.Type, ok = documentTypes[req.Type]; !ok {
		return nil, invalid("type", "is required: one of debt-extract, permit, civil-status, certificate, other")
	}
	var err error
	if in.SHA256, err = documentHash("sha256", req.Sha256); err != nil {
		return nil, err
	}
	if in.SubjectRef, err = documentHash("subject_ref", req.SubjectRef); err != nil {
		return nil, err
	}
	if err := documentTime("valid_from", req.ValidFrom, true); err != nil {
		return nil, err
	}
	if err := documentTime("valid_until", req.ValidUntil, false); err != nil {
		return nil, err
	}
	arg, err := jsonArg(in)
	if err != nil {
		return nil, err
	}
	var doc documentJSON
	committed, err := d.submitJSON(ctx, &doc, fabric.Submission{Transaction: "Documents:Register", Args: []string{arg}})
	if err != nil {
		return nil, err
	}
	p, err := doc.proto()
	if err != nil {
		return nil, err
	}
	return &apiv1.RegisterDocumentResponse{Document: p, Committed: committed}, nil
}

func (d *documentsService) SetDocumentSubject(ctx context.Context, req *apiv1.SetDocumentSubjectRequest) (*apiv1.SetDocumentSubjectResponse, error) {
	if err := documentID("id", req.Id); err != nil {
		return nil, err
	}
	if err := documentSubject(req.SubjectJson); err != nil {
		return nil, err
	}
	committed, err := d.submitJSON(ctx, nil, fabric.Submission{
		Transaction: "Documents:SetSubject", Args: []string{req.Id},
		Transient: map[string][]byte{documentSubjectKey: []byte(req.SubjectJson)},
	})
	if err != nil {
		return nil, err
	}
	return &apiv1.SetDocumentSubjectResponse{Committed: committed}, nil
}

func (d *documentsService) RevokeDocument(ctx context.Context, req *apiv1.RevokeDocumentRequest) (*apiv1.RevokeDocumentResponse, error) {
	if err := documentID("id", req.Id); err != nil {
		return nil, err
	}
	if strings.TrimSpace(req.Reason) == "" {
		return nil, invalid("reason", "is required: say why the document is revoked (public, at most 500 characters)")
	}
	doc, committed, err := d.submitDocument(ctx, "Documents:Revoke", req.Id, req.Reason)
	if err != nil {
		return nil, err
	}
	return &apiv1.RevokeDocumentResponse{Document: doc, Committed: committed}, nil
}

func (d *documentsService) SupersedeDocument(ctx context.Context, req *apiv1.SupersedeDocumentRequest) (*apiv1.SupersedeDocumentResponse, error) {
	if err := documentID("id", req.Id); err != nil {
		return nil, err
	}
	if err := documentID("new_id", req.NewId); err != nil {
		return nil, err
	}
	if req.Id == req.NewId {
		return nil, invalid("new_id", "must differ from id: a document cannot supersede itself")
	}
	doc, committed, err := d.submitDocument(ctx, "Documents:Supersede", req.Id, req.NewId)
	if err != nil {
		return nil, err
	}
	return &apiv1.SupersedeDocumentResponse{Document: doc, Committed: committed}, nil
}

func (d *documentsService) PurgeDocumentSubject(ctx context.Context, req *apiv1.PurgeDocumentSubjectRequest) (*apiv1.PurgeDocumentSubjectResponse, error) {
	if err := documentID("id", req.Id); err != nil {
		return nil, err
	}
	committed, err := d.submitJSON(ctx, nil, fabric.Submission{Transaction: "Documents:PurgeSubject", Args: []string{req.Id}})
	if err != nil {
		return nil, err
	}
	return &apiv1.PurgeDocumentSubjectResponse{Committed: committed}, nil
}

func (d *documentsService) GetDocument(ctx context.Context, req *apiv1.GetDocumentRequest) (*apiv1.Document, error) {
	if err := documentID("id", req.Id); err != nil {
		return nil, err
	}
	var doc documentJSON
	if err := d.evaluateJSON(ctx, &doc, "Documents:Get", documentIssuer(ctx, req.Issuer), req.Id); err != nil {
		return nil, err
	}
	return doc.proto()
}

func (d *documentsService) VerifyDocument(ctx context.Context, req *apiv1.VerifyDocumentRequest) (*apiv1.VerifyDocumentResponse, error) {
	if err := documentID("id", req.Id); err != nil {
		return nil, err
	}
	var v documentVerdictJSON
	if err := d.evaluateJSON(ctx, &v, "Documents:Verify", documentIssuer(ctx, req.Issuer), req.Id); err != nil {
		return nil, err
	}
	p, err := v.proto()
	if err != nil {
		return nil, err
	}
	return &apiv1.VerifyDocumentResponse{Verdict: p}, nil
}

func (d *documentsService) VerifyDocumentHash(ctx context.Context, req *apiv1.VerifyDocumentHashRequest) (*apiv1.VerifyDocumentHashResponse, error) {
	sum, err := documentHash("sha256", req.Sha256)
	if err != nil {
		return nil, err
	}
	var list []documentVerdictJSON
	if err := d.evaluateJSON(ctx, &list, "Documents:VerifyHash", sum); err != nil {
		return nil, err
	}
	resp := &apiv1.VerifyDocumentHashResponse{}
	for _, v := range list {
		p, err := v.proto()
		if err != nil {
			return nil, err
		}
		resp.Verdicts = append(resp.Verdicts, p)
	}
	return resp, nil
}

func (d *documentsService) ListDocuments(ctx context.Context, req *apiv1.ListDocumentsRequest) (*apiv1.ListDocumentsResponse, error) {
	typ := ""
	if req.Type != apiv1.DocumentType_DOCUMENT_TYPE_UNSPECIFIED {
		var ok bool
		if typ, ok = documentTypes[req.Type]; !ok {
			return nil, invalid("type", "unknown document type %d", req.Type)
		}
	}
	size, err := pageSize(req.PageSize)
	if err != nil {
		return nil, err
	}
	var page struct {
		Items    []documentJSON `json:"items"`
		Bookmark string         `json:"bookmark"`
	}
	if err := d.evaluateJSON(ctx, &page, "Documents:ListByIssuer", documentIssuer(ctx, req.Issuer), typ, size, req.PageToken); err != nil {
		return nil, err
	}
	resp := &apiv1.ListDocumentsResponse{NextPageToken: page.Bookmark}
	for _, doc := range page.Items {
		p, err := doc.proto()
		if err != nil {
			return nil, err
		}
		resp.Documents = append(resp.Documents, p)
	}
	return resp, nil
}

func (d *documentsService) GetDocumentHistory(ctx context.Context, req *apiv1.GetDocumentHistoryRequest) (*apiv1.GetDocumentHistoryResponse, error) {
	if err := documentID("id", req.Id); err != nil {
		return nil, err
	}
	var versions []struct {
		TxID      string        `json:"txId"`
		Timestamp string        `json:"timestamp"`
		IsDelete  bool          `json:"isDelete"`
		Document  *documentJSON `json:"document"`
	}
	if err := d.evaluateJSON(ctx, &versions, "Documents:History", documentIssuer(ctx, req.Issuer), req.Id); err != nil {
		return nil, err
	}
	resp := &apiv1.GetDocumentHistoryResponse{}
	for _, v := range versions {
		version := &apiv1.DocumentVersion{TransactionId: v.TxID, Timestamp: v.Timestamp, IsDelete: v.IsDelete}
		if v.Document != nil {
			p, err := v.Document.proto()
			if err != nil {
				return nil, err
			}
			version.Document = p
		}
		resp.Versions = append(resp.Versions, version)
	}
	return resp, nil
}

func (d *documentsService) GetDocumentSubject(ctx context.Context, req *apiv1.GetDocumentSubjectRequest) (*apiv1.GetDocumentSubjectResponse, error) {
	if err := documentID("id", req.Id); err != nil {
		return nil, err
	}
	raw, err := d.fabric.Evaluate(ctx, caller(ctx), "Documents:GetSubject", req.Id)
	if err != nil {
		return nil, toStatus(err)
	}
	return &apiv1.GetDocumentSubjectResponse{Id: req.Id, SubjectJson: string(raw)}, nil
}

// submitDocument submits a transaction that returns the changed Document.
func (d *documentsService) submitDocument(ctx context.Context, tx string, args ...string) (*apiv1.Document, *apiv1.Committed, error) {
	var doc documentJSON
	committed, err := d.submitJSON(ctx, &doc, fabric.Submission{Transaction: tx, Args: args})
	if err != nil {
		return nil, nil, err
	}
	p, err := doc.proto()
	if err != nil {
		return nil, nil, err
	}
	return p, committed, nil
}

// documentIssuer is the issuer a read names: the caller's administration
// when the request leaves it empty. A malformed one is the chaincode's to
// refuse.
func documentIssuer(ctx context.Context, issuer string) string {
	if issuer == "" {
		if u := caller(ctx); u != nil {
			return u.MSPID
		}
	}
	return issuer
}

// documentID checks a required document id has the chaincode's shape.
func documentID(field, id string) error {
	if id == "" {
		return invalid(field, "is required")
	}
	if !documentIDPattern.MatchString(id) {
		return invalid(field, "%q is malformed: a letter or digit, then letters, digits, '.', '_' or '-', at most 64 characters", clipDocument(id))
	}
	return nil
}

// documentHash checks a required SHA-256 in hex and returns it in the
// chaincode's lowercase form.
func documentHash(field, v string) (string, error) {
	if v == "" {
		return "", invalid(field, "is required: 64 hex characters")
	}
	v = strings.ToLower(v)
	if len(v) != 64 || strings.Trim(v, "0123456789abcdef") != "" {
		return "", invalid(field, "must be a SHA-256 in hex (64 characters), got %d characters", len(v))
	}
	return v, nil
}

// documentTime checks an RFC 3339 time.
func documentTime(field, v string, isRequired bool) error {
	if v == "" {
		if isRequired {
			return invalid(field, "is required: an RFC 3339 time such as 2024-01-01T00:00:00Z")
		}
		return nil
	}
	if _, err := time.Parse(time.RFC3339, v); err != nil {
		return invalid(field, "%q is not an RFC 3339 time such as 2024-01-01T00:00:00Z", clipDocument(v))
	}
	return nil
}

// documentSubject checks the shape of subject data without ever quoting
// it: a JSON object of at most 4 KiB with a non-empty string "salt".
func documentSubject(raw string) error {
	const field = "subject_json"
	switch {
	case strings.TrimSpace(raw) == "":
		return invalid(field, `is required: a JSON object with a non-empty string "salt"`)
	case len(raw) > maxDocumentSubject:
		return invalid(field, "is %d bytes, at most %d", len(raw), maxDocumentSubject)
	case !utf8.ValidString(raw):
		return invalid(field, "is not valid UTF-8")
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal([]byte(raw), &fields); err != nil || fields == nil {
		return invalid(field, "must be a JSON object")
	}
	var salt string
	if err := json.Unmarshal(fields["salt"], &salt); err != nil || strings.TrimSpace(salt) == "" {
		return invalid(field, `needs a non-empty string field "salt"`)
	}
	return nil
}

// clipDocument shortens an echoed request value.
func clipDocument(s string) string {
	if utf8.RuneCountInString(s) <= 64 {
		return s
	}
	return string([]rune(s)[:64]) + "…"
}
