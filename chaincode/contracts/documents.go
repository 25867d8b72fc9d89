package contracts

import (
	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"
)

// DocumentsContractName prefixes the documents register's transaction
// names, as in "Documents:Register".
const DocumentsContractName = "Documents"

// Events of the documents register, one per state-changing transaction. The
// payload is a DocumentEvent: no personal data, no key facts, no client ID.
const (
	EventDocumentRegistered    = "documents.Registered"
	EventDocumentRevoked       = "documents.Revoked"
	EventDocumentSuperseded    = "documents.Superseded"
	EventDocumentSubjectSet    = "documents.SubjectSet"
	EventDocumentSubjectPurged = "documents.SubjectPurged"
)

// Statuses. A record stores only valid, revoked or superseded; a verdict may
// also say expired or not-yet-valid (derived from the transaction time) or
// unknown (no such document).
const (
	DocumentStatusValid       = "valid"
	DocumentStatusRevoked     = "revoked"
	DocumentStatusSuperseded  = "superseded"
	DocumentStatusExpired     = "expired"
	DocumentStatusNotYetValid = "not-yet-valid"
	DocumentStatusUnknown     = "unknown"
)

// DocumentTypes are the kinds of document an administration may register.
var DocumentTypes = []string{"debt-extract", "permit", "civil-status", "certificate", "other"}

// DocumentSubjectTransientKey is the transient map key carrying the clear
// subject data (a JSON object with a "salt") to Register and SetSubject.
const DocumentSubjectTransientKey = "subject"

// Document is the public record of a registered document. Personal data
// never appears here: the subject is only referenced by a salted hash.
type Document struct {
	Issuer string `json:"issuer"`
	ID     string `json:"id"`
	Type   string `json:"type"`
	// SHA256 is the lowercase hex SHA-256 of the document's bytes.
	SHA256 string `json:"sha256"`
	// KeyFacts are the public facts printed in the seal.
	KeyFacts map[string]string `json:"keyFacts"`
	// ValidFrom and ValidUntil bound the validity window [from, until) in
	// RFC 3339 UTC; an empty ValidUntil means no end.
	ValidFrom  string `json:"validFrom"`
	ValidUntil string `json:"validUntil,omitempty" metadata:"validUntil,optional"`
	// SubjectRef is the salted SHA-256 of the subject, in lowercase hex.
	SubjectRef    string `json:"subjectRef"`
	Status        string `json:"status"`
	RevokedReason string `json:"revokedReason,omitempty" metadata:"revokedReason,optional"`
	SupersededBy  string `json:"supersededBy,omitempty" metadata:"supersededBy,optional"`
	RegisteredAt  string `json:"registeredAt"`
	// RegisteredBy and StatusChangedBy are Fabric client IDs.
	RegisteredBy    string `json:"registeredBy"`
	StatusChangedAt string `json:"statusChangedAt,omitempty" metadata:"statusChangedAt,optional"`
	StatusChangedBy string `json:"statusChangedBy,omitempty" metadata:"statusChangedBy,optional"`
}

// DocumentVerdict is the answer to a verification: the status at the
// transaction time (checkedAt) and the public facts a verifier compares.
type DocumentVerdict struct {
	Status        string `json:"status"`
	Issuer        string `json:"issuer,omitempty" metadata:"issuer,optional"`
	ID            string `json:"id,omitempty" metadata:"id,optional"`
	Type          string `json:"type,omitempty" metadata:"type,optional"`
	SHA256        string `json:"sha256,omitempty" metadata:"sha256,optional"`
	ValidFrom     string `json:"validFrom,omitempty" metadata:"validFrom,optional"`
	ValidUntil    string `json:"validUntil,omitempty" metadata:"validUntil,optional"`
	RevokedReason string `json:"revokedReason,omitempty" metadata:"revokedReason,optional"`
	SupersededBy  string `json:"supersededBy,omitempty" metadata:"supersededBy,optional"`
	CheckedAt     string `json:"checkedAt"`
}

// DocumentPage is one page of ListByIssuer; an empty bookmark means last page.
type DocumentPage struct {
	Items    []*Document `json:"items"`
	Bookmark string      `json:"bookmark"`
}

// DocumentVersion is one committed version of a document record.
type DocumentVersion struct {
	TxID      string    `json:"txId"`
	Timestamp string    `json:"timestamp"`
	IsDelete  bool      `json:"isDelete"`
	Document  *Document `json:"document,omitempty" metadata:"document,optional"`
}

// DocumentEvent is the payload of every documents event.
type DocumentEvent struct {
	Issuer       string `json:"issuer"`
	ID           string `json:"id"`
	Type         string `json:"type"`
	SHA256       string `json:"sha256"`
	Status       string `json:"status"`
	SupersededBy string `json:"supersededBy,omitempty" metadata:"supersededBy,optional"`
	At           string `json:"at"`
}

// DocumentsContract is the register of certified documents. The issuer of a
// document is always the caller's administration; once registered, the
// record can only change with the endorsement of the issuer's peer plus one
// other administration's (a key-level policy), and the clear subject data
// lives only in the issuer's implicit private data collection.
type DocumentsContract struct {
	contractapi.Contract
}

// NewDocumentsContract returns the documents contract, using TxContext.
func NewDocumentsContract() *DocumentsContract {
	return &DocumentsContract{Contract: newContract(DocumentsContractName, "CivicLedger register of certified documents")}
}

// GetEvaluateTransactions marks the read-only transactions for the metadata.
func (c *DocumentsContract) GetEvaluateTransactions() []string {
	return []string{"Get", "Verify", "VerifyHash", "ListByIssuer", "History", "GetSubject"}
}

// documentEvent builds the event payload describing d at time at.
func documentEvent(d *Document, at string) DocumentEvent {
	return DocumentEvent{
		Issuer: d.Issuer, ID: d.ID, Type: d.Type, SHA256: d.SHA256,
		Status: d.Status, SupersededBy: d.SupersededBy, At: at,
	}
}
