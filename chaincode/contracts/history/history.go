package history

import (
	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"

	"github.com/civicledger/civicledger/chaincode/contracts/base"
	"github.com/civicledger/civicledger/chaincode/records"
	"github.com/civicledger/civicledger/chaincode/spec"
	"github.com/civicledger/civicledger/chaincode/state"
)

// recordKinds are the public records whose history can be read, with the
// key parts that identify one (in key order). Private data and indexes are
// not records.
var recordKinds = map[string]struct {
	objectType string
	parts      []string
}{
	"profile":     {state.TypeProfile, []string{"mspId"}},
	"document":    {state.TypeDocument, []string{"issuer", "id"}},
	"body":        {state.TypeConvocationBody, []string{"owner", "bodyId"}},
	"meeting":     {state.TypeMeeting, []string{"owner", "meetingId"}},
	"convocation": {state.TypeConvocation, []string{"owner", "meetingId", "convocationId"}},
	"programme":   {state.TypeSubsidyProgramme, []string{"grantingMsp", "programmeId"}},
	"grant":       {state.TypeSubsidyGrant, []string{"grantingMsp", "programmeId", "grantId"}},
	"permission":  {state.TypePermission, []string{"owner", "id"}},
}

// RecordKinds lists the kinds History:Record accepts, sorted.
func RecordKinds() []string {
	return []string{"body", "convocation", "document", "grant", "meeting", "permission", "profile", "programme"}
}

// Contract reads the history of any public record: every committed
// version with the transaction that wrote it.
type Contract struct {
	contractapi.Contract
}

// New returns the history contract.
func New() *Contract {
	return &Contract{Contract: base.NewContract(spec.HistoryContract, "CivicLedger record history")}
}

// GetEvaluateTransactions marks Record as read-only.
func (c *Contract) GetEvaluateTransactions() []string { return []string{"Record"} }

// Record returns every committed version of the record of kind identified by
// keyParts (a JSON array of strings, e.g. ["RegistryMSP","EXT-1"] for a
// document), in the peer's history order. NOT_FOUND when it never existed.
func (c *Contract) Record(ctx *base.TxContext, kind, keyParts string) ([]*records.RecordVersion, error) {
	k, ok := recordKinds[kind]
	if !ok {
		return nil, base.ValidateOneOf("record kind", kind, RecordKinds())
	}
	var parts []string
	if err := base.DecodeInput("key parts", keyParts, 4096, &parts); err != nil {
		return nil, err
	}
	if len(parts) != len(k.parts) {
		return nil, base.InvalidArgument("a %s is identified by %d key parts %v, got %d", kind, len(k.parts), k.parts, len(parts))
	}
	for i, p := range parts {
		if _, err := base.NormalizeText(k.parts[i], p, 128); err != nil {
			return nil, err
		}
	}
	key, err := state.Key(ctx.GetStub(), k.objectType, parts...)
	if err != nil {
		return nil, base.InvalidArgument("key parts of %s: %v", kind, err)
	}
	versions, err := base.KeyHistory(ctx, key, kind)
	if err != nil {
		return nil, err
	}
	if len(versions) == 0 {
		return nil, base.NotFound("no %s %v on the ledger", kind, parts)
	}
	return versions, nil
}
