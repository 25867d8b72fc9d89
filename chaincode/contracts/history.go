package contracts

import (
	"encoding/json"

	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"

	"github.com/civicledger/civicledger/chaincode/records"
	"github.com/civicledger/civicledger/chaincode/state"
)

// HistoryContractName prefixes the history transaction, "History:Record".
const HistoryContractName = "History"

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

// HistoryContract reads the history of any public record: every committed
// version with the transaction that wrote it.
type HistoryContract struct {
	contractapi.Contract
}

// NewHistoryContract returns the history contract.
func NewHistoryContract() *HistoryContract {
	return &HistoryContract{Contract: newContract(HistoryContractName, "CivicLedger record history")}
}

// GetEvaluateTransactions marks Record as read-only.
func (c *HistoryContract) GetEvaluateTransactions() []string { return []string{"Record"} }

// Record returns every committed version of the record of kind identified by
// keyParts (a JSON array of strings, e.g. ["RegistryMSP","EXT-1"] for a
// document), in the peer's history order. NOT_FOUND when it never existed.
func (c *HistoryContract) Record(ctx *TxContext, kind, keyParts string) ([]*records.RecordVersion, error) {
	k, ok := recordKinds[kind]
	if !ok {
		return nil, validateOneOf("record kind", kind, RecordKinds())
	}
	var parts []string
	if err := decodeInput("key parts", keyParts, 4096, &parts); err != nil {
		return nil, err
	}
	if len(parts) != len(k.parts) {
		return nil, InvalidArgument("a %s is identified by %d key parts %v, got %d", kind, len(k.parts), k.parts, len(parts))
	}
	for i, p := range parts {
		if _, err := normalizeText(k.parts[i], p, 128); err != nil {
			return nil, err
		}
	}
	key, err := state.Key(ctx.GetStub(), k.objectType, parts...)
	if err != nil {
		return nil, InvalidArgument("key parts of %s: %v", kind, err)
	}
	versions, err := keyHistory(ctx, key, kind)
	if err != nil {
		return nil, err
	}
	if len(versions) == 0 {
		return nil, NotFound("no %s %v on the ledger", kind, parts)
	}
	return versions, nil
}

// keyHistory reads every committed version of key; what names the record in
// error messages.
func keyHistory(ctx *TxContext, key, what string) (versions []*records.RecordVersion, err error) {
	it, err := ctx.GetStub().GetHistoryForKey(key)
	if err != nil {
		return nil, Internal(err, "read history of %s", what)
	}
	defer func() {
		if cerr := it.Close(); cerr != nil && err == nil {
			versions, err = nil, Internal(cerr, "close history of %s", what)
		}
	}()
	versions = []*records.RecordVersion{}
	for it.HasNext() {
		m, err := it.Next()
		if err != nil {
			return nil, Internal(err, "read history of %s", what)
		}
		v := &records.RecordVersion{TxID: m.GetTxId(), IsDelete: m.GetIsDelete()}
		if ts := m.GetTimestamp(); ts != nil {
			v.Timestamp = formatDocumentTime(ts.AsTime())
		}
		if !m.GetIsDelete() {
			if !json.Valid(m.GetValue()) {
				return nil, Internal(nil, "version %s of %s is not JSON", m.GetTxId(), what)
			}
			v.Value = string(m.GetValue())
		}
		versions = append(versions, v)
	}
	return versions, nil
}
