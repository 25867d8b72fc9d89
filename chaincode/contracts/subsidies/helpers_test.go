package subsidies_test

import (
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/civicledger/civicledger/chaincode/contracts/base"
	"github.com/civicledger/civicledger/chaincode/contracts/internal/contracttest"
	"github.com/civicledger/civicledger/chaincode/contracts/subsidies"
	"github.com/civicledger/civicledger/chaincode/internal/fakestub"
	"github.com/civicledger/civicledger/chaincode/records"
	"github.com/civicledger/civicledger/chaincode/spec"
)

// Administrations of the subsidy tests.
const (
	subsidyRegistry = "RegistryMSP"
	subsidyTreasury = "TreasuryMSP"
	subsidyCouncil  = "CouncilMSP"
)

// subsidyIdentities caches one identity per (administration, role): key
// generation is the slowest part of a test.
var subsidyIdentities sync.Map

// subsidyWho returns the identity of a caller with role ("" for none) in msp.
func subsidyWho(t testing.TB, msp, role string) fakestub.Identity {
	t.Helper()
	key := msp + "/" + role
	if id, ok := subsidyIdentities.Load(key); ok {
		return id.(fakestub.Identity)
	}
	cn := strings.ToLower(strings.TrimSuffix(msp, "MSP")) + "-" + role
	id, _ := subsidyIdentities.LoadOrStore(key, fakestub.NewIdentity(t, msp, cn, role))
	return id.(fakestub.Identity)
}

// subsidyWorld is one ledger on which the subsidy tests run transactions.
type subsidyWorld struct {
	t    testing.TB
	stub *fakestub.Stub
	sc   *subsidies.Contract
}

func newSubsidyWorld(t testing.TB) *subsidyWorld {
	return &subsidyWorld{t: t, stub: fakestub.New(), sc: subsidies.New()}
}

// as returns the context of a transaction submitted by role of msp.
func (w *subsidyWorld) as(msp, role string) *base.TxContext {
	return contracttest.TxContext(w.stub.As(subsidyWho(w.t, msp, role)))
}

// at sets the time of the following transactions.
func (w *subsidyWorld) at(ts time.Time) *subsidyWorld {
	w.stub.SetTxTime(timestamppb.New(ts))
	return w
}

// subsidyProgrammeInput is a valid CreateProgramme input of EUR 1,000,000.00 over
// 2023–2026, changed by overrides.
func subsidyProgrammeInput(t testing.TB, overrides map[string]any) string {
	return contracttest.JSONWith(t, map[string]any{
		"id": "P1", "name": "Digital shops", "budget": 100_000_000, "currency": "EUR",
		"legalBasis": "Regional Law 12/2023, art. 4", "periodStart": "2023-01-01",
		"periodEnd": "2026-12-31", "deMinimis": true,
	}, overrides)
}

// subsidyGrantInput is a valid ProposeGrant input of EUR 10,000.00 under P1,
// changed by overrides.
func subsidyGrantInput(t testing.TB, overrides map[string]any) string {
	return contracttest.JSONWith(t, map[string]any{
		"programmeId": "P1", "grantId": "G1", "beneficiary": "FR12345678901",
		"amount": 1_000_000, "purpose": "Online shop for a bakery",
	}, overrides)
}

// programme creates a programme of msp, as its admin.
func (w *subsidyWorld) programme(msp, id string, budget int64, deMinimis bool) *records.SubsidyProgramme {
	w.t.Helper()
	p, err := w.sc.CreateProgramme(w.as(msp, spec.RoleAdmin),
		subsidyProgrammeInput(w.t, map[string]any{"id": id, "budget": budget, "deMinimis": deMinimis}))
	require.NoError(w.t, err)
	return p
}

// propose proposes a grant, as a clerk of msp.
func (w *subsidyWorld) propose(msp, programmeID, grantID, beneficiary string, amount int64) *records.SubsidyGrant {
	w.t.Helper()
	g, err := w.sc.ProposeGrant(w.as(msp, spec.RoleClerk), subsidyGrantInput(w.t, map[string]any{
		"programmeId": programmeID, "grantId": grantID, "beneficiary": beneficiary, "amount": amount,
	}))
	require.NoError(w.t, err)
	return g
}

// approve approves a grant of grantingMSP, as an approver of approverMSP.
func (w *subsidyWorld) approve(approverMSP, grantingMSP, grantID string) (*records.SubsidyGrant, error) {
	return w.sc.ApproveGrant(w.as(approverMSP, spec.RoleApprover), grantingMSP, grantID)
}

// award proposes a grant and has it approved by another administration.
func (w *subsidyWorld) award(msp, programmeID, grantID, beneficiary string, amount int64) *records.SubsidyGrant {
	w.t.Helper()
	w.propose(msp, programmeID, grantID, beneficiary, amount)
	approver := subsidyTreasury
	if msp == subsidyTreasury {
		approver = subsidyCouncil
	}
	g, err := w.approve(approver, msp, grantID)
	require.NoError(w.t, err)
	return g
}

// grant reads a grant back.
func (w *subsidyWorld) grant(msp, grantID string) *records.SubsidyGrantView {
	w.t.Helper()
	v, err := w.sc.GetGrant(w.as(subsidyCouncil, spec.RoleClerk), msp, grantID)
	require.NoError(w.t, err)
	return v
}

// snapshot captures the ledger, to show that a refused transaction changed
// nothing.
func (w *subsidyWorld) snapshot() contracttest.LedgerState { return contracttest.Snapshot(w.stub) }

// requireUnchanged checks that the ledger is as in before.
func (w *subsidyWorld) requireUnchanged(before contracttest.LedgerState) {
	w.t.Helper()
	contracttest.RequireUnchanged(w.t, w.stub, before)
}

// lastEvent decodes the last event, which must be named name, into v.
func (w *subsidyWorld) lastEvent(name string, v any) {
	w.t.Helper()
	last := contracttest.LastEvent(w.t, w.stub)
	require.Equal(w.t, name, last.Name)
	require.NoError(w.t, json.Unmarshal(last.Payload, v))
}

// subsidyKeyTypes returns the object types of keys, e.g. "subsidy.grant".
func subsidyKeyTypes(t testing.TB, stub *fakestub.Stub, keys []string) []string {
	t.Helper()
	out := make([]string, 0, len(keys))
	for _, k := range keys {
		typ, _, err := stub.SplitCompositeKey(k)
		require.NoError(t, err)
		out = append(out, typ)
	}
	return out
}

// subsidyNewKeys returns the keys of after that are not in before.
func subsidyNewKeys(before, after []string) []string {
	seen := map[string]bool{}
	for _, k := range before {
		seen[k] = true
	}
	var out []string
	for _, k := range after {
		if !seen[k] {
			out = append(out, k)
		}
	}
	return out
}

// subsidyDay is midnight UTC of a date.
func subsidyDay(y int, m time.Month, d int) time.Time {
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}
