package receipt

import (
	"fmt"
	"strings"
	"time"
)

// Check names, in the order Verify runs them. They are stable: tools and
// tests branch on them.
const (
	CheckConfiguration        = "configuration"         // the configuration block is well formed and, unless it is the genesis block, signed by an orderer
	CheckTrustedConfiguration = "trusted-configuration" // its header hash is in the trust file
	CheckTransaction          = "transaction"           // the receipt's transaction is at its index, with its id and channel
	CheckCreator              = "creator"               // the submitter is a member's identity, its signature and the transaction id are right
	CheckEndorsements         = "endorsements"          // every endorsement is a member peer's valid signature over this transaction's response
	CheckEndorsementPolicy    = "endorsement-policy"    // the endorsers satisfy the channel's endorsement policy
	CheckInBlock              = "in-block"              // the block's data hash covers the transaction
	CheckBlockSignature       = "block-signature"       // an orderer of the network signed the block header
	CheckConfigurationLink    = "configuration-link"    // the signed block names this configuration block as its own
	CheckValidationCode       = "validation-code"       // the peer marked the transaction VALID (not signed; see docs/proofs.md)
)

// Check is the outcome of one verification step.
type Check struct {
	Name   string `json:"name"`
	OK     bool   `json:"ok"`
	Detail string `json:"detail"`
}

// Report is what Verify established about a receipt. Fields after Checks
// are filled in as far as the receipt could be decoded.
type Report struct {
	Checks []Check `json:"checks"`

	Channel          string         `json:"channel"`
	TransactionID    string         `json:"transactionId"`
	BlockNumber      uint64         `json:"blockNumber"`
	TransactionIndex int            `json:"transactionIndex"`
	Timestamp        time.Time      `json:"timestamp"`
	Chaincode        string         `json:"chaincode,omitempty"`
	Function         string         `json:"function,omitempty"`
	Creator          *Identity      `json:"creator,omitempty"`
	Endorsers        []*Identity    `json:"endorsers,omitempty"`
	Orderers         []*Identity    `json:"orderers,omitempty"`
	ConfigBlock      uint64         `json:"configBlock"`
	ConfigHash       string         `json:"configHash,omitempty"`
	ValidationCode   string         `json:"validationCode,omitempty"`
	Writes           []Write        `json:"writes,omitempty"`
	PrivateWrites    []PrivateWrite `json:"privateWrites,omitempty"`
}

// Valid tells whether every check passed.
func (r *Report) Valid() bool { return r.Err() == nil }

// Err returns the first failed check as a *CheckError, or nil.
func (r *Report) Err() error {
	for _, c := range r.Checks {
		if !c.OK {
			return &CheckError{Check: c.Name, Detail: c.Detail}
		}
	}
	return nil
}

// Failed lists the names of the failed checks.
func (r *Report) Failed() []string {
	var out []string
	for _, c := range r.Checks {
		if !c.OK {
			out = append(out, c.Name)
		}
	}
	return out
}

// Write returns the public write of key in namespace, if the transaction
// made one.
func (r *Report) Write(namespace, key string) (Write, bool) {
	for _, w := range r.Writes {
		if w.Namespace == namespace && w.Key == key {
			return w, true
		}
	}
	return Write{}, false
}

func (r *Report) pass(name, format string, args ...any) {
	r.Checks = append(r.Checks, Check{Name: name, OK: true, Detail: fmt.Sprintf(format, args...)})
}

func (r *Report) fail(name, format string, args ...any) {
	r.Checks = append(r.Checks, Check{Name: name, Detail: fmt.Sprintf(format, args...)})
}

// CheckError is a failed check; Check is one of the Check… names.
type CheckError struct {
	Check  string
	Detail string
}

func (e *CheckError) Error() string {
	return "receipt does not verify: " + e.Check + ": " + e.Detail
}

func mspIDs(ids []*Identity) string {
	names := make([]string, len(ids))
	for i, id := range ids {
		names[i] = id.MSPID
	}
	return strings.Join(names, ", ")
}
