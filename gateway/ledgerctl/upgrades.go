package ledgerctl

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
)

func init() { commandGroups = append(commandGroups, upgradeCommands) }

// upgradeCommands propose, approve and commit chaincode upgrades
// (UpgradeService; admins only).
func upgradeCommands(o *options) *cobra.Command {
	cmd := &cobra.Command{Use: "upgrade", Short: "Propose, approve and commit a chaincode upgrade (admins)"}
	var version, packageID string
	propose := &cobra.Command{
		Use: "propose --version V --package-id ID", Short: "Propose the chaincode's next definition (version and installed package)", Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			return show(o, apiv1.NewUpgradeServiceClient, apiv1.UpgradeServiceClient.Propose,
				&apiv1.ProposeUpgradeRequest{Version: version, PackageId: packageID}, printUpgradeResponse)
		},
	}
	propose.Flags().StringVar(&version, "version", "", "the new version, e.g. 2.0")
	propose.Flags().StringVar(&packageID, "package-id", "", "the package id civicnet chaincode install printed")
	_ = propose.MarkFlagRequired("version")
	_ = propose.MarkFlagRequired("package-id")
	approve := byArg(o, "approve UPGRADE_ID", "Approve an upgrade for your administration (Fabric's approveformyorg, then on the ledger)",
		apiv1.NewUpgradeServiceClient, apiv1.UpgradeServiceClient.Approve,
		func(id string) *apiv1.ApproveUpgradeRequest { return &apiv1.ApproveUpgradeRequest{UpgradeId: id} }, printUpgradeResponse)
	commit := byArg(o, "commit UPGRADE_ID", "Commit an upgrade a majority approved, and record the commit",
		apiv1.NewUpgradeServiceClient, apiv1.UpgradeServiceClient.Commit,
		func(id string) *apiv1.CommitUpgradeRequest { return &apiv1.CommitUpgradeRequest{UpgradeId: id} }, printUpgradeResponse)
	get := byArg(o, "get UPGRADE_ID", "Show an upgrade and who approved it",
		apiv1.NewUpgradeServiceClient, apiv1.UpgradeServiceClient.GetUpgrade,
		func(id string) *apiv1.GetUpgradeRequest { return &apiv1.GetUpgradeRequest{UpgradeId: id} }, printUpgradeResponse)
	var status, page string
	var size int32
	list := &cobra.Command{
		Use: "list", Short: "List upgrades", Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			return show(o, apiv1.NewUpgradeServiceClient, apiv1.UpgradeServiceClient.ListUpgrades,
				&apiv1.ListUpgradesRequest{Status: status, PageSize: size, PageToken: page},
				func(w io.Writer, r *apiv1.ListUpgradesResponse) {
					for _, p := range r.Upgrades {
						printUpgrade(w, p)
					}
					printNextPage(w, r.NextPageToken)
				})
		},
	}
	list.Flags().StringVar(&status, "status", "", "open or committed (default: all)")
	list.Flags().Int32Var(&size, "page-size", 0, "upgrades per page")
	list.Flags().StringVar(&page, "page", "", "page token from the previous page")
	definition := &cobra.Command{
		Use: "definition", Short: "Show the committed chaincode definition and the approvals of the next one", Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			return show(o, apiv1.NewUpgradeServiceClient, apiv1.UpgradeServiceClient.GetDefinition,
				&apiv1.GetDefinitionRequest{}, printDefinition)
		},
	}
	cmd.AddCommand(propose, approve, commit, get, list, definition)
	return cmd
}

func printUpgradeResponse(w io.Writer, r *apiv1.UpgradeProposalResponse) {
	printUpgrade(w, r.Upgrade)
	if r.Committed != nil {
		printCommitted(w, r.Committed)
	}
}

func printUpgrade(w io.Writer, p *apiv1.UpgradeProposal) {
	if p == nil {
		return
	}
	fmt.Fprintf(w, "upgrade %s: %s version %s, sequence %d, %s\n  package %s\n  proposed by %s at %s\n",
		p.Id, p.Chaincode, p.Version, p.Sequence, p.Status, p.PackageId, p.ProposedBy, p.ProposedAt)
	for _, a := range p.Approvals {
		fmt.Fprintf(w, "  approved by %s at %s\n", a.MspId, a.ApprovedAt)
	}
	if p.CommitTransactionId != "" {
		fmt.Fprintf(w, "  committed by %s at %s: transaction %s, block %d\n", p.CommittedBy, p.CommittedAt, p.CommitTransactionId, p.CommitBlock)
	}
}

func printDefinition(w io.Writer, d *apiv1.ChaincodeDefinition) {
	fmt.Fprintf(w, "chaincode %s: version %s, sequence %d\n  approved by %s\n", d.Name, d.Version, d.Sequence, approvers(d.Approvals))
	if d.NextVersion != "" {
		fmt.Fprintf(w, "next: version %s, sequence %d\n  approved so far by %s\n", d.NextVersion, d.Sequence+1, approvers(d.NextApprovals))
	}
}

// approvers lists the organizations of m that approved, then those that
// did not yet.
func approvers(m map[string]bool) string {
	var yes, no []string
	for msp, ok := range m {
		if ok {
			yes = append(yes, msp)
		} else {
			no = append(no, msp)
		}
	}
	slices.Sort(yes)
	slices.Sort(no)
	out := "[" + strings.Join(yes, ", ") + "]"
	if len(no) > 0 {
		out += ", not yet by [" + strings.Join(no, ", ") + "]"
	}
	return out
}
