package ledgerctl

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/proto"

	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
)

func init() { commandGroups = append(commandGroups, subsidiesCommands) }

func subsidiesCommands(o *options) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "subsidies",
		Short: "Aid programmes, grants, payments and the de minimis register",
		Long: "Aid programmes, grants and payments. A grant proposed by your administration is approved\n" +
			"or rejected by an approver of another administration. Amounts are in minor units of the\n" +
			"currency: --amount-minor 2500000 is EUR 25,000.00.",
	}
	cmd.AddCommand(subsidyCreateProgramme(o), subsidyPropose(o), subsidyApprove(o), subsidyReject(o), subsidyPay(o),
		subsidyGetProgramme(o), subsidyGetGrant(o), subsidyListGrants(o), subsidyAidReceived(o))
	return cmd
}

// subsidiesDial runs f with a SubsidiesService client of the chosen gateway.
func (o *options) subsidiesDial(f func(ctx context.Context, c apiv1.SubsidiesServiceClient) error) error {
	return o.dial(func(ctx context.Context, conn *grpc.ClientConn) error {
		return f(ctx, apiv1.NewSubsidiesServiceClient(conn))
	})
}

// subsidyRequest fills req from --request when given, refusing it together
// with the field flags, which then stay unused.
func subsidyRequest(cmd *cobra.Command, request string, req proto.Message, fieldFlags ...string) (bool, error) {
	if request == "" {
		return false, nil
	}
	for _, name := range fieldFlags {
		if cmd.Flags().Changed(name) {
			return false, fmt.Errorf("--%s cannot be combined with --request", name)
		}
	}
	proto.Reset(req)
	return true, readJSONArg(request, req)
}

func subsidyCreateProgramme(o *options) *cobra.Command {
	var req apiv1.CreateProgrammeRequest
	var request string
	var deMinimis bool
	c := &cobra.Command{
		Use:   "create-programme",
		Short: "Create an aid programme of your administration (role admin or approver)",
		Example: "  ledgerctl subsidies create-programme --id DIGI-2024 --name 'Digital shops' --budget-minor 100000000 \\\n" +
			"    --currency EUR --legal-basis 'Regional Law 12/2023, art. 4' --period-start 2024-01-01 \\\n" +
			"    --period-end 2026-12-31 --de-minimis=true",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			fromJSON, err := subsidyRequest(cmd, request, &req, "id", "name", "budget-minor", "currency",
				"legal-basis", "period-start", "period-end", "de-minimis")
			if err != nil {
				return err
			}
			if !fromJSON {
				if !cmd.Flags().Changed("de-minimis") {
					return fmt.Errorf("--de-minimis=true|false is required: whether the grants count towards the EU de minimis ceiling")
				}
				req.DeMinimis = &deMinimis
			}
			return o.subsidiesDial(func(ctx context.Context, c apiv1.SubsidiesServiceClient) error {
				resp, err := c.CreateProgramme(ctx, &req)
				if err != nil {
					return err
				}
				return o.print(resp, func(w io.Writer) {
					p := resp.Programme
					fmt.Fprintf(w, "programme %s of %s created: budget %s, %s to %s%s\n", p.ProgrammeId, p.GrantingMspId,
						subsidyMoney(p.Currency, p.BudgetMinor), p.PeriodStart, p.PeriodEnd, map[bool]string{true: ", de minimis"}[p.DeMinimis])
					subsidyCommitted(w, resp.Committed)
				})
			})
		},
	}
	f := c.Flags()
	f.StringVar(&req.ProgrammeId, "id", "", "programme id, unique in your administration")
	f.StringVar(&req.Name, "name", "", "programme name")
	f.Int64Var(&req.BudgetMinor, "budget-minor", 0, "budget in minor units (cents): 100000000 is EUR 1,000,000.00")
	f.StringVar(&req.Currency, "currency", "EUR", "ISO 4217 currency code")
	f.StringVar(&req.LegalBasis, "legal-basis", "", "legal basis of the programme")
	f.StringVar(&req.PeriodStart, "period-start", "", "first day proposals are accepted, YYYY-MM-DD (UTC)")
	f.StringVar(&req.PeriodEnd, "period-end", "", "last day proposals are accepted, YYYY-MM-DD (UTC)")
	f.BoolVar(&deMinimis, "de-minimis", false, "required: true if the grants count towards the EU de minimis ceiling")
	f.StringVar(&request, "request", "", "the whole CreateProgrammeRequest as JSON, @file or - (instead of the flags)")
	return c
}

func subsidyPropose(o *options) *cobra.Command {
	var req apiv1.ProposeGrantRequest
	var request string
	c := &cobra.Command{
		Use:   "propose",
		Short: "Propose a grant under one of your administration's programmes (role clerk or admin)",
		Example: "  ledgerctl subsidies propose --programme DIGI-2024 --grant G-0001 --beneficiary 'FR 12 345678901' \\\n" +
			"    --amount-minor 2500000 --purpose 'Online shop for a bakery'",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if _, err := subsidyRequest(cmd, request, &req, "programme", "grant", "beneficiary", "amount-minor", "purpose"); err != nil {
				return err
			}
			return o.subsidiesDial(func(ctx context.Context, c apiv1.SubsidiesServiceClient) error {
				resp, err := c.ProposeGrant(ctx, &req)
				if err != nil {
					return err
				}
				return o.print(resp, func(w io.Writer) {
					g := resp.Grant
					fmt.Fprintf(w, "grant %s of %s proposed: %s to %s under %s; it needs an approver of another administration\n",
						g.GrantId, g.GrantingMspId, subsidyMoney(g.Currency, g.AmountMinor), g.Beneficiary, g.ProgrammeId)
					subsidyCommitted(w, resp.Committed)
				})
			})
		},
	}
	f := c.Flags()
	f.StringVar(&req.ProgrammeId, "programme", "", "programme id (of your administration)")
	f.StringVar(&req.GrantId, "grant", "", "grant id, unique in your administration")
	f.StringVar(&req.Beneficiary, "beneficiary", "", "undertaking: country prefix and VAT or register number, e.g. FR12345678901")
	f.Int64Var(&req.AmountMinor, "amount-minor", 0, "amount in minor units (cents): 2500000 is EUR 25,000.00")
	f.StringVar(&req.Purpose, "purpose", "", "what the grant pays for")
	f.StringVar(&request, "request", "", "the whole ProposeGrantRequest as JSON, @file or - (instead of the flags)")
	return c
}

func subsidyApprove(o *options) *cobra.Command {
	return &cobra.Command{
		Use:   "approve GRANTING_MSP GRANT_ID",
		Short: "Approve another administration's proposed grant (role approver)",
		Args:  cobra.ExactArgs(2),
		RunE: func(_ *cobra.Command, args []string) error {
			return o.subsidiesDial(func(ctx context.Context, c apiv1.SubsidiesServiceClient) error {
				resp, err := c.ApproveGrant(ctx, &apiv1.ApproveGrantRequest{GrantingMspId: args[0], GrantId: args[1]})
				if err != nil {
					return err
				}
				return o.print(resp, func(w io.Writer) {
					g := resp.Grant
					fmt.Fprintf(w, "grant %s of %s approved by %s: %s to %s\n", g.GrantId, g.GrantingMspId, g.DecidedByMspId,
						subsidyMoney(g.Currency, g.AmountMinor), g.Beneficiary)
					subsidyCommitted(w, resp.Committed)
				})
			})
		},
	}
}

func subsidyReject(o *options) *cobra.Command {
	var reason string
	c := &cobra.Command{
		Use:   "reject GRANTING_MSP GRANT_ID --reason TEXT",
		Short: "Reject another administration's proposed grant, saying why (role approver)",
		Args:  cobra.ExactArgs(2),
		RunE: func(_ *cobra.Command, args []string) error {
			return o.subsidiesDial(func(ctx context.Context, c apiv1.SubsidiesServiceClient) error {
				resp, err := c.RejectGrant(ctx, &apiv1.RejectGrantRequest{GrantingMspId: args[0], GrantId: args[1], Reason: reason})
				if err != nil {
					return err
				}
				return o.print(resp, func(w io.Writer) {
					g := resp.Grant
					fmt.Fprintf(w, "grant %s of %s rejected by %s: %s\n", g.GrantId, g.GrantingMspId, g.DecidedByMspId, g.RejectionReason)
					subsidyCommitted(w, resp.Committed)
				})
			})
		},
	}
	c.Flags().StringVar(&reason, "reason", "", "why the grant is rejected (required)")
	return c
}

func subsidyPay(o *options) *cobra.Command {
	var req apiv1.RecordPaymentRequest
	c := &cobra.Command{
		Use:   "pay GRANTING_MSP GRANT_ID --payment ID --amount-minor N",
		Short: "Record a payment of an approved grant of your administration (role clerk, approver or admin)",
		Args:  cobra.ExactArgs(2),
		RunE: func(_ *cobra.Command, args []string) error {
			req.GrantingMspId, req.GrantId = args[0], args[1]
			return o.subsidiesDial(func(ctx context.Context, c apiv1.SubsidiesServiceClient) error {
				resp, err := c.RecordPayment(ctx, &req)
				if err != nil {
					return err
				}
				var grant *apiv1.SubsidyGrant
				if !o.json { // the payment has no currency: the grant says which, and how much is left
					if g, err := c.GetGrant(ctx, &apiv1.GetGrantRequest{GrantingMspId: req.GrantingMspId, GrantId: req.GrantId}); err == nil {
						grant = g.Grant
					}
				}
				return o.print(resp, func(w io.Writer) {
					p := resp.Payment
					if grant == nil {
						fmt.Fprintf(w, "payment %s of grant %s of %s recorded: %d minor units, %d paid in all\n",
							p.PaymentId, p.GrantId, p.GrantingMspId, p.AmountMinor, p.PaidTotalMinor)
					} else {
						fmt.Fprintf(w, "payment %s of grant %s of %s recorded: %s; paid %s of %s\n", p.PaymentId, p.GrantId, p.GrantingMspId,
							subsidyMoney(grant.Currency, p.AmountMinor), subsidyMoney(grant.Currency, p.PaidTotalMinor),
							subsidyMoney(grant.Currency, grant.AmountMinor))
					}
					subsidyCommitted(w, resp.Committed)
				})
			})
		},
	}
	c.Flags().StringVar(&req.PaymentId, "payment", "", "payment id, unique in the grant")
	c.Flags().Int64Var(&req.AmountMinor, "amount-minor", 0, "amount in minor units (cents): 1000000 is EUR 10,000.00")
	return c
}

func subsidyGetProgramme(o *options) *cobra.Command {
	return &cobra.Command{
		Use:   "get-programme GRANTING_MSP PROGRAMME_ID",
		Short: "Show a programme and the state of its budget",
		Args:  cobra.ExactArgs(2),
		RunE: func(_ *cobra.Command, args []string) error {
			return o.subsidiesDial(func(ctx context.Context, c apiv1.SubsidiesServiceClient) error {
				resp, err := c.GetProgramme(ctx, &apiv1.GetProgrammeRequest{GrantingMspId: args[0], ProgrammeId: args[1]})
				if err != nil {
					return err
				}
				return o.print(resp, func(w io.Writer) {
					p := resp.Programme
					tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
					fmt.Fprintf(tw, "programme\t%s of %s: %s\n", p.ProgrammeId, p.GrantingMspId, p.Name)
					fmt.Fprintf(tw, "budget\t%s\n", subsidyMoney(p.Currency, p.BudgetMinor))
					fmt.Fprintf(tw, "approved\t%s in %d grant(s)\n", subsidyMoney(p.Currency, resp.ApprovedTotalMinor), resp.ApprovedGrants)
					fmt.Fprintf(tw, "remaining\t%s\n", subsidyMoney(p.Currency, resp.RemainingMinor))
					fmt.Fprintf(tw, "period\t%s to %s\n", p.PeriodStart, p.PeriodEnd)
					fmt.Fprintf(tw, "de minimis\t%s\n", map[bool]string{true: "yes", false: "no"}[p.DeMinimis])
					fmt.Fprintf(tw, "legal basis\t%s\n", p.LegalBasis)
					fmt.Fprintf(tw, "created\t%s\n", p.CreatedAt)
					tw.Flush()
				})
			})
		},
	}
}

func subsidyGetGrant(o *options) *cobra.Command {
	return &cobra.Command{
		Use:   "get-grant GRANTING_MSP GRANT_ID",
		Short: "Show a grant and its payments",
		Args:  cobra.ExactArgs(2),
		RunE: func(_ *cobra.Command, args []string) error {
			return o.subsidiesDial(func(ctx context.Context, c apiv1.SubsidiesServiceClient) error {
				resp, err := c.GetGrant(ctx, &apiv1.GetGrantRequest{GrantingMspId: args[0], GrantId: args[1]})
				if err != nil {
					return err
				}
				return o.print(resp, func(w io.Writer) {
					g := resp.Grant
					tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
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
				})
			})
		},
	}
}

func subsidyListGrants(o *options) *cobra.Command {
	var req apiv1.ListGrantsRequest
	c := &cobra.Command{
		Use:   "list-grants GRANTING_MSP PROGRAMME_ID",
		Short: "List the grants of a programme, one page at a time",
		Args:  cobra.ExactArgs(2),
		RunE: func(_ *cobra.Command, args []string) error {
			req.GrantingMspId, req.ProgrammeId = args[0], args[1]
			return o.subsidiesDial(func(ctx context.Context, c apiv1.SubsidiesServiceClient) error {
				resp, err := c.ListGrants(ctx, &req)
				if err != nil {
					return err
				}
				return o.print(resp, func(w io.Writer) {
					tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
					fmt.Fprintln(tw, "GRANT\tBENEFICIARY\tAMOUNT\tPAID\tSTATUS")
					for _, g := range resp.Grants {
						fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", g.GrantId, g.Beneficiary, subsidyMoney(g.Currency, g.AmountMinor),
							subsidyMoney(g.Currency, g.PaidTotalMinor), subsidyStatus(g))
					}
					tw.Flush()
					if resp.NextPageToken != "" {
						fmt.Fprintf(w, "more: --page-token %s\n", resp.NextPageToken)
					}
				})
			})
		},
	}
	c.Flags().Int32Var(&req.PageSize, "page-size", 0, "grants per page, 1 to 100 (default: the ledger's)")
	c.Flags().StringVar(&req.PageToken, "page-token", "", "token of the page to show, from the previous page")
	return c
}

func subsidyAidReceived(o *options) *cobra.Command {
	return &cobra.Command{
		Use:   "aid-received BENEFICIARY",
		Short: "Show the de minimis aid an undertaking received from all administrations in the last three years",
		Args:  cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			return o.subsidiesDial(func(ctx context.Context, c apiv1.SubsidiesServiceClient) error {
				a, err := c.AidReceived(ctx, &apiv1.AidReceivedRequest{Beneficiary: args[0]})
				if err != nil {
					return err
				}
				return o.print(a, func(w io.Writer) {
					fmt.Fprintf(w, "%s received %s of de minimis aid from %s to %s; %s remaining of %s\n", a.Beneficiary,
						subsidyMoney(a.Currency, a.TotalMinor), a.WindowStart, a.WindowEnd,
						subsidyMoney(a.Currency, a.RemainingMinor), subsidyMoney(a.Currency, a.CeilingMinor))
					if len(a.Awards) == 0 {
						return
					}
					tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
					fmt.Fprintln(tw, "ADMINISTRATION\tPROGRAMME\tGRANT\tAMOUNT\tAPPROVED")
					for _, r := range a.Awards {
						fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", r.GrantingMspId, r.ProgrammeId, r.GrantId,
							subsidyMoney(a.Currency, r.AmountMinor), r.ApprovedAt)
					}
					tw.Flush()
				})
			})
		},
	}
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
	s := strings.ToLower(strings.TrimPrefix(g.Status.String(), "SUBSIDY_GRANT_STATUS_"))
	if g.DecidedByMspId != "" {
		s += " by " + g.DecidedByMspId
	}
	return s
}

func subsidyCommitted(w io.Writer, c *apiv1.Committed) {
	fmt.Fprintf(w, "transaction %s (block %d)\n", c.TransactionId, c.BlockNumber)
}
