package ledgerctl

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
)

func init() { commandGroups = append(commandGroups, directoryCommands) }

func directoryCommands(o *options) *cobra.Command {
	cmd := &cobra.Command{Use: "directory", Short: "The public directory of administrations"}
	var req apiv1.SetProfileRequest
	set := &cobra.Command{
		Use: "set-profile", Short: "Publish your administration's profile (role admin)", Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			return show(o, apiv1.NewDirectoryServiceClient, apiv1.DirectoryServiceClient.SetProfile, &req,
				func(w io.Writer, resp *apiv1.SetProfileResponse) {
					fmt.Fprintf(w, "profile of %s published in %s\n", resp.Profile.MspId, committedText(resp.Committed))
				})
		},
	}
	set.Flags().StringVar(&req.DisplayName, "display-name", "", "name shown to citizens")
	set.Flags().StringVar(&req.Kind, "kind", "", "agency, city, ministry, department, region or other")
	set.Flags().StringVar(&req.Contact, "contact", "", "public contact (e-mail, URL or phone)")

	get := &cobra.Command{
		Use: "get MSP_ID", Short: "Show one administration's profile", Args: cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			return show(o, apiv1.NewDirectoryServiceClient, apiv1.DirectoryServiceClient.GetProfile,
				&apiv1.GetProfileRequest{MspId: args[0]},
				func(w io.Writer, p *apiv1.Profile) { printProfiles(w, p) })
		},
	}
	list := &cobra.Command{
		Use: "list", Short: "List every administration", Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			return show(o, apiv1.NewDirectoryServiceClient, apiv1.DirectoryServiceClient.ListProfiles,
				&apiv1.ListProfilesRequest{},
				func(w io.Writer, resp *apiv1.ListProfilesResponse) { printProfiles(w, resp.Profiles...) })
		},
	}
	cmd.AddCommand(set, o.adminArgs(get, 0), list)
	return cmd
}

func printProfiles(w io.Writer, profiles ...*apiv1.Profile) {
	tw := newTable(w)
	fmt.Fprintln(tw, "MSP ID\tNAME\tKIND\tCONTACT\tUPDATED")
	for _, p := range profiles {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", p.MspId, p.DisplayName, p.Kind, p.Contact, p.UpdatedAt)
	}
	tw.Flush()
}
