package ledgerctl

import (
	"context"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"
	"google.golang.org/grpc"

	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
)

func init() { commandGroups = append(commandGroups, permissionsCommands) }

func permissionsCommands(o *options) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "permissions",
		Short: "Access permissions between administrations and the uses made of them",
	}
	cmd.AddCommand(permissionsOffer(o), permissionsAccept(o), permissionsRevoke(o), permissionsRecordUse(o),
		permissionsCheck(o), permissionsGet(o), permissionsList(o), permissionsUsesBySubject(o), permissionsInvalidUses(o))
	return cmd
}

// permissionsCall dials the gateway and runs f with a PermissionsService
// client.
func permissionsCall(o *options, f func(context.Context, apiv1.PermissionsServiceClient) error) error {
	return o.dial(func(ctx context.Context, conn *grpc.ClientConn) error {
		return f(ctx, apiv1.NewPermissionsServiceClient(conn))
	})
}

func permissionsOffer(o *options) *cobra.Command {
	var req apiv1.OfferPermissionRequest
	var request string
	c := &cobra.Command{
		Use:   "offer",
		Short: "Offer a permission on your administration's data (role approver or admin)",
		Long: "Offer a permission on your administration's data to another administration. It becomes\n" +
			"active once an approver of the grantee accepts it. Give the fields as flags or the\n" +
			"whole request with --request (JSON, @file or -).",
		Example: "  ledgerctl permissions offer --id housing-2025 --grantee TreasuryMSP --category tax-income \\\n" +
			"    --purpose 'Means test for the housing benefit' --legal-basis 'Housing Act, art. 12' \\\n" +
			"    --valid-from 2025-01-01T00:00:00Z --valid-until 2026-01-01T00:00:00Z",
		Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			if request != "" {
				if err := readJSONArg(request, &req); err != nil {
					return err
				}
			}
			return permissionsCall(o, func(ctx context.Context, c apiv1.PermissionsServiceClient) error {
				resp, err := c.OfferPermission(ctx, &req)
				if err != nil {
					return err
				}
				return o.print(resp, func(w io.Writer) {
					fmt.Fprintf(w, "permission %s of %s offered to %s in transaction %s (block %d); %s must accept it\n",
						resp.Permission.Id, resp.Permission.OwnerMspId, resp.Permission.GranteeMspId,
						resp.Committed.TransactionId, resp.Committed.BlockNumber, resp.Permission.GranteeMspId)
				})
			})
		},
	}
	f := c.Flags()
	f.StringVar(&req.Id, "id", "", "permission id, unique within your administration")
	f.StringVar(&req.GranteeMspId, "grantee", "", "MSP ID of the administration granted access")
	f.StringVar(&req.Category, "category", "", "data category, e.g. tax-income")
	f.StringVar(&req.Purpose, "purpose", "", "why the grantee needs the data")
	f.StringVar(&req.LegalBasis, "legal-basis", "", "law or regulation that allows it")
	f.StringVar(&req.ValidFrom, "valid-from", "", "start of the window, RFC 3339 (inclusive)")
	f.StringVar(&req.ValidUntil, "valid-until", "", "end of the window, RFC 3339 (exclusive)")
	f.StringVar(&req.SubjectRef, "subject", "", "optional subject reference (64 hex digits) limiting it to one subject")
	f.StringVar(&request, "request", "", "the whole OfferPermissionRequest as JSON, @file or - (overrides the flags)")
	return c
}

func permissionsAccept(o *options) *cobra.Command {
	return &cobra.Command{
		Use:   "accept OWNER_MSP_ID PERMISSION_ID",
		Short: "Accept a permission offered to your administration (role approver or admin)",
		Args:  cobra.ExactArgs(2),
		RunE: func(_ *cobra.Command, args []string) error {
			return permissionsCall(o, func(ctx context.Context, c apiv1.PermissionsServiceClient) error {
				resp, err := c.AcceptPermission(ctx, &apiv1.AcceptPermissionRequest{OwnerMspId: args[0], PermissionId: args[1]})
				if err != nil {
					return err
				}
				return o.print(resp, func(w io.Writer) {
					fmt.Fprintf(w, "permission %s of %s is %s (transaction %s, block %d)\n", resp.Permission.Id,
						resp.Permission.OwnerMspId, permissionsStatusText(resp.Permission.Status),
						resp.Committed.TransactionId, resp.Committed.BlockNumber)
				})
			})
		},
	}
}

func permissionsRevoke(o *options) *cobra.Command {
	var reason string
	c := &cobra.Command{
		Use:   "revoke OWNER_MSP_ID PERMISSION_ID --reason TEXT",
		Short: "Revoke a permission of your administration (role approver or admin)",
		Args:  cobra.ExactArgs(2),
		RunE: func(_ *cobra.Command, args []string) error {
			return permissionsCall(o, func(ctx context.Context, c apiv1.PermissionsServiceClient) error {
				resp, err := c.RevokePermission(ctx, &apiv1.RevokePermissionRequest{OwnerMspId: args[0], PermissionId: args[1], Reason: reason})
				if err != nil {
					return err
				}
				return o.print(resp, func(w io.Writer) {
					fmt.Fprintf(w, "permission %s of %s revoked at %s (transaction %s, block %d)\n", resp.Permission.Id,
						resp.Permission.OwnerMspId, resp.Permission.RevokedAt, resp.Committed.TransactionId, resp.Committed.BlockNumber)
				})
			})
		},
	}
	c.Flags().StringVar(&reason, "reason", "", "why the permission ends")
	return c
}

func permissionsRecordUse(o *options) *cobra.Command {
	var req apiv1.RecordUseRequest
	c := &cobra.Command{
		Use:   "record-use OWNER_MSP_ID PERMISSION_ID --subject REF --purpose TEXT",
		Short: "Record that your administration consulted data about a subject (any role)",
		Long: "Record that your administration consulted data about a subject under a permission.\n" +
			"The use is recorded even when no valid permission covers it; the output says so.",
		Args: cobra.ExactArgs(2),
		RunE: func(_ *cobra.Command, args []string) error {
			req.OwnerMspId, req.PermissionId = args[0], args[1]
			return permissionsCall(o, func(ctx context.Context, c apiv1.PermissionsServiceClient) error {
				resp, err := c.RecordUse(ctx, &req)
				if err != nil {
					return err
				}
				return o.print(resp, func(w io.Writer) {
					verdict := "valid"
					if !resp.Use.Valid {
						verdict = "NOT valid"
					}
					fmt.Fprintf(w, "use recorded as %s: %s (transaction %s, block %d)\n", verdict,
						permissionsReasonText(resp.Use.Reason), resp.Committed.TransactionId, resp.Committed.BlockNumber)
				})
			})
		},
	}
	f := c.Flags()
	f.StringVar(&req.SubjectRef, "subject", "", "subject reference, 64 hex digits")
	f.StringVar(&req.Purpose, "purpose", "", "why the data was consulted, e.g. a file number")
	f.StringVar(&req.Category, "category", "", "optional category consulted (must be the permission's)")
	return c
}

func permissionsCheck(o *options) *cobra.Command {
	var subject string
	c := &cobra.Command{
		Use:   "check OWNER_MSP_ID GRANTEE_MSP_ID CATEGORY [--subject REF]",
		Short: "Tell whether an administration may now consult another's data",
		Args:  cobra.ExactArgs(3),
		RunE: func(_ *cobra.Command, args []string) error {
			return permissionsCall(o, func(ctx context.Context, c apiv1.PermissionsServiceClient) error {
				resp, err := c.CheckPermission(ctx, &apiv1.CheckPermissionRequest{
					OwnerMspId: args[0], GranteeMspId: args[1], Category: args[2], SubjectRef: subject,
				})
				if err != nil {
					return err
				}
				return o.print(resp, func(w io.Writer) {
					verdict := "allowed"
					if !resp.Allowed {
						verdict = "not allowed"
					}
					if resp.PermissionId != "" {
						verdict += " (permission " + resp.PermissionId + ")"
					}
					fmt.Fprintf(w, "%s: %s\n", verdict, permissionsReasonText(resp.Reason))
				})
			})
		},
	}
	c.Flags().StringVar(&subject, "subject", "", "subject reference (64 hex digits); empty asks about every subject")
	return c
}

func permissionsGet(o *options) *cobra.Command {
	return &cobra.Command{
		Use:   "get OWNER_MSP_ID PERMISSION_ID",
		Short: "Show one permission",
		Args:  cobra.ExactArgs(2),
		RunE: func(_ *cobra.Command, args []string) error {
			return permissionsCall(o, func(ctx context.Context, c apiv1.PermissionsServiceClient) error {
				resp, err := c.GetPermission(ctx, &apiv1.GetPermissionRequest{OwnerMspId: args[0], PermissionId: args[1]})
				if err != nil {
					return err
				}
				return o.print(resp, func(w io.Writer) { permissionsPrintOne(w, resp.Permission) })
			})
		},
	}
}

func permissionsList(o *options) *cobra.Command {
	var size int32
	var token string
	c := &cobra.Command{
		Use:   "list OWNER_MSP_ID",
		Short: "List the permissions an administration offered, any status",
		Args:  cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			return permissionsCall(o, func(ctx context.Context, c apiv1.PermissionsServiceClient) error {
				resp, err := c.ListPermissionsByOwner(ctx, &apiv1.ListPermissionsByOwnerRequest{OwnerMspId: args[0], PageSize: size, PageToken: token})
				if err != nil {
					return err
				}
				return o.print(resp, func(w io.Writer) {
					tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
					fmt.Fprintln(tw, "ID\tGRANTEE\tCATEGORY\tSTATUS\tVALID FROM\tVALID UNTIL\tSUBJECT")
					for _, p := range resp.Permissions {
						fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", p.Id, p.GranteeMspId, p.Category,
							permissionsStatusText(p.Status), p.ValidFrom, p.ValidUntil, permissionsSubjectText(p.SubjectRef))
					}
					tw.Flush()
					permissionsPrintNext(w, resp.NextPageToken)
				})
			})
		},
	}
	permissionsPageFlags(c, &size, &token)
	return c
}

func permissionsUsesBySubject(o *options) *cobra.Command {
	var size int32
	var token string
	c := &cobra.Command{
		Use:   "uses-by-subject SUBJECT_REF",
		Short: "List who consulted data about a subject, valid or not",
		Args:  cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			return permissionsCall(o, func(ctx context.Context, c apiv1.PermissionsServiceClient) error {
				resp, err := c.ListUsesBySubject(ctx, &apiv1.ListUsesBySubjectRequest{SubjectRef: args[0], PageSize: size, PageToken: token})
				if err != nil {
					return err
				}
				return o.print(resp, func(w io.Writer) { permissionsPrintUses(w, resp.Uses, resp.NextPageToken) })
			})
		},
	}
	permissionsPageFlags(c, &size, &token)
	return c
}

func permissionsInvalidUses(o *options) *cobra.Command {
	var size int32
	var token string
	c := &cobra.Command{
		Use:   "invalid-uses",
		Short: "List the uses that no valid permission covered (for auditors)",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			return permissionsCall(o, func(ctx context.Context, c apiv1.PermissionsServiceClient) error {
				resp, err := c.ListInvalidUses(ctx, &apiv1.ListInvalidUsesRequest{PageSize: size, PageToken: token})
				if err != nil {
					return err
				}
				return o.print(resp, func(w io.Writer) { permissionsPrintUses(w, resp.Uses, resp.NextPageToken) })
			})
		},
	}
	permissionsPageFlags(c, &size, &token)
	return c
}

func permissionsPageFlags(c *cobra.Command, size *int32, token *string) {
	c.Flags().Int32Var(size, "page-size", 0, "entries per page, 1 to 100 (0: 20)")
	c.Flags().StringVar(token, "page-token", "", "next-page token printed by the previous page")
}

func permissionsPrintOne(w io.Writer, p *apiv1.Permission) {
	fmt.Fprintf(w, "permission %s of %s\n", p.Id, p.OwnerMspId)
	rows := [][2]string{
		{"grantee", p.GranteeMspId}, {"category", p.Category}, {"status", permissionsStatusText(p.Status)},
		{"purpose", p.Purpose}, {"legal basis", p.LegalBasis},
		{"valid", p.ValidFrom + " to " + p.ValidUntil}, {"subject", p.SubjectRef},
		{"offered at", p.OfferedAt}, {"accepted at", p.AcceptedAt},
		{"revoked at", p.RevokedAt}, {"revoke reason", p.RevokeReason},
	}
	if p.SubjectRef == "" {
		rows[6][1] = "every subject"
	}
	for _, r := range rows {
		if r[1] != "" {
			fmt.Fprintf(w, "  %-14s%s\n", r[0], r[1])
		}
	}
}

func permissionsPrintUses(w io.Writer, uses []*apiv1.PermissionUse, next string) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "USED AT\tBY\tOWNER\tPERMISSION\tCATEGORY\tSUBJECT\tVALID\tREASON")
	for _, u := range uses {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%t\t%s\n", u.UsedAt, u.GranteeMspId, u.OwnerMspId, u.PermissionId,
			u.Category, permissionsShortRef(u.SubjectRef), u.Valid, permissionsReasonText(u.Reason))
	}
	tw.Flush()
	permissionsPrintNext(w, next)
}

func permissionsPrintNext(w io.Writer, token string) {
	if token != "" {
		fmt.Fprintf(w, "more: --page-token %s\n", token)
	}
}

// permissionsShortRef abbreviates a 64-digit subject reference for tables.
func permissionsShortRef(ref string) string {
	if len(ref) > 12 {
		return ref[:12] + "…"
	}
	return ref
}

// permissionsSubjectText is the subject column of a permission: "all" when
// it covers every subject.
func permissionsSubjectText(ref string) string {
	if ref == "" {
		return "all"
	}
	return permissionsShortRef(ref)
}

// permissionsStatusText is a status in the words of the ledger ("active").
func permissionsStatusText(s apiv1.PermissionStatus) string {
	return strings.ToLower(strings.TrimPrefix(s.String(), "PERMISSION_STATUS_"))
}

// permissionsReasonTexts are the ledger's words for each reason.
var permissionsReasonTexts = map[apiv1.PermissionReason]string{
	apiv1.PermissionReason_PERMISSION_REASON_COVERED:                 "covered by an active permission",
	apiv1.PermissionReason_PERMISSION_REASON_NO_SUCH_PERMISSION:      "no such permission",
	apiv1.PermissionReason_PERMISSION_REASON_OTHER_GRANTEE:           "permission granted to another administration",
	apiv1.PermissionReason_PERMISSION_REASON_CATEGORY_NOT_COVERED:    "category not covered",
	apiv1.PermissionReason_PERMISSION_REASON_REVOKED:                 "permission revoked",
	apiv1.PermissionReason_PERMISSION_REASON_NOT_ACCEPTED:            "permission not accepted",
	apiv1.PermissionReason_PERMISSION_REASON_OUTSIDE_VALIDITY_WINDOW: "outside validity window",
	apiv1.PermissionReason_PERMISSION_REASON_SUBJECT_NOT_COVERED:     "subject not covered",
}

func permissionsReasonText(r apiv1.PermissionReason) string {
	if s, ok := permissionsReasonTexts[r]; ok {
		return s
	}
	return r.String()
}
