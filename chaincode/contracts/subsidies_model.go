package contracts

import ()

// SubsidiesContractName prefixes the subsidy transactions, as in
// "Subsidies:ApproveGrant".
const SubsidiesContractName = "Subsidies"

// Events of the Subsidies contract; the payload is the JSON of the record
// written (SubsidyProgramme, SubsidyGrant or SubsidyPayment).
const (
	EventSubsidyProgrammeCreated = "subsidies.ProgrammeCreated"
	EventSubsidyGrantProposed    = "subsidies.GrantProposed"
	EventSubsidyGrantApproved    = "subsidies.GrantApproved"
	EventSubsidyGrantRejected    = "subsidies.GrantRejected"
	EventSubsidyPaymentRecorded  = "subsidies.PaymentRecorded"
)

// Statuses of a grant: proposed, then approved or rejected, once.
const (
	SubsidyStatusProposed = "proposed"
	SubsidyStatusApproved = "approved"
	SubsidyStatusRejected = "rejected"
)

// Amount bounds, in minor units of the currency (cents for EUR).
const (
	// SubsidyMaxAmount bounds every budget and amount (EUR 10 trillion),
	// so that no sum the contract computes can overflow an int64.
	SubsidyMaxAmount int64 = 1_000_000_000_000_000
	// DeMinimisCeiling is the aid one undertaking may receive over any
	// rolling three years under Regulation (EU) 2023/2831: EUR 300,000.
	DeMinimisCeiling int64 = 30_000_000
	// DeMinimisCurrency is the currency of the ceiling and of every de
	// minimis programme.
	DeMinimisCurrency = "EUR"
	// DeMinimisYears is the length of the rolling window.
	DeMinimisYears = 3
)

// subsidyBudget is the stored approved total of a programme.
type subsidyBudget struct {
	ApprovedTotal  int64 `json:"approvedTotal"`
	ApprovedGrants int   `json:"approvedGrants"`
}
