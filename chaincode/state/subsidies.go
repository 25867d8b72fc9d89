package state

import "github.com/hyperledger/fabric-chaincode-go/v2/shim"

// Key layout of the Subsidies contract. It is shaped by which transactions
// may run concurrently without invalidating each other at commit (MVCC read
// conflicts on keys, phantom-read conflicts on ranges):
//
//   - A programme is written once and never changed, so reading it (every
//     proposal and approval does) never conflicts with anything.
//   - The approved total of a programme lives on its own key, read and
//     written by approvals only. Approvals in one programme must be
//     serialised for the budget invariant, and they are, by this one key;
//     proposals never read it, and other programmes have other keys.
//     Summing per-grant approval records by range instead would serialise
//     the same approvals (each insert is a phantom for the others' range),
//     cost O(grants) per approval and, if the range held proposals too,
//     make every proposal invalidate concurrent approvals.
//   - Grants are keyed under their programme so a programme lists with one
//     range; a small immutable index finds a grant by (administration, id).
//     The payments total lives on the grant itself: payments on one grant
//     serialise on it, payments on different grants share no key.
//   - De minimis aid records are keyed by beneficiary first, so the rolling
//     three-year check reads only that undertaking's records, whichever
//     administration granted them; a range over them conflicts only with a
//     concurrent approval for the same undertaking, which must be
//     serialised anyway. A single running total per beneficiary cannot
//     work: aid leaves a rolling window as time passes.
const (
	// TypeSubsidyProgramme keys a programme by {grantingMSP, programmeID}.
	TypeSubsidyProgramme = "subsidy.programme"
	// TypeSubsidyBudget keys the approved total of a programme by
	// {grantingMSP, programmeID}.
	TypeSubsidyBudget = "subsidy.budget"
	// TypeSubsidyGrant keys a grant by {grantingMSP, programmeID, grantID}.
	TypeSubsidyGrant = "subsidy.grant"
	// TypeSubsidyGrantID keys the programme of a grant by {grantingMSP,
	// grantID}: grant ids are unique within an administration.
	TypeSubsidyGrantID = "subsidy.grant-id"
	// TypeSubsidyPayment keys a payment by {grantingMSP, grantID, paymentID}.
	TypeSubsidyPayment = "subsidy.payment"
	// TypeSubsidyAid keys a de minimis aid record by {beneficiary,
	// approvedAt, grantingMSP, grantID}; approvedAt is a fixed-width UTC
	// timestamp, so one beneficiary's records are in time order.
	TypeSubsidyAid = "subsidy.aid"
)

// SubsidyProgrammeKey is the key of programme id of administration msp.
func SubsidyProgrammeKey(stub shim.ChaincodeStubInterface, msp, id string) (string, error) {
	return Key(stub, TypeSubsidyProgramme, msp, id)
}

// SubsidyBudgetKey is the key of the approved total of a programme.
func SubsidyBudgetKey(stub shim.ChaincodeStubInterface, msp, programmeID string) (string, error) {
	return Key(stub, TypeSubsidyBudget, msp, programmeID)
}

// SubsidyGrantKey is the key of a grant under its programme.
func SubsidyGrantKey(stub shim.ChaincodeStubInterface, msp, programmeID, grantID string) (string, error) {
	return Key(stub, TypeSubsidyGrant, msp, programmeID, grantID)
}

// SubsidyGrantIDKey is the key that maps a grant id to its programme.
func SubsidyGrantIDKey(stub shim.ChaincodeStubInterface, msp, grantID string) (string, error) {
	return Key(stub, TypeSubsidyGrantID, msp, grantID)
}

// SubsidyPaymentKey is the key of one payment of a grant.
func SubsidyPaymentKey(stub shim.ChaincodeStubInterface, msp, grantID, paymentID string) (string, error) {
	return Key(stub, TypeSubsidyPayment, msp, grantID, paymentID)
}

// SubsidyAidKey is the key of the de minimis aid record of one grant.
func SubsidyAidKey(stub shim.ChaincodeStubInterface, beneficiary, approvedAt, msp, grantID string) (string, error) {
	return Key(stub, TypeSubsidyAid, beneficiary, approvedAt, msp, grantID)
}
