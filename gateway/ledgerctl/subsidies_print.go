package ledgerctl

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
)

// Human output of the subsidies commands; amounts print in the currency's
// units, not in minor units.

// subsidyPrintPayment prints a recorded payment in the grant's currency, or
// in minor units when the grant could not be read.
func subsidyPrintPayment(w io.Writer, resp *apiv1.RecordPaymentResponse, grant *apiv1.SubsidyGrant) {
	p := resp.Payment
	if grant == nil {
		fmt.Fprintf(w, "payment %s of grant %s of %s recorded: %d minor units, %d paid in all\n",
			p.PaymentId, p.GrantId, p.GrantingMspId, p.AmountMinor, p.PaidTotalMinor)
	} else {
		fmt.Fprintf(w, "payment %s of grant %s of %s recorded: %s; paid %s of %s\n", p.PaymentId, p.GrantId, p.GrantingMspId,
			subsidyMoney(grant.Currency, p.AmountMinor), subsidyMoney(grant.Currency, p.PaidTotalMinor),
			subsidyMoney(grant.Currency, grant.AmountMinor))
	}
	printCommitted(w, resp.Committed)
}

func subsidyPrintProgramme(w io.Writer, resp *apiv1.GetProgrammeResponse) {
	p := resp.Programme
	tw := newTable(w)
	fmt.Fprintf(tw, "programme\t%s of %s: %s\n", p.ProgrammeId, p.GrantingMspId, p.Name)
	fmt.Fprintf(tw, "budget\t%s\n", subsidyMoney(p.Currency, p.BudgetMinor))
	fmt.Fprintf(tw, "approved\t%s in %d grant(s)\n", subsidyMoney(p.Currency, resp.ApprovedTotalMinor), resp.ApprovedGrants)
	fmt.Fprintf(tw, "remaining\t%s\n", subsidyMoney(p.Currency, resp.RemainingMinor))
	fmt.Fprintf(tw, "period\t%s to %s\n", p.PeriodStart, p.PeriodEnd)
	fmt.Fprintf(tw, "de minimis\t%s\n", map[bool]string{true: "yes", false: "no"}[p.DeMinimis])
	fmt.Fprintf(tw, "legal basis\t%s\n", p.LegalBasis)
	fmt.Fprintf(tw, "created\t%s\n", p.CreatedAt)
	tw.Flush()
}

func subsidyPrintGrant(w io.Writer, resp *apiv1.GetGrantResponse) {
	g := resp.Grant
	tw := newTable(w)
	fmt.Fprintf(tw, "grant\t%s of %s, programme %s\n", g.GrantId, g.GrantingMspId, g.ProgrammeId)
	fmt.Fprintf(tw, "beneficiary\t%s\n", g.Beneficiary)
	fmt.Fprintf(tw, "amount\t%s%s\n", subsidyMoney(g.Currency, g.AmountMinor), map[bool]string{true: " (de minimis)"}[g.DeMinimis])
	fmt.Fprintf(tw, "purpose\t%s\n", g.Purpose)
	fmt.Fprintf(tw, "status\t%s\n", subsidyStatus(g))
	fmt.Fprintf(tw, "proposed\t%s\n", g.ProposedAt)
	if g.DecidedAt != "" {
		fmt.Fprintf(tw, "decided\t%s\n", g.DecidedAt)
	}
	if g.RejectionReason != "" {
		fmt.Fprintf(tw, "reason\t%s\n", g.RejectionReason)
	}
	fmt.Fprintf(tw, "paid\t%s\n", subsidyMoney(g.Currency, g.PaidTotalMinor))
	for _, p := range resp.Payments {
		fmt.Fprintf(tw, "  payment %s\t%s at %s\n", p.PaymentId, subsidyMoney(g.Currency, p.AmountMinor), p.RecordedAt)
	}
	tw.Flush()
}

func subsidyPrintGrants(w io.Writer, resp *apiv1.ListGrantsResponse) {
	tw := newTable(w)
	fmt.Fprintln(tw, "GRANT\tBENEFICIARY\tAMOUNT\tPAID\tSTATUS")
	for _, g := range resp.Grants {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", g.GrantId, g.Beneficiary, subsidyMoney(g.Currency, g.AmountMinor),
			subsidyMoney(g.Currency, g.PaidTotalMinor), subsidyStatus(g))
	}
	tw.Flush()
	printNextPage(w, resp.NextPageToken)
}

// subsidyPrintAid prints the de minimis aid an undertaking received and,
// if any, each award.
func subsidyPrintAid(w io.Writer, a *apiv1.AidReceivedResponse) {
	fmt.Fprintf(w, "%s received %s of de minimis aid from %s to %s; %s remaining of %s\n", a.Beneficiary,
		subsidyMoney(a.Currency, a.TotalMinor), a.WindowStart, a.WindowEnd,
		subsidyMoney(a.Currency, a.RemainingMinor), subsidyMoney(a.Currency, a.CeilingMinor))
	if len(a.Awards) == 0 {
		return
	}
	tw := newTable(w)
	fmt.Fprintln(tw, "ADMINISTRATION\tPROGRAMME\tGRANT\tAMOUNT\tAPPROVED")
	for _, r := range a.Awards {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", r.GrantingMspId, r.ProgrammeId, r.GrantId,
			subsidyMoney(a.Currency, r.AmountMinor), r.ApprovedAt)
	}
	tw.Flush()
}

// subsidyMoney formats minor units as "EUR 25,000.00" (ISK has no minor
// unit; every other accepted currency has two).
func subsidyMoney(currency string, minor int64) string {
	digits := 2
	if currency == "ISK" {
		digits = 0
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
	for i := range len(whole) {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteByte(whole[i])
	}
	out := currency + " " + sign + b.String()
	if digits > 0 {
		out += "." + frac
	}
	return out
}

// subsidyStatus is a grant's status as a word, with who decided it.
func subsidyStatus(g *apiv1.SubsidyGrant) string {
	s := enumWord(g.Status.String(), "SUBSIDY_GRANT_STATUS_")
	if g.DecidedByMspId != "" {
		s += " by " + g.DecidedByMspId
	}
	return s
}
