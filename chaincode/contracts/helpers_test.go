package contracts_test

import (
	"encoding/json"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/hyperledger/fabric-chaincode-go/v2/shim"
	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"github.com/stretchr/testify/require"

	"github.com/civicledger/civicledger/chaincode/contracts"
	"github.com/civicledger/civicledger/chaincode/errcode"
	"github.com/civicledger/civicledger/chaincode/internal/fakestub"
	"github.com/civicledger/civicledger/chaincode/records"
)

// txContext returns the context a transaction on stub would receive.
func txContext(stub shim.ChaincodeStubInterface) *contracts.TxContext {
	ctx := new(contracts.TxContext)
	ctx.SetStub(stub)
	return ctx
}

// txAs returns the context of a transaction on stub submitted by id.
func txAs(stub *fakestub.Stub, id fakestub.Identity) *contracts.TxContext {
	return txContext(stub.As(id))
}

// requireCode checks that err is classified as code and that its message,
// which is all a client sees, carries the "CODE: " prefix.
func requireCode(t *testing.T, code contracts.Code, err error) {
	t.Helper()
	require.Error(t, err)
	require.Equal(t, code, contracts.CodeOf(err), "error: %v", err)
	require.True(t, strings.HasPrefix(err.Error(), string(code)+": "), "message %q lacks prefix %s", err, code)
}

// setProfile runs Directory:SetProfile on stub as id.
func setProfile(t *testing.T, stub *fakestub.Stub, id fakestub.Identity, name, kind, contact string) *records.Profile {
	t.Helper()
	p, err := contracts.NewDirectoryContract().SetProfile(txAs(stub, id), name, kind, contact)
	require.NoError(t, err)
	return p
}

// memberLedger returns a ledger on which Registry, Treasury and Council have
// published their directory profiles through their admins, i.e. are member
// administrations.
func memberLedger(t *testing.T, registryAdmin, treasuryAdmin, councilAdmin fakestub.Identity) *fakestub.Stub {
	t.Helper()
	stub := fakestub.New()
	setProfile(t, stub, registryAdmin, "Registry", "agency", "registry@example.org")
	setProfile(t, stub, treasuryAdmin, "Treasury", "ministry", "treasury@example.org")
	setProfile(t, stub, councilAdmin, "Council", "city", "council@example.org")
	return stub
}

// jsonWith encodes the JSON object base with changes applied; a nil change
// deletes the field.
func jsonWith(t testing.TB, base, changes map[string]any) string {
	t.Helper()
	m := maps.Clone(base)
	if m == nil {
		m = map[string]any{}
	}
	for k, v := range changes {
		if v == nil {
			delete(m, k)
		} else {
			m[k] = v
		}
	}
	b, err := json.Marshal(m)
	require.NoError(t, err)
	return string(b)
}

// mustKey builds the composite key of an entry of objectType.
func mustKey(t testing.TB, stub *fakestub.Stub, objectType string, attrs ...string) string {
	t.Helper()
	key, err := stub.CreateCompositeKey(objectType, attrs)
	require.NoError(t, err)
	return key
}

// ledgerState is the world state and the number of events emitted so far.
type ledgerState struct {
	values map[string]string
	events int
}

// snapshot captures the ledger, to show that a refused transaction changed
// nothing.
func snapshot(stub *fakestub.Stub) ledgerState {
	return ledgerState{values: stub.State(), events: len(stub.Events())}
}

// requireUnchanged checks that a refused transaction left the ledger as in
// before and emitted nothing.
func requireUnchanged(t testing.TB, stub *fakestub.Stub, before ledgerState) {
	t.Helper()
	require.Equal(t, before, snapshot(stub), "a refused transaction must write nothing and emit nothing")
}

// lastEvent returns the last event emitted on stub, which must exist.
func lastEvent(t testing.TB, stub *fakestub.Stub) fakestub.Event {
	t.Helper()
	events := stub.Events()
	require.NotEmpty(t, events)
	return events[len(events)-1]
}

// chaincode drives contracts as a peer does: a transaction name and string
// arguments in; a status and a JSON payload (checked against the contract
// metadata) or a "CODE: message" out.
type chaincode struct {
	cc   *contractapi.ContractChaincode
	stub *fakestub.Stub
}

// newChaincode assembles cs into one chaincode running on stub.
func newChaincode(t *testing.T, stub *fakestub.Stub, cs ...contractapi.ContractInterface) *chaincode {
	t.Helper()
	cc, err := contractapi.NewChaincode(cs...)
	require.NoError(t, err)
	return &chaincode{cc: cc, stub: stub}
}

// invoke runs transaction fn with args as id.
func (c *chaincode) invoke(id fakestub.Identity, fn string, args ...string) (status int32, payload, msg string) {
	c.stub.As(id).SetArgs(fn, args...)
	resp := c.cc.Invoke(c.stub)
	return resp.Status, string(resp.Payload), resp.Message
}

// ok runs transaction fn with args as id, requires success and returns the
// payload.
func (c *chaincode) ok(t *testing.T, id fakestub.Identity, fn string, args ...string) string {
	t.Helper()
	status, payload, msg := c.invoke(id, fn, args...)
	require.EqualValues(t, 200, status, msg)
	return payload
}

// refusal is a transaction that the chaincode must refuse with code.
type refusal struct {
	id   fakestub.Identity
	fn   string
	args []string
	code contracts.Code
}

// requireRefusals runs each case as a subtest and requires its refusal.
func (c *chaincode) requireRefusals(t *testing.T, cases map[string]refusal) {
	t.Helper()
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			status, _, msg := c.invoke(tc.id, tc.fn, tc.args...)
			requireRefused(t, status, msg, tc.code)
		})
	}
}

// requireRefused checks a response to a client: an error whose message
// starts with the prefix of code, found even behind the peer's own prefix.
func requireRefused(t *testing.T, status int32, msg string, code contracts.Code) {
	t.Helper()
	require.EqualValues(t, 500, status)
	require.True(t, strings.HasPrefix(msg, string(code)+": "), "message %q", msg)
	got, _, found := errcode.Parse("chaincode response 500, " + msg)
	require.True(t, found, msg)
	require.Equal(t, code, got, msg)
}

// requireTxKinds checks from the metadata that contract has exactly the
// submit and evaluate (read-only) transactions listed.
func (c *chaincode) requireTxKinds(t *testing.T, contract string, submit, evaluate []string) {
	t.Helper()
	var md struct {
		Contracts map[string]struct {
			Transactions []struct {
				Name string   `json:"name"`
				Tags []string `json:"tag"`
			} `json:"transactions"`
		} `json:"contracts"`
	}
	require.NoError(t, json.Unmarshal([]byte(c.ok(t, fakestub.Identity{}, "org.hyperledger.fabric:GetMetadata")), &md))
	got, want := map[string]string{}, map[string]string{}
	for _, tx := range md.Contracts[contract].Transactions {
		got[tx.Name] = "submit"
		if slices.Contains(tx.Tags, "evaluate") {
			got[tx.Name] = "evaluate"
		}
	}
	for _, name := range submit {
		want[name] = "submit"
	}
	for _, name := range evaluate {
		want[name] = "evaluate"
	}
	require.Equal(t, want, got)
}

// rwSet is what a transaction read, range-read (as key prefixes) and wrote:
// what a peer checks for MVCC and phantom-read conflicts at commit.
type rwSet struct {
	reads, ranges, writes []string
}

// recorder passes the calls of a transaction on to a fake stub and records
// its read-write set.
type recorder struct {
	*fakestub.Stub
	rw *rwSet
}

// recorded returns a context of a transaction on stub whose read-write set
// is recorded in rw.
func recorded(stub *fakestub.Stub) (ctx *contracts.TxContext, rw *rwSet) {
	rw = &rwSet{}
	return txContext(recorder{Stub: stub, rw: rw}), rw
}

func (r recorder) GetState(key string) ([]byte, error) {
	r.rw.reads = append(r.rw.reads, key)
	return r.Stub.GetState(key)
}

func (r recorder) PutState(key string, value []byte) error {
	r.rw.writes = append(r.rw.writes, key)
	return r.Stub.PutState(key, value)
}

func (r recorder) GetStateByPartialCompositeKey(objectType string, attrs []string) (shim.StateQueryIteratorInterface, error) {
	r.rw.ranges = append(r.rw.ranges, r.prefix(objectType, attrs))
	return r.Stub.GetStateByPartialCompositeKey(objectType, attrs)
}

func (r recorder) GetStateByPartialCompositeKeyWithPagination(objectType string, attrs []string, size int32, bookmark string) (shim.StateQueryIteratorInterface, *peer.QueryResponseMetadata, error) {
	r.rw.ranges = append(r.rw.ranges, r.prefix(objectType, attrs))
	return r.Stub.GetStateByPartialCompositeKeyWithPagination(objectType, attrs, size, bookmark)
}

// prefix is the key prefix of a range; a malformed one is recorded as is,
// and refused by the stub.
func (r recorder) prefix(objectType string, attrs []string) string {
	prefix, err := shim.CreateCompositeKey(objectType, attrs)
	if err != nil {
		return objectType
	}
	return prefix
}
