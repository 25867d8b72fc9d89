package contracts

import (
	"strconv"
	"strings"
)

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

// SubsidyCurrencies maps each accepted ISO 4217 code to its number of minor
// units: the currencies of the EU, the EEA, Switzerland, the United Kingdom
// and the US dollar.
var SubsidyCurrencies = map[string]int{
	"EUR": 2, "BGN": 2, "CZK": 2, "DKK": 2, "HUF": 2, "PLN": 2, "RON": 2, "SEK": 2,
	"ISK": 0, "NOK": 2, "CHF": 2, "GBP": 2, "USD": 2,
}

// SubsidyProgramme is an aid scheme of one granting administration. It is
// immutable once created.
type SubsidyProgramme struct {
	GrantingMSP string `json:"grantingMsp"`
	ID          string `json:"id"`
	Name        string `json:"name"`
	Budget      int64  `json:"budget"`
	Currency    string `json:"currency"`
	LegalBasis  string `json:"legalBasis"`
	// PeriodStart and PeriodEnd are inclusive UTC dates (YYYY-MM-DD)
	// within which grants may be proposed.
	PeriodStart string `json:"periodStart"`
	PeriodEnd   string `json:"periodEnd"`
	// DeMinimis grants count towards the beneficiary's de minimis ceiling.
	DeMinimis bool   `json:"deMinimis"`
	CreatedAt string `json:"createdAt"`
	CreatedBy string `json:"createdBy"`
}

// SubsidyProgrammeView is a programme with the state of its budget.
type SubsidyProgrammeView struct {
	Programme      *SubsidyProgramme `json:"programme"`
	ApprovedTotal  int64             `json:"approvedTotal"`
	ApprovedGrants int               `json:"approvedGrants"`
	Remaining      int64             `json:"remaining"`
}

// subsidyBudget is the stored approved total of a programme.
type subsidyBudget struct {
	ApprovedTotal  int64 `json:"approvedTotal"`
	ApprovedGrants int   `json:"approvedGrants"`
}

// SubsidyGrant is an amount proposed for one beneficiary under a programme.
type SubsidyGrant struct {
	GrantingMSP string `json:"grantingMsp"`
	ProgrammeID string `json:"programmeId"`
	GrantID     string `json:"grantId"`
	// Beneficiary is the canonical undertaking identifier (see
	// canonicalSubsidyBeneficiary).
	Beneficiary string `json:"beneficiary"`
	Amount      int64  `json:"amount"`
	Currency    string `json:"currency"`
	DeMinimis   bool   `json:"deMinimis"`
	Purpose     string `json:"purpose"`
	Status      string `json:"status"`
	ProposedAt  string `json:"proposedAt"`
	ProposedBy  string `json:"proposedBy"`
	// DecidedAt, DecidedBy and DecidedByMSP record the approval or
	// rejection; RejectionReason says why a grant was rejected. They are
	// absent while the grant is proposed (optional in the metadata).
	DecidedAt       string `json:"decidedAt,omitempty" metadata:"decidedAt,optional"`
	DecidedBy       string `json:"decidedBy,omitempty" metadata:"decidedBy,optional"`
	DecidedByMSP    string `json:"decidedByMsp,omitempty" metadata:"decidedByMsp,optional"`
	RejectionReason string `json:"rejectionReason,omitempty" metadata:"rejectionReason,optional"`
	// PaidTotal is the sum of the payments recorded so far.
	PaidTotal int64 `json:"paidTotal"`
}

// SubsidyGrantView is a grant with its payments, in payment id order.
type SubsidyGrantView struct {
	Grant    *SubsidyGrant     `json:"grant"`
	Payments []*SubsidyPayment `json:"payments"`
}

// SubsidyGrantPage is one page of the grants of a programme.
type SubsidyGrantPage struct {
	Grants []*SubsidyGrant `json:"grants"`
	// Bookmark starts the next page; empty after the last page.
	Bookmark string `json:"bookmark"`
}

// SubsidyPayment is one disbursement of an approved grant.
type SubsidyPayment struct {
	GrantingMSP string `json:"grantingMsp"`
	GrantID     string `json:"grantId"`
	PaymentID   string `json:"paymentId"`
	Amount      int64  `json:"amount"`
	// PaidTotal is the grant's payments total including this payment.
	PaidTotal  int64  `json:"paidTotal"`
	RecordedAt string `json:"recordedAt"`
	RecordedBy string `json:"recordedBy"`
}

// SubsidyAidRecord is one approved de minimis grant, filed under its
// beneficiary for the cross-administration ceiling check.
type SubsidyAidRecord struct {
	Beneficiary string `json:"beneficiary"`
	GrantingMSP string `json:"grantingMsp"`
	ProgrammeID string `json:"programmeId"`
	GrantID     string `json:"grantId"`
	Amount      int64  `json:"amount"`
	ApprovedAt  string `json:"approvedAt"`
}

// SubsidyAidShare is the de minimis aid one administration granted.
type SubsidyAidShare struct {
	GrantingMSP string `json:"grantingMsp"`
	Amount      int64  `json:"amount"`
	Grants      int    `json:"grants"`
}

// SubsidyAidReport is the de minimis aid of one beneficiary in the rolling
// window (From, To], in EUR cents.
type SubsidyAidReport struct {
	Beneficiary      string              `json:"beneficiary"`
	Currency         string              `json:"currency"`
	From             string              `json:"from"`
	To               string              `json:"to"`
	Total            int64               `json:"total"`
	Ceiling          int64               `json:"ceiling"`
	Remaining        int64               `json:"remaining"`
	ByAdministration []*SubsidyAidShare  `json:"byAdministration"`
	Awards           []*SubsidyAidRecord `json:"awards"`
}

// formatSubsidyAmount writes minor units as "EUR 280,000.00" for messages.
func formatSubsidyAmount(currency string, minor int64) string {
	digits, ok := SubsidyCurrencies[currency]
	if !ok {
		digits = 2
	}
	sign := ""
	if minor < 0 {
		sign, minor = "-", -minor
	}
	s := strconv.FormatInt(minor, 10)
	if len(s) <= digits {
		s = strings.Repeat("0", digits-len(s)+1) + s
	}
	whole, frac := s[:len(s)-digits], s[len(s)-digits:]
	var b strings.Builder
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	out := currency + " " + sign + b.String()
	if digits > 0 {
		out += "." + frac
	}
	return out
}
