package documents_test

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/civicledger/civicledger/chaincode/contracts/base"
	"github.com/civicledger/civicledger/chaincode/contracts/documents"
	"github.com/civicledger/civicledger/chaincode/contracts/internal/contracttest"
	"github.com/civicledger/civicledger/chaincode/internal/fakestub"
)

// TestDocumentsLedgerFailures checks that every state-changing transaction
// reports a failed ledger call as INTERNAL, wrapping the cause, and emits
// no event.
func TestDocumentsLedgerFailures(t *testing.T) {
	docs := documents.New()
	p := newDocPeople(t)
	cause := errors.New("ledger unavailable")

	txs := map[string]func(stub *fakestub.Stub) error{
		"revoking": func(stub *fakestub.Stub) error {
			_, err := docs.Revoke(contracttest.TxAs(stub, p.regApprover), "doc-1", "fraud")
			return err
		},
		"superseding": func(stub *fakestub.Stub) error {
			_, err := docs.Supersede(contracttest.TxAs(stub, p.regApprover), "doc-1", "doc-2")
			return err
		},
		"setting subject data": func(stub *fakestub.Stub) error {
			return docs.SetSubject(contracttest.TxAs(docWithSubject(stub, docSubjectJSON), p.regClerk), "doc-2")
		},
		"purging subject data": func(stub *fakestub.Stub) error {
			return docs.PurgeSubject(contracttest.TxAs(stub, p.regAdmin), "doc-1")
		},
	}
	failures := map[string]func(stub *fakestub.Stub){
		"a failed read":       func(s *fakestub.Stub) { s.GetStateErr = cause },
		"a failed event":      func(s *fakestub.Stub) { s.SetEventErr = cause },
		"a missing timestamp": func(s *fakestub.Stub) { s.TxTimestampErr = cause },
	}
	for txName, tx := range txs {
		for failName, fail := range failures {
			t.Run(failName+" while "+txName+" is an internal error", func(t *testing.T) {
				stub := docLedger(t, p)
				docWithSubject(stub, docSubjectJSON)
				registerDoc(t, stub, p.regClerk, docFields("doc-1"))
				stub.SetTransient(nil)
				registerDoc(t, stub, p.regClerk, docFields("doc-2"))
				events := len(stub.Events())
				fail(stub)
				err := tx(stub)
				contracttest.RequireCode(t, base.CodeInternal, err)
				require.ErrorIs(t, err, cause)
				require.Len(t, stub.Events(), events)
			})
		}
	}

	t.Run("a failed write while revoking or superseding is an internal error", func(t *testing.T) {
		for name, tx := range map[string]func(stub *fakestub.Stub) error{"revoking": txs["revoking"], "superseding": txs["superseding"]} {
			t.Run(name, func(t *testing.T) {
				stub := docLedger(t, p)
				registerDoc(t, stub, p.regClerk, docFields("doc-1"))
				registerDoc(t, stub, p.regClerk, docFields("doc-2"))
				stub.PutStateErr = cause
				err := tx(stub)
				contracttest.RequireCode(t, base.CodeInternal, err)
				require.ErrorIs(t, err, cause)
			})
		}
	})

	t.Run("a client timestamp that is not a valid time is an internal error", func(t *testing.T) {
		stub := docLedger(t, p)
		stub.SetTxTime(nil)
		_, err := docs.Verify(contracttest.TxAs(stub, p.treClerk), "RegistryMSP", "doc-1")
		contracttest.RequireCode(t, base.CodeInternal, err)
	})
}
