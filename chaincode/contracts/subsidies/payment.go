package subsidies

import (
	"time"

	"github.com/civicledger/civicledger/chaincode/contracts/base"
	"github.com/civicledger/civicledger/chaincode/currency"
	"github.com/civicledger/civicledger/chaincode/records"
	"github.com/civicledger/civicledger/chaincode/spec"
)

// RecordPayment records a disbursement of an approved grant of grantingMSP
// from a JSON object (see records.SubsidyPaymentInput). Clerks, approvers and
// admins of the granting administration may call it. Payment ids are unique
// per grant and the payments never exceed the grant. It reads and writes
// the grant and the payment only, so payments on different grants never
// conflict. It emits EventSubsidyPaymentRecorded.
func (c *Contract) RecordPayment(ctx *base.TxContext, grantingMSP, grantID, input string) (*records.SubsidyPayment, error) {
	caller, err := ctx.RequireRole(spec.RoleClerk, spec.RoleApprover, spec.RoleAdmin)
	if err != nil {
		return nil, err
	}
	if err := validateSubsidyRef(grantingMSP, "grant id", grantID); err != nil {
		return nil, err
	}
	if caller.MSPID != grantingMSP {
		return nil, base.PermissionDenied("only %s, the granting administration, may record payments of its grants, not %s",
			grantingMSP, caller.MSPID)
	}
	in, err := parseSubsidyPaymentInput(input)
	if err != nil {
		return nil, err
	}
	at, err := ctx.TxTime()
	if err != nil {
		return nil, err
	}
	g, err := getSubsidyGrant(ctx, grantingMSP, grantID)
	if err != nil {
		return nil, err
	}
	if g.Status != spec.GrantApproved {
		return nil, base.FailedPrecondition("grant %s of %s is %s: payments need an approved grant", grantID, grantingMSP, g.Status)
	}
	key, found, err := subsidyPaymentKey(ctx, grantingMSP, grantID, in.PaymentID)
	if err != nil {
		return nil, err
	}
	if found {
		return nil, base.AlreadyExists("payment %s of grant %s of %s is recorded already", in.PaymentID, grantID, grantingMSP)
	}
	after := g.PaidTotal + in.Amount
	if after > g.Amount {
		return nil, base.FailedPrecondition("payment exceeds the grant: grant %s is %s, of which %s is paid; this payment of %s would bring it to %s",
			grantID, currency.Format(g.Currency, g.Amount), currency.Format(g.Currency, g.PaidTotal),
			currency.Format(g.Currency, in.Amount), currency.Format(g.Currency, after))
	}
	pay := &records.SubsidyPayment{
		GrantingMSP: grantingMSP,
		GrantID:     grantID,
		PaymentID:   in.PaymentID,
		Amount:      in.Amount,
		PaidTotal:   after,
		RecordedAt:  at.Format(time.RFC3339Nano),
		RecordedBy:  caller.ID,
	}
	if err := base.PutEntry(ctx, key, "payment "+in.PaymentID+" of grant "+grantID, pay); err != nil {
		return nil, err
	}
	g.PaidTotal = after
	if err := putSubsidyGrant(ctx, g, false); err != nil {
		return nil, err
	}
	if err := base.Emit(ctx, spec.EventSubsidyPaymentRecorded, pay); err != nil {
		return nil, err
	}
	return pay, nil
}
