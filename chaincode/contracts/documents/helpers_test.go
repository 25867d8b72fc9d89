package documents_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/civicledger/civicledger/chaincode/contracts/documents"
	"github.com/civicledger/civicledger/chaincode/contracts/internal/contracttest"
	"github.com/civicledger/civicledger/chaincode/internal/fakestub"
	"github.com/civicledger/civicledger/chaincode/records"
	"github.com/civicledger/civicledger/chaincode/spec"
)

// Hashes used as document and subject hashes in the documents tests.
var (
	docHashA   = strings.Repeat("a1", 32)
	docHashB   = strings.Repeat("b2", 32)
	docSubject = strings.Repeat("5e", 32)
)

// docPeople are the callers of the documents tests: three administrations,
// Registry with every role.
type docPeople struct {
	regClerk, regApprover, regAdmin, regNoRole fakestub.Identity
	treClerk, treApprover, treAdmin            fakestub.Identity
	couAdmin                                   fakestub.Identity
}

func newDocPeople(t *testing.T) docPeople {
	t.Helper()
	return docPeople{
		regClerk:    fakestub.NewIdentity(t, "RegistryMSP", "rita", spec.RoleClerk),
		regApprover: fakestub.NewIdentity(t, "RegistryMSP", "rosa", spec.RoleApprover),
		regAdmin:    fakestub.NewIdentity(t, "RegistryMSP", "rudi", spec.RoleAdmin),
		regNoRole:   fakestub.NewIdentity(t, "RegistryMSP", "rene", ""),
		treClerk:    fakestub.NewIdentity(t, "TreasuryMSP", "tina", spec.RoleClerk),
		treApprover: fakestub.NewIdentity(t, "TreasuryMSP", "tom", spec.RoleApprover),
		treAdmin:    fakestub.NewIdentity(t, "TreasuryMSP", "theo", spec.RoleAdmin),
		couAdmin:    fakestub.NewIdentity(t, "CouncilMSP", "carla", spec.RoleAdmin),
	}
}

// docLedger returns a ledger on which Registry, Treasury and Council have
// published their directory profiles, i.e. are member administrations.
func docLedger(t *testing.T, p docPeople) *fakestub.Stub {
	t.Helper()
	return contracttest.MemberLedger(t, p.regAdmin, p.treAdmin, p.couAdmin)
}

// docFields are the fields of a valid registration, to be altered by tests.
func docFields(id string) map[string]any {
	return map[string]any{
		"id":         id,
		"type":       "debt-extract",
		"sha256":     docHashA,
		"keyFacts":   map[string]any{"proceedings": "3", "totalAmount": "CHF 1234.50"},
		"validFrom":  "2024-01-01T00:00:00Z",
		"validUntil": "2024-04-01T00:00:00Z",
		"subjectRef": docSubject,
	}
}

// registerDoc runs Register as id with the given fields and requires success.
func registerDoc(t *testing.T, stub *fakestub.Stub, id fakestub.Identity, fields map[string]any) *records.Document {
	t.Helper()
	d, err := documents.New().Register(contracttest.TxAs(stub, id), contracttest.JSONWith(t, fields, nil))
	require.NoError(t, err)
	return d
}

// docAt sets the transaction time of the next calls on stub.
func docAt(t testing.TB, stub *fakestub.Stub, at string) {
	t.Helper()
	ts, err := time.Parse(time.RFC3339, at)
	require.NoError(t, err)
	stub.SetTxTime(timestamppb.New(ts))
}

// docEventNames lists the names of the events emitted so far.
func docEventNames(stub *fakestub.Stub) []string {
	var names []string
	for _, e := range stub.Events() {
		names = append(names, e.Name)
	}
	return names
}
