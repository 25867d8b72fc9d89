package convocations_test

import "github.com/civicledger/civicledger/chaincode/contracts/internal/contracttest"

// The helpers every contract's tests share, under the names the tests use.
var (
	txContext        = contracttest.TxContext
	txAs             = contracttest.TxAs
	requireCode      = contracttest.RequireCode
	setProfile       = contracttest.SetProfile
	memberLedger     = contracttest.MemberLedger
	jsonWith         = contracttest.JSONWith
	mustKey          = contracttest.MustKey
	snapshot         = contracttest.Snapshot
	requireUnchanged = contracttest.RequireUnchanged
	lastEvent        = contracttest.LastEvent
	newChaincode     = contracttest.NewChaincode
	requireRefused   = contracttest.RequireRefused
	recorded         = contracttest.Recorded
)

type (
	chaincode   = contracttest.Chaincode
	refusal     = contracttest.Refusal
	ledgerState = contracttest.LedgerState
	rwSet       = contracttest.RWSet
)
