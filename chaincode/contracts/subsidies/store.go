package subsidies

import (
	"time"

	"github.com/civicledger/civicledger/chaincode/contracts/base"
	"github.com/civicledger/civicledger/chaincode/records"
	"github.com/civicledger/civicledger/chaincode/state"
)

// subsidyAidTimeLayout is the fixed-width UTC timestamp of aid records: in
// a key it sorts one beneficiary's records in time order.
const subsidyAidTimeLayout = "2006-01-02T15:04:05.000000000Z07:00"

// getSubsidyProgramme reads programme id of administration msp.
func getSubsidyProgramme(ctx *base.TxContext, msp, id string) (*records.SubsidyProgramme, error) {
	key, err := state.SubsidyProgrammeKey(ctx.GetStub(), msp, id)
	if err != nil {
		return nil, base.Internal(err, "programme key")
	}
	var p records.SubsidyProgramme
	found, err := base.GetEntry(ctx, key, "programme "+id+" of "+msp, &p)
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, base.NotFound("no programme %s of %s", id, msp)
	}
	return &p, nil
}

// createSubsidyProgramme writes a new programme and its zero approved
// total, or fails with ALREADY_EXISTS.
func createSubsidyProgramme(ctx *base.TxContext, p *records.SubsidyProgramme) error {
	stub := ctx.GetStub()
	key, err := state.SubsidyProgrammeKey(stub, p.GrantingMSP, p.ID)
	if err != nil {
		return base.Internal(err, "programme key")
	}
	var existing records.SubsidyProgramme
	found, err := base.GetEntry(ctx, key, "programme "+p.ID+" of "+p.GrantingMSP, &existing)
	if err != nil {
		return err
	}
	if found {
		return base.AlreadyExists("programme %s of %s exists already", p.ID, p.GrantingMSP)
	}
	if err := base.PutEntry(ctx, key, "programme "+p.ID, p); err != nil {
		return err
	}
	return putSubsidyBudget(ctx, p.GrantingMSP, p.ID, &subsidyBudget{})
}

// getSubsidyBudget reads the approved total of a programme.
func getSubsidyBudget(ctx *base.TxContext, msp, programmeID string) (*subsidyBudget, error) {
	key, err := state.SubsidyBudgetKey(ctx.GetStub(), msp, programmeID)
	if err != nil {
		return nil, base.Internal(err, "budget key")
	}
	var b subsidyBudget
	if _, err := base.GetEntry(ctx, key, "approved total of programme "+programmeID, &b); err != nil {
		return nil, err
	}
	return &b, nil
}

// putSubsidyBudget writes the approved total of a programme.
func putSubsidyBudget(ctx *base.TxContext, msp, programmeID string, b *subsidyBudget) error {
	key, err := state.SubsidyBudgetKey(ctx.GetStub(), msp, programmeID)
	if err != nil {
		return base.Internal(err, "budget key")
	}
	return base.PutEntry(ctx, key, "approved total of programme "+programmeID, b)
}

// subsidyGrantProgramme returns the programme of grant grantID of msp, and
// whether the grant exists, from the immutable grant-id index.
func subsidyGrantProgramme(ctx *base.TxContext, msp, grantID string) (string, bool, error) {
	key, err := state.SubsidyGrantIDKey(ctx.GetStub(), msp, grantID)
	if err != nil {
		return "", false, base.Internal(err, "grant id key")
	}
	var programmeID string
	found, err := base.GetEntry(ctx, key, "grant "+grantID+" of "+msp, &programmeID)
	if err != nil {
		return "", false, err
	}
	return programmeID, found, nil
}

// getSubsidyGrant reads grant grantID of administration msp.
func getSubsidyGrant(ctx *base.TxContext, msp, grantID string) (*records.SubsidyGrant, error) {
	programmeID, found, err := subsidyGrantProgramme(ctx, msp, grantID)
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, base.NotFound("no grant %s of %s", grantID, msp)
	}
	key, err := state.SubsidyGrantKey(ctx.GetStub(), msp, programmeID, grantID)
	if err != nil {
		return nil, base.Internal(err, "grant key")
	}
	var g records.SubsidyGrant
	found, err = base.GetEntry(ctx, key, "grant "+grantID+" of "+msp, &g)
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, base.Internal(nil, "grant %s of %s is indexed but missing", grantID, msp)
	}
	return &g, nil
}

// putSubsidyGrant writes g; a new grant (index true) also gets its entry in
// the grant-id index.
func putSubsidyGrant(ctx *base.TxContext, g *records.SubsidyGrant, index bool) error {
	stub := ctx.GetStub()
	if index {
		key, err := state.SubsidyGrantIDKey(stub, g.GrantingMSP, g.GrantID)
		if err != nil {
			return base.Internal(err, "grant id key")
		}
		if err := base.PutEntry(ctx, key, "index of grant "+g.GrantID, g.ProgrammeID); err != nil {
			return err
		}
	}
	key, err := state.SubsidyGrantKey(stub, g.GrantingMSP, g.ProgrammeID, g.GrantID)
	if err != nil {
		return base.Internal(err, "grant key")
	}
	return base.PutEntry(ctx, key, "grant "+g.GrantID, g)
}

// subsidyPaymentKey returns the key of a payment and whether it exists.
func subsidyPaymentKey(ctx *base.TxContext, msp, grantID, paymentID string) (string, bool, error) {
	key, err := state.SubsidyPaymentKey(ctx.GetStub(), msp, grantID, paymentID)
	if err != nil {
		return "", false, base.Internal(err, "payment key")
	}
	var p records.SubsidyPayment
	found, err := base.GetEntry(ctx, key, "payment "+paymentID+" of grant "+grantID, &p)
	if err != nil {
		return "", false, err
	}
	return key, found, nil
}

// listSubsidyPayments returns the payments of a grant in payment id order.
func listSubsidyPayments(ctx *base.TxContext, msp, grantID string) ([]*records.SubsidyPayment, error) {
	list, err := state.ListJSON[records.SubsidyPayment](ctx.GetStub(), state.TypeSubsidyPayment, msp, grantID)
	if err != nil {
		return nil, base.Internal(err, "list payments of grant %s", grantID)
	}
	return list, nil
}

// subsidyAidAfter returns the de minimis aid records of beneficiary, from
// every administration, approved strictly after from. It reads that
// beneficiary's range only. Records dated later than the transaction
// (possible only if clients' clocks disagree) are included, so a
// transaction with an earlier timestamp cannot leave recent aid out.
func subsidyAidAfter(ctx *base.TxContext, beneficiary string, from time.Time) ([]*records.SubsidyAidRecord, error) {
	all, err := state.ListJSON[records.SubsidyAidRecord](ctx.GetStub(), state.TypeSubsidyAid, beneficiary)
	if err != nil {
		return nil, base.Internal(err, "list de minimis aid of %s", beneficiary)
	}
	out := []*records.SubsidyAidRecord{}
	for _, r := range all {
		at, err := time.Parse(subsidyAidTimeLayout, r.ApprovedAt)
		if err != nil {
			return nil, base.Internal(err, "aid record of grant %s of %s has a bad time", r.GrantID, r.GrantingMSP)
		}
		if at.After(from) {
			out = append(out, r)
		}
	}
	return out, nil
}

// putSubsidyAid files the de minimis aid record of an approved grant under
// its beneficiary.
func putSubsidyAid(ctx *base.TxContext, r *records.SubsidyAidRecord) error {
	key, err := state.SubsidyAidKey(ctx.GetStub(), r.Beneficiary, r.ApprovedAt, r.GrantingMSP, r.GrantID)
	if err != nil {
		return base.Internal(err, "aid key")
	}
	return base.PutEntry(ctx, key, "aid record of grant "+r.GrantID, r)
}

// sumSubsidyAid totals aid records. Each record is at most the ceiling,
// so the sum cannot overflow.
func sumSubsidyAid(aid []*records.SubsidyAidRecord) int64 {
	var total int64
	for _, r := range aid {
		total += r.Amount
	}
	return total
}
