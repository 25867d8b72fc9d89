package server

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/encoding/prototext"
	"google.golang.org/protobuf/proto"

	"github.com/civicledger/civicledger/chaincode/errcode"
	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
	"github.com/civicledger/civicledger/gateway/fabric"
)

// fakeLedger plays Fabric for handler tests: it records every call and
// answers with the canned JSON (or error) set for its transaction name. A
// transaction with no answer set gets "{}".
type fakeLedger struct {
	answers map[string]string // transaction name → JSON result
	errs    map[string]error  // transaction name → error

	mu    sync.Mutex
	calls []ledgerCall
}

// ledgerCall is one transaction a handler asked of the ledger.
type ledgerCall struct {
	Kind      string // "evaluate", "submit" or "system"
	Tx        string
	Args      []string
	Transient map[string][]byte
}

// Fake results of a submitted transaction.
const (
	fakeTxID  = "tx-fake-1"
	fakeBlock = 7
)

var _ interface {
	ledger
	systemLedger
} = (*fakeLedger)(nil)

func (f *fakeLedger) answer(c ledgerCall) ([]byte, error) {
	f.mu.Lock()
	f.calls = append(f.calls, c)
	f.mu.Unlock()
	if err := f.errs[c.Tx]; err != nil {
		return nil, err
	}
	if a, ok := f.answers[c.Tx]; ok {
		return []byte(a), nil
	}
	return []byte("{}"), nil
}

func (f *fakeLedger) Evaluate(_ context.Context, _ *fabric.User, tx string, args ...string) ([]byte, error) {
	return f.answer(ledgerCall{Kind: "evaluate", Tx: tx, Args: args})
}

func (f *fakeLedger) Submit(_ context.Context, _ *fabric.User, s fabric.Submission) (fabric.Result, error) {
	raw, err := f.answer(ledgerCall{Kind: "submit", Tx: s.Transaction, Args: s.Args, Transient: s.Transient})
	if err != nil {
		return fabric.Result{}, err
	}
	return fabric.Result{TransactionID: fakeTxID, BlockNumber: fakeBlock, Payload: raw}, nil
}

func (f *fakeLedger) EvaluateSystem(_ context.Context, _ *fabric.User, chaincode, tx string, args ...string) ([]byte, error) {
	return f.answer(ledgerCall{Kind: "system", Tx: chaincode + ":" + tx, Args: args})
}

// recorded returns the calls made so far.
func (f *fakeLedger) recorded() []ledgerCall {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]ledgerCall(nil), f.calls...)
}

// refusal is the error package fabric returns when the chaincode refuses a
// transaction with msg ("NOT_FOUND: no document X").
func refusal(msg string) error {
	code, text, ok := errcode.Parse(msg)
	if !ok {
		panic("refusal without a code: " + msg)
	}
	return &fabric.ChaincodeError{Code: code, Message: strings.TrimSpace(text)}
}

// testCommitted is what a handler reports for the fake's submissions.
func testCommitted() *apiv1.Committed {
	return &apiv1.Committed{TransactionId: fakeTxID, BlockNumber: fakeBlock}
}

// asClerk is a call context of a clerk of RegistryMSP.
func asClerk() context.Context {
	return context.WithValue(context.Background(), userKey, &fabric.User{Name: "clerk1", MSPID: "RegistryMSP", Role: "clerk"})
}

// handlerCase is one call of a handler against a fake ledger: the
// transaction the chaincode must receive, its canned answer and the
// response the handler must make of it.
type handlerCase struct {
	call   func(context.Context, *fakeLedger) (proto.Message, error)
	answer string     // the chaincode's JSON result
	want   ledgerCall // the one transaction the handler runs
	resp   proto.Message
}

// runHandlerCases checks each valid request reaches the ledger as exactly
// the wanted transaction and that its answer converts to the wanted response.
func runHandlerCases(t *testing.T, cases map[string]handlerCase) {
	t.Helper()
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			l := &fakeLedger{answers: map[string]string{tc.want.Tx: tc.answer}}
			got, err := tc.call(asClerk(), l)
			require.NoError(t, err)
			require.Equal(t, []ledgerCall{tc.want}, l.recorded())
			require.True(t, proto.Equal(tc.resp, got), "want %s\ngot  %s", prototext.Format(tc.resp), prototext.Format(got))
		})
	}
}

// refusalCase is a handler call the chaincode refuses.
type refusalCase struct {
	call    func(context.Context, *fakeLedger) (proto.Message, error)
	tx      string
	refusal string // the chaincode's message, "CODE: text"
	want    codes.Code
}

// runRefusalCases checks a chaincode refusal reaches the client as the
// matching gRPC code with the chaincode's text.
func runRefusalCases(t *testing.T, cases map[string]refusalCase) {
	t.Helper()
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			l := &fakeLedger{errs: map[string]error{tc.tx: refusal(tc.refusal)}}
			_, err := tc.call(asClerk(), l)
			st := status.Convert(err)
			require.Equal(t, tc.want, st.Code(), st.Message())
			_, text, _ := errcode.Parse(tc.refusal)
			require.Equal(t, strings.TrimSpace(text), st.Message())
		})
	}
}

// runInvalidCases checks each request is refused as InvalidArgument naming
// its field, and that the ledger is never called.
func runInvalidCases(t *testing.T, cases map[string]invalidCase) {
	t.Helper()
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			l := &fakeLedger{}
			_, err := tc.call(asClerk(), l)
			requireInvalidField(t, err, tc.field)
			require.Empty(t, l.recorded(), "the ledger must not be called")
		})
	}
}

// invalidCase is a request a handler must refuse before any ledger call.
type invalidCase struct {
	call  func(context.Context, *fakeLedger) (proto.Message, error)
	field string
}

// msg adapts a handler's typed result for the case tables.
func msg[M proto.Message](m M, err error) (proto.Message, error) { return m, err }
