package documents

import (
	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"

	"github.com/civicledger/civicledger/chaincode/contracts/base"
	"github.com/civicledger/civicledger/chaincode/records"
	"github.com/civicledger/civicledger/chaincode/spec"
)

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

// Contract is the register of certified documents. The issuer of a
// document is always the caller's administration; once registered, the
// record can only change with the endorsement of the issuer's peer plus one
// other administration's (a key-level policy), and the clear subject data
// lives only in the issuer's implicit private data collection.
type Contract struct {
	contractapi.Contract
}

// New returns the documents contract, using TxContext.
func New() *Contract {
	return &Contract{Contract: base.NewContract(spec.DocumentsContract, "CivicLedger register of certified documents")}
}

// GetEvaluateTransactions marks the read-only transactions for the metadata.
func (c *Contract) GetEvaluateTransactions() []string {
	return []string{"Get", "Verify", "VerifyHash", "ListByIssuer", "History", "GetSubject"}
}

// documentEvent builds the event payload describing d at time at.
func documentEvent(d *records.Document, at string) DocumentEvent {
	return DocumentEvent{
		Issuer: d.Issuer, ID: d.ID, Type: d.Type, SHA256: d.SHA256,
		Status: d.Status, SupersededBy: d.SupersededBy, At: at,
	}
}
