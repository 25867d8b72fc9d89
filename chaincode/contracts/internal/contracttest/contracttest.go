// Package contracttest holds the helpers that the tests of every contract
// package share: transaction contexts on a fake stub, a Chaincode driven as
// a peer drives it, ledger snapshots, read-write set recording, and the
// evaluation of key-level endorsement policies. Only tests import it.
package contracttest

import (
	"encoding/json"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/hyperledger/fabric-chaincode-go/v2/shim"
	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"
	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/hyperledger/fabric-protos-go-apiv2/msp"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/proto"

	"github.com/civicledger/civicledger/chaincode/contracts/base"
	"github.com/civicledger/civicledger/chaincode/contracts/directory"
	"github.com/civicledger/civicledger/chaincode/errcode"
	"github.com/civicledger/civicledger/chaincode/internal/fakestub"
	"github.com/civicledger/civicledger/chaincode/records"
	"github.com/civicledger/civicledger/chaincode/state"
)

// TxContext returns the context a transaction on stub would receive.
func TxContext(stub shim.ChaincodeStubInterface) *base.TxContext {
	ctx := new(base.TxContext)
	ctx.SetStub(stub)
	return ctx
}

// TxAs returns the context of a transaction on stub submitted by id.
func TxAs(stub *fakestub.Stub, id fakestub.Identity) *base.TxContext {
	return TxContext(stub.As(id))
}

// RequireCode checks that err is classified as code and that its message,
// which is all a client sees, carries the "CODE: " prefix.
func RequireCode(t *testing.T, code base.Code, err error) {
	t.Helper()
	require.Error(t, err)
	require.Equal(t, code, base.CodeOf(err), "error: %v", err)
	require.True(t, strings.HasPrefix(err.Error(), string(code)+": "), "message %q lacks prefix %s", err, code)
}

// SetProfile runs Directory:SetProfile on stub as id.
func SetProfile(t *testing.T, stub *fakestub.Stub, id fakestub.Identity, name, kind, contact string) *records.Profile {
	t.Helper()
	p, err := directory.New().SetProfile(TxAs(stub, id), name, kind, contact)
	require.NoError(t, err)
	return p
}

// MemberLedger returns a ledger on which Registry, Treasury and Council have
// published their directory profiles through their admins, i.e. are member
// administrations.
func MemberLedger(t *testing.T, registryAdmin, treasuryAdmin, councilAdmin fakestub.Identity) *fakestub.Stub {
	t.Helper()
	stub := fakestub.New()
	SetProfile(t, stub, registryAdmin, "Registry", "agency", "registry@example.org")
	SetProfile(t, stub, treasuryAdmin, "Treasury", "ministry", "treasury@example.org")
	SetProfile(t, stub, councilAdmin, "Council", "city", "council@example.org")
	return stub
}

// JSONWith encodes the JSON object base with changes applied; a nil change
// deletes the field.
func JSONWith(t testing.TB, base, changes map[string]any) string {
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

// MustKey builds the composite key of an entry of objectType.
func MustKey(t testing.TB, stub *fakestub.Stub, objectType string, attrs ...string) string {
	t.Helper()
	key, err := stub.CreateCompositeKey(objectType, attrs)
	require.NoError(t, err)
	return key
}

// LedgerState is the world state and the number of events emitted so far.
type LedgerState struct {
	values map[string]string
	events int
}

// Snapshot captures the ledger, to show that a refused transaction changed
// nothing.
func Snapshot(stub *fakestub.Stub) LedgerState {
	return LedgerState{values: stub.State(), events: len(stub.Events())}
}

// RequireUnchanged checks that a refused transaction left the ledger as in
// before and emitted nothing.
func RequireUnchanged(t testing.TB, stub *fakestub.Stub, before LedgerState) {
	t.Helper()
	require.Equal(t, before, Snapshot(stub), "a refused transaction must write nothing and emit nothing")
}

// LastEvent returns the last event emitted on stub, which must exist.
func LastEvent(t testing.TB, stub *fakestub.Stub) fakestub.Event {
	t.Helper()
	events := stub.Events()
	require.NotEmpty(t, events)
	return events[len(events)-1]
}

// Chaincode drives contracts as a peer does: a transaction name and string
// arguments in; a status and a JSON payload (checked against the contract
// metadata) or a "CODE: message" out.
type Chaincode struct {
	CC   *contractapi.ContractChaincode
	Stub *fakestub.Stub
}

// NewChaincode assembles cs into one Chaincode running on stub.
func NewChaincode(t *testing.T, stub *fakestub.Stub, cs ...contractapi.ContractInterface) *Chaincode {
	t.Helper()
	cc, err := contractapi.NewChaincode(cs...)
	require.NoError(t, err)
	return &Chaincode{CC: cc, Stub: stub}
}

// Invoke runs transaction fn with args as id.
func (c *Chaincode) Invoke(id fakestub.Identity, fn string, args ...string) (status int32, payload, msg string) {
	c.Stub.As(id).SetArgs(fn, args...)
	resp := c.CC.Invoke(c.Stub)
	return resp.Status, string(resp.Payload), resp.Message
}

// OK runs transaction fn with args as id, requires success and returns the
// payload.
func (c *Chaincode) OK(t *testing.T, id fakestub.Identity, fn string, args ...string) string {
	t.Helper()
	status, payload, msg := c.Invoke(id, fn, args...)
	require.EqualValues(t, 200, status, msg)
	return payload
}

// Refusal is a transaction that the Chaincode must refuse with code.
type Refusal struct {
	ID   fakestub.Identity
	Fn   string
	Args []string
	Code base.Code
}

// RequireRefusals runs each case as a subtest and requires its Refusal.
func (c *Chaincode) RequireRefusals(t *testing.T, cases map[string]Refusal) {
	t.Helper()
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			status, _, msg := c.Invoke(tc.ID, tc.Fn, tc.Args...)
			RequireRefused(t, status, msg, tc.Code)
		})
	}
}

// RequireRefused checks a response to a client: an error whose message
// starts with the prefix of code, found even behind the peer's own prefix.
func RequireRefused(t *testing.T, status int32, msg string, code base.Code) {
	t.Helper()
	require.EqualValues(t, 500, status)
	require.True(t, strings.HasPrefix(msg, string(code)+": "), "message %q", msg)
	got, _, found := errcode.Parse("chaincode response 500, " + msg)
	require.True(t, found, msg)
	require.Equal(t, code, got, msg)
}

// RequireTxKinds checks from the metadata that contract has exactly the
// submit and evaluate (read-only) transactions listed.
func (c *Chaincode) RequireTxKinds(t *testing.T, contract string, submit, evaluate []string) {
	t.Helper()
	var md struct {
		Contracts map[string]struct {
			Transactions []struct {
				Name string   `json:"name"`
				Tags []string `json:"tag"`
			} `json:"transactions"`
		} `json:"contracts"`
	}
	require.NoError(t, json.Unmarshal([]byte(c.OK(t, fakestub.Identity{}, "org.hyperledger.fabric:GetMetadata")), &md))
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

// RWSet is what a transaction read, range-read (as key prefixes) and wrote:
// what a peer checks for MVCC and phantom-read conflicts at commit.
type RWSet struct {
	Reads, Ranges, Writes []string
}

// Conflicts reports whether a and b, endorsed concurrently, would
// invalidate one another: one writes a key that the other read or that
// falls in a range the other read.
func (a RWSet) Conflicts(b RWSet) bool {
	hits := func(writes []string, other RWSet) bool {
		for _, k := range writes {
			if slices.Contains(other.Reads, k) || slices.ContainsFunc(other.Ranges, func(p string) bool { return strings.HasPrefix(k, p) }) {
				return true
			}
		}
		return false
	}
	return hits(a.Writes, b) || hits(b.Writes, a)
}

// recorder passes the calls of a transaction on to a fake stub and records
// its read-write set.
type recorder struct {
	*fakestub.Stub
	rw *RWSet
}

// DropMemberList removes the directory's member list from stub, as on a
// ledger written before the list existed: the members are then read from
// the profiles (base.MemberMSPs).
func DropMemberList(t testing.TB, stub *fakestub.Stub) {
	t.Helper()
	key, err := state.MembersKey(stub)
	require.NoError(t, err)
	require.NoError(t, stub.DelState(key))
}

// Recorded returns a context of a transaction on stub whose read-write set
// is Recorded in rw.
func Recorded(stub *fakestub.Stub) (ctx *base.TxContext, rw *RWSet) {
	rw = &RWSet{}
	return TxContext(recorder{Stub: stub, rw: rw}), rw
}

func (r recorder) GetState(key string) ([]byte, error) {
	r.rw.Reads = append(r.rw.Reads, key)
	return r.Stub.GetState(key)
}

func (r recorder) PutState(key string, value []byte) error {
	r.rw.Writes = append(r.rw.Writes, key)
	return r.Stub.PutState(key, value)
}

func (r recorder) GetStateByPartialCompositeKey(objectType string, attrs []string) (shim.StateQueryIteratorInterface, error) {
	r.rw.Ranges = append(r.rw.Ranges, r.prefix(objectType, attrs))
	return r.Stub.GetStateByPartialCompositeKey(objectType, attrs)
}

func (r recorder) GetStateByPartialCompositeKeyWithPagination(objectType string, attrs []string, size int32, bookmark string) (shim.StateQueryIteratorInterface, *peer.QueryResponseMetadata, error) {
	r.rw.Ranges = append(r.rw.Ranges, r.prefix(objectType, attrs))
	return r.Stub.GetStateByPartialCompositeKeyWithPagination(objectType, attrs, size, bookmark)
}

// prefix is the key prefix of a range; a malformed one is Recorded as is,
// and refused by the stub.
func (r recorder) prefix(objectType string, attrs []string) string {
	prefix, err := shim.CreateCompositeKey(objectType, attrs)
	if err != nil {
		return objectType
	}
	return prefix
}

// Satisfied evaluates a signature policy against the set of administrations
// whose peers endorsed, as the peer's validator would.
func Satisfied(t *testing.T, policy []byte, endorsers ...string) bool {
	t.Helper()
	var env common.SignaturePolicyEnvelope
	require.NoError(t, proto.Unmarshal(policy, &env))
	ids := make([]string, len(env.Identities))
	for i, p := range env.Identities {
		require.Equal(t, msp.MSPPrincipal_ROLE, p.PrincipalClassification)
		var role msp.MSPRole
		require.NoError(t, proto.Unmarshal(p.Principal, &role))
		require.Equal(t, msp.MSPRole_PEER, role.Role)
		ids[i] = role.MspIdentifier
	}
	has := map[string]bool{}
	for _, e := range endorsers {
		has[e] = true
	}
	var eval func(r *common.SignaturePolicy) bool
	eval = func(r *common.SignaturePolicy) bool {
		switch x := r.Type.(type) {
		case *common.SignaturePolicy_SignedBy:
			return has[ids[x.SignedBy]]
		case *common.SignaturePolicy_NOutOf_:
			n := 0
			for _, sub := range x.NOutOf.Rules {
				if eval(sub) {
					n++
				}
			}
			return n >= int(x.NOutOf.N)
		}
		t.Fatalf("unexpected rule %T", r.Type)
		return false
	}
	return eval(env.Rule)
}
