package ledgerctl

import (
	"context"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/spf13/cobra"
	"google.golang.org/grpc"

	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
)

func init() { commandGroups = append(commandGroups, directoryCommands) }

func directoryCommands(o *options) *cobra.Command {
	cmd := &cobra.Command{Use: "directory", Short: "The public directory of administrations"}
	var req apiv1.SetProfileRequest
	set := &cobra.Command{
		Use: "set-profile", Short: "Publish your administration's profile (role admin)", Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			return o.dial(func(ctx context.Context, conn *grpc.ClientConn) error {
				resp, err := apiv1.NewDirectoryServiceClient(conn).SetProfile(ctx, &req)
				if err != nil {
					return err
				}
				return o.print(resp, func(w io.Writer) {
					fmt.Fprintf(w, "profile of %s published in transaction %s (block %d)\n",
						resp.Profile.MspId, resp.Committed.TransactionId, resp.Committed.BlockNumber)
				})
			})
		},
	}
	set.Flags().StringVar(&req.DisplayName, "display-name", "", "name shown to citizens")
	set.Flags().StringVar(&req.Kind, "kind", "", "agency, city, ministry, department, region or other")
	set.Flags().StringVar(&req.Contact, "contact", "", "public contact (e-mail, URL or phone)")

	get := &cobra.Command{
		Use: "get MSP_ID", Short: "Show one administration's profile", Args: cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			return o.dial(func(ctx context.Context, conn *grpc.ClientConn) error {
				p, err := apiv1.NewDirectoryServiceClient(conn).GetProfile(ctx, &apiv1.GetProfileRequest{MspId: args[0]})
				if err != nil {
					return err
				}
				return o.print(p, func(w io.Writer) { printProfiles(w, p) })
			})
		},
	}
	list := &cobra.Command{
		Use: "list", Short: "List every administration", Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			return o.dial(func(ctx context.Context, conn *grpc.ClientConn) error {
				resp, err := apiv1.NewDirectoryServiceClient(conn).ListProfiles(ctx, &apiv1.ListProfilesRequest{})
				if err != nil {
					return err
				}
				return o.print(resp, func(w io.Writer) { printProfiles(w, resp.Profiles...) })
			})
		},
	}
	cmd.AddCommand(set, get, list)
	return cmd
}

func printProfiles(w io.Writer, profiles ...*apiv1.Profile) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "MSP ID\tNAME\tKIND\tCONTACT\tUPDATED")
	for _, p := range profiles {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", p.MspId, p.DisplayName, p.Kind, p.Contact, p.UpdatedAt)
	}
	tw.Flush()
}
