package contracts

import (
	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"

	"github.com/civicledger/civicledger/chaincode/records"
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
func documentEvent(d *records.Document, at string) DocumentEvent {
	return DocumentEvent{
		Issuer: d.Issuer, ID: d.ID, Type: d.Type, SHA256: d.SHA256,
		Status: d.Status, SupersededBy: d.SupersededBy, At: at,
	}
}
