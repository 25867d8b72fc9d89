package ledgerctl

import (
	"context"
	"fmt"
	"io"

	"github.com/spf13/cobra"
	"google.golang.org/protobuf/proto"

	"github.com/civicledger/civicledger/chaincode/currency"
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
	// GRANTING_MSP takes a short name too.
	cmd.AddCommand(subsidyCreateProgramme(o), subsidyPropose(o), o.adminArgs(subsidyApprove(o), 0), o.adminArgs(subsidyReject(o), 0),
		o.adminArgs(subsidyPay(o), 0), o.adminArgs(subsidyGetProgramme(o), 0), o.adminArgs(subsidyGetGrant(o), 0),
		o.adminArgs(subsidyListGrants(o), 0), subsidyAidReceived(o))
	return cmd
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
			return show(o, apiv1.NewSubsidiesServiceClient, apiv1.SubsidiesServiceClient.CreateProgramme, &req,
				func(w io.Writer, resp *apiv1.CreateProgrammeResponse) {
					p := resp.Programme
					fmt.Fprintf(w, "programme %s of %s created: budget %s, %s to %s%s\n", p.ProgrammeId, p.GrantingMspId,
						currency.Format(p.Currency, p.BudgetMinor), p.PeriodStart, p.PeriodEnd, map[bool]string{true: ", de minimis"}[p.DeMinimis])
					printCommitted(w, resp.Committed)
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
			return show(o, apiv1.NewSubsidiesServiceClient, apiv1.SubsidiesServiceClient.ProposeGrant, &req,
				func(w io.Writer, resp *apiv1.ProposeGrantResponse) {
					g := resp.Grant
					fmt.Fprintf(w, "grant %s of %s proposed: %s to %s under %s; it needs an approver of another administration\n",
						g.GrantId, g.GrantingMspId, currency.Format(g.Currency, g.AmountMinor), g.Beneficiary, g.ProgrammeId)
					printCommitted(w, resp.Committed)
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
			return show(o, apiv1.NewSubsidiesServiceClient, apiv1.SubsidiesServiceClient.ApproveGrant,
				&apiv1.ApproveGrantRequest{GrantingMspId: args[0], GrantId: args[1]},
				func(w io.Writer, resp *apiv1.ApproveGrantResponse) {
					g := resp.Grant
					fmt.Fprintf(w, "grant %s of %s approved by %s: %s to %s\n", g.GrantId, g.GrantingMspId, g.DecidedByMspId,
						currency.Format(g.Currency, g.AmountMinor), g.Beneficiary)
					printCommitted(w, resp.Committed)
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
			return show(o, apiv1.NewSubsidiesServiceClient, apiv1.SubsidiesServiceClient.RejectGrant,
				&apiv1.RejectGrantRequest{GrantingMspId: args[0], GrantId: args[1], Reason: reason},
				func(w io.Writer, resp *apiv1.RejectGrantResponse) {
					g := resp.Grant
					fmt.Fprintf(w, "grant %s of %s rejected by %s: %s\n", g.GrantId, g.GrantingMspId, g.DecidedByMspId, g.RejectionReason)
					printCommitted(w, resp.Committed)
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
			return call(o, apiv1.NewSubsidiesServiceClient, func(ctx context.Context, c apiv1.SubsidiesServiceClient) error {
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
				return o.print(resp, func(w io.Writer) { subsidyPrintPayment(w, resp, grant) })
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
			return show(o, apiv1.NewSubsidiesServiceClient, apiv1.SubsidiesServiceClient.GetProgramme,
				&apiv1.GetProgrammeRequest{GrantingMspId: args[0], ProgrammeId: args[1]},
				subsidyPrintProgramme)
		},
	}
}

func subsidyGetGrant(o *options) *cobra.Command {
	return &cobra.Command{
		Use:   "get-grant GRANTING_MSP GRANT_ID",
		Short: "Show a grant and its payments",
		Args:  cobra.ExactArgs(2),
		RunE: func(_ *cobra.Command, args []string) error {
			return show(o, apiv1.NewSubsidiesServiceClient, apiv1.SubsidiesServiceClient.GetGrant,
				&apiv1.GetGrantRequest{GrantingMspId: args[0], GrantId: args[1]},
				subsidyPrintGrant)
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
			return show(o, apiv1.NewSubsidiesServiceClient, apiv1.SubsidiesServiceClient.ListGrants, &req,
				subsidyPrintGrants)
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
			return show(o, apiv1.NewSubsidiesServiceClient, apiv1.SubsidiesServiceClient.AidReceived,
				&apiv1.AidReceivedRequest{Beneficiary: args[0]},
				subsidyPrintAid)
		},
	}
}
