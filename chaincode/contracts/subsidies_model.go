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

// subsidyBudget is the stored approved total of a programme.
type subsidyBudget struct {
	ApprovedTotal  int64 `json:"approvedTotal"`
	ApprovedGrants int   `json:"approvedGrants"`
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
