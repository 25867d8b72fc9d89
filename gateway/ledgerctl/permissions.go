package ledgerctl

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
)

func init() { commandGroups = append(commandGroups, permissionsCommands) }

func permissionsCommands(o *options) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "permissions",
		Short: "Access permissions between administrations and the uses made of them",
	}
	// OWNER_MSP_ID and GRANTEE_MSP_ID take short names too.
	cmd.AddCommand(permissionsOffer(o), o.adminArgs(permissionsAccept(o), 0), o.adminArgs(permissionsRevoke(o), 0),
		o.adminArgs(permissionsRecordUse(o), 0), o.adminArgs(permissionsCheck(o), 0, 1), o.adminArgs(permissionsGet(o), 0),
		o.adminArgs(permissionsList(o), 0), permissionsUsesBySubject(o), permissionsInvalidUses(o))
	return cmd
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
			return show(o, apiv1.NewPermissionsServiceClient, apiv1.PermissionsServiceClient.OfferPermission, &req,
				func(w io.Writer, resp *apiv1.OfferPermissionResponse) {
					fmt.Fprintf(w, "permission %s of %s offered to %s in %s; %s must accept it\n", resp.Permission.Id,
						resp.Permission.OwnerMspId, resp.Permission.GranteeMspId, committedText(resp.Committed), resp.Permission.GranteeMspId)
				})
		},
	}
	f := c.Flags()
	f.StringVar(&req.Id, "id", "", "permission id, unique within your administration")
	adminFlag(f, &req.GranteeMspId, "grantee", "the administration granted access")
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
			return show(o, apiv1.NewPermissionsServiceClient, apiv1.PermissionsServiceClient.AcceptPermission,
				&apiv1.AcceptPermissionRequest{OwnerMspId: args[0], PermissionId: args[1]},
				func(w io.Writer, resp *apiv1.AcceptPermissionResponse) {
					fmt.Fprintf(w, "permission %s of %s is %s (transaction %s, block %d)\n", resp.Permission.Id,
						resp.Permission.OwnerMspId, permissionsStatusText(resp.Permission.Status),
						resp.Committed.TransactionId, resp.Committed.BlockNumber)
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
			return show(o, apiv1.NewPermissionsServiceClient, apiv1.PermissionsServiceClient.RevokePermission,
				&apiv1.RevokePermissionRequest{OwnerMspId: args[0], PermissionId: args[1], Reason: reason},
				func(w io.Writer, resp *apiv1.RevokePermissionResponse) {
					fmt.Fprintf(w, "permission %s of %s revoked at %s (transaction %s, block %d)\n", resp.Permission.Id,
						resp.Permission.OwnerMspId, resp.Permission.RevokedAt, resp.Committed.TransactionId, resp.Committed.BlockNumber)
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
			return show(o, apiv1.NewPermissionsServiceClient, apiv1.PermissionsServiceClient.RecordUse, &req,
				func(w io.Writer, resp *apiv1.RecordUseResponse) {
					verdict := "valid"
					if !resp.Use.Valid {
						verdict = "NOT valid"
					}
					fmt.Fprintf(w, "use recorded as %s: %s (transaction %s, block %d)\n", verdict,
						permissionsReasonText(resp.Use.Reason), resp.Committed.TransactionId, resp.Committed.BlockNumber)
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
		Short: "Tell whether an administration may now consult another's data (exit 0 allowed, 1 not allowed)",
		Args:  cobra.ExactArgs(3),
		RunE: func(_ *cobra.Command, args []string) error {
			return judge(o, apiv1.NewPermissionsServiceClient, apiv1.PermissionsServiceClient.CheckPermission, &apiv1.CheckPermissionRequest{
				OwnerMspId: args[0], GranteeMspId: args[1], Category: args[2], SubjectRef: subject,
			},
				func(w io.Writer, resp *apiv1.CheckPermissionResponse) {
					verdict := "allowed"
					if !resp.Allowed {
						verdict = "not allowed"
					}
					if resp.PermissionId != "" {
						verdict += " (permission " + resp.PermissionId + ")"
					}
					fmt.Fprintf(w, "%s: %s\n", verdict, permissionsReasonText(resp.Reason))
				}, permissionVerdict)
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
			return show(o, apiv1.NewPermissionsServiceClient, apiv1.PermissionsServiceClient.GetPermission,
				&apiv1.GetPermissionRequest{OwnerMspId: args[0], PermissionId: args[1]},
				func(w io.Writer, resp *apiv1.GetPermissionResponse) { permissionsPrintOne(w, resp.Permission) })
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
			return show(o, apiv1.NewPermissionsServiceClient, apiv1.PermissionsServiceClient.ListPermissionsByOwner,
				&apiv1.ListPermissionsByOwnerRequest{OwnerMspId: args[0], PageSize: size, PageToken: token},
				permissionsPrintList)
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
			return show(o, apiv1.NewPermissionsServiceClient, apiv1.PermissionsServiceClient.ListUsesBySubject,
				&apiv1.ListUsesBySubjectRequest{SubjectRef: args[0], PageSize: size, PageToken: token},
				func(w io.Writer, resp *apiv1.ListUsesBySubjectResponse) {
					permissionsPrintUses(w, resp.Uses, resp.NextPageToken)
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
			return show(o, apiv1.NewPermissionsServiceClient, apiv1.PermissionsServiceClient.ListInvalidUses,
				&apiv1.ListInvalidUsesRequest{PageSize: size, PageToken: token},
				func(w io.Writer, resp *apiv1.ListInvalidUsesResponse) {
					permissionsPrintUses(w, resp.Uses, resp.NextPageToken)
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
