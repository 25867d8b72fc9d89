package ledgerctl

import (
	"fmt"
	"io"

	"github.com/civicledger/civicledger/chaincode/currency"
	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
)

// Human output of the subsidies commands; amounts print in the currency's
// units, not in minor units.

// subsidyPrintPayment prints a recorded payment in the grant's currency, or
// in minor units when the grant could not be read.
func subsidyPrintPayment(w io.Writer, resp *apiv1.RecordPaymentResponse, grant *apiv1.SubsidyGrant) {
	p := orEmpty(resp.Payment)
	if grant == nil {
		fmt.Fprintf(w, "payment %s of grant %s of %s recorded: %d minor units, %d paid in all\n",
			p.PaymentId, p.GrantId, p.GrantingMspId, p.AmountMinor, p.PaidTotalMinor)
	} else {
		fmt.Fprintf(w, "payment %s of grant %s of %s recorded: %s; paid %s of %s\n", p.PaymentId, p.GrantId, p.GrantingMspId,
			currency.Format(grant.Currency, p.AmountMinor), currency.Format(grant.Currency, p.PaidTotalMinor),
			currency.Format(grant.Currency, grant.AmountMinor))
	}
	printCommitted(w, resp.Committed)
}

func subsidyPrintProgramme(w io.Writer, resp *apiv1.GetProgrammeResponse) {
	p := orEmpty(resp.Programme)
	tw := newTable(w)
	fmt.Fprintf(tw, "programme\t%s of %s: %s\n", p.ProgrammeId, p.GrantingMspId, p.Name)
	fmt.Fprintf(tw, "budget\t%s\n", currency.Format(p.Currency, p.BudgetMinor))
	fmt.Fprintf(tw, "approved\t%s in %d grant(s)\n", currency.Format(p.Currency, resp.ApprovedTotalMinor), resp.ApprovedGrants)
	fmt.Fprintf(tw, "remaining\t%s\n", currency.Format(p.Currency, resp.RemainingMinor))
	fmt.Fprintf(tw, "period\t%s to %s\n", p.PeriodStart, p.PeriodEnd)
	fmt.Fprintf(tw, "de minimis\t%s\n", map[bool]string{true: "yes", false: "no"}[p.DeMinimis])
	fmt.Fprintf(tw, "legal basis\t%s\n", p.LegalBasis)
	fmt.Fprintf(tw, "created\t%s\n", p.CreatedAt)
	tw.Flush()
}

func subsidyPrintGrant(w io.Writer, resp *apiv1.GetGrantResponse) {
	g := orEmpty(resp.Grant)
	tw := newTable(w)
	fmt.Fprintf(tw, "grant\t%s of %s, programme %s\n", g.GrantId, g.GrantingMspId, g.ProgrammeId)
	fmt.Fprintf(tw, "beneficiary\t%s\n", g.Beneficiary)
	fmt.Fprintf(tw, "amount\t%s%s\n", currency.Format(g.Currency, g.AmountMinor), map[bool]string{true: " (de minimis)"}[g.DeMinimis])
	fmt.Fprintf(tw, "purpose\t%s\n", g.Purpose)
	fmt.Fprintf(tw, "status\t%s\n", subsidyStatus(g))
	fmt.Fprintf(tw, "proposed\t%s\n", g.ProposedAt)
	if g.DecidedAt != "" {
		fmt.Fprintf(tw, "decided\t%s\n", g.DecidedAt)
	}
	if g.RejectionReason != "" {
		fmt.Fprintf(tw, "reason\t%s\n", g.RejectionReason)
	}
	fmt.Fprintf(tw, "paid\t%s\n", currency.Format(g.Currency, g.PaidTotalMinor))
	for _, p := range resp.Payments {
		fmt.Fprintf(tw, "  payment %s\t%s at %s\n", p.PaymentId, currency.Format(g.Currency, p.AmountMinor), p.RecordedAt)
	}
	tw.Flush()
}

func subsidyPrintGrants(w io.Writer, resp *apiv1.ListGrantsResponse) {
	tw := newTable(w)
	fmt.Fprintln(tw, "GRANT\tBENEFICIARY\tAMOUNT\tPAID\tSTATUS")
	for _, g := range resp.Grants {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", g.GrantId, g.Beneficiary, currency.Format(g.Currency, g.AmountMinor),
			currency.Format(g.Currency, g.PaidTotalMinor), subsidyStatus(g))
	}
	tw.Flush()
	printNextPage(w, resp.NextPageToken)
}

// subsidyPrintAid prints the de minimis aid an undertaking received and,
// if any, each award.
func subsidyPrintAid(w io.Writer, a *apiv1.AidReceivedResponse) {
	fmt.Fprintf(w, "%s received %s of de minimis aid from %s to %s; %s remaining of %s\n", a.Beneficiary,
		currency.Format(a.Currency, a.TotalMinor), a.WindowStart, a.WindowEnd,
		currency.Format(a.Currency, a.RemainingMinor), currency.Format(a.Currency, a.CeilingMinor))
	if len(a.Awards) == 0 {
		return
	}
	tw := newTable(w)
	fmt.Fprintln(tw, "ADMINISTRATION\tPROGRAMME\tGRANT\tAMOUNT\tAPPROVED")
	for _, r := range a.Awards {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", r.GrantingMspId, r.ProgrammeId, r.GrantId,
			currency.Format(a.Currency, r.AmountMinor), r.ApprovedAt)
	}
	tw.Flush()
}

// subsidyStatus is a grant's status as a word, with who decided it.
func subsidyStatus(g *apiv1.SubsidyGrant) string {
	s := enumWord(g.Status.String(), "SUBSIDY_GRANT_STATUS_")
	if g.DecidedByMspId != "" {
		s += " by " + g.DecidedByMspId
	}
	return s
}
