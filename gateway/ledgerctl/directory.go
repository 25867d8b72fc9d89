package ledgerctl

import (
	"fmt"
	"io"
	"slices"

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

// printProfiles prints a table of profiles; a LEFT column says when and at
// which config block an administration left, if any of them has.
func printProfiles(w io.Writer, profiles ...*apiv1.Profile) {
	left := slices.ContainsFunc(profiles, func(p *apiv1.Profile) bool { return p.LeftAt != "" })
	tw := newTable(w)
	header := "MSP ID\tNAME\tKIND\tCONTACT\tUPDATED"
	if left {
		header += "\tLEFT"
	}
	fmt.Fprintln(tw, header)
	for _, p := range profiles {
		row := fmt.Sprintf("%s\t%s\t%s\t%s\t%s", p.MspId, p.DisplayName, p.Kind, p.Contact, p.UpdatedAt)
		switch {
		case p.LeftAt != "":
			row += fmt.Sprintf("\t%s (config block %d)", p.LeftAt, p.LeftConfigBlock)
		case left:
			row += "\t-"
		}
		fmt.Fprintln(tw, row)
	}
	tw.Flush()
}
