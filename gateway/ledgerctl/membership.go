package ledgerctl

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/spf13/cobra"

	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
	"github.com/civicledger/civicledger/network/configupdate"
)

func init() { commandGroups = append(commandGroups, membershipCommands) }

// membershipCommands propose, sign and apply changes to which
// administrations are members (MembershipService; admins only).
func membershipCommands(o *options) *cobra.Command {
	cmd := &cobra.Command{Use: "membership", Short: "Propose, sign and apply adding or removing an administration (admins)"}
	var request string
	var expiresIn time.Duration
	add := &cobra.Command{
		Use: "propose-add --request FILE", Short: "Propose adding an administration from its join request (JSON)", Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			a, err := readJoinRequest(request)
			if err != nil {
				return err
			}
			return show(o, apiv1.NewMembershipServiceClient, apiv1.MembershipServiceClient.ProposeAddition,
				&apiv1.ProposeAdditionRequest{Administration: a, ExpiresInSeconds: int64(expiresIn / time.Second)}, printProposalResponse)
		},
	}
	add.Flags().StringVar(&request, "request", "", "the newcomer's join request: JSON file (mspId, rootCerts, tlsRootCerts, anchorPeer, ordererEndpoint, consenter)")
	_ = add.MarkFlagRequired("request")
	remove := o.adminArgs(&cobra.Command{
		Use: "propose-remove ADMINISTRATION", Short: "Propose removing an administration (its nodes may be down)", Args: cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			return show(o, apiv1.NewMembershipServiceClient, apiv1.MembershipServiceClient.ProposeRemoval,
				&apiv1.ProposeRemovalRequest{MspId: args[0], ExpiresInSeconds: int64(expiresIn / time.Second)}, printProposalResponse)
		},
	}, 0)
	crl := &cobra.Command{
		Use: "propose-revocation-list", Short: "Propose your CA's current revocation list for your MSP in the channel configuration", Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			return show(o, apiv1.NewMembershipServiceClient, apiv1.MembershipServiceClient.ProposeRevocationList,
				&apiv1.ProposeRevocationListRequest{ExpiresInSeconds: int64(expiresIn / time.Second)}, printProposalResponse)
		},
	}
	for _, c := range []*cobra.Command{add, remove, crl} {
		c.Flags().DurationVar(&expiresIn, "expires-in", 0, "how long the proposal stays open (default 7 days, at most 30)")
	}
	sign := byArg(o, "sign PROPOSAL_ID", "Sign a proposal as your administration's admin",
		apiv1.NewMembershipServiceClient, apiv1.MembershipServiceClient.Sign,
		func(id string) *apiv1.SignProposalRequest { return &apiv1.SignProposalRequest{ProposalId: id} }, printProposalResponse)
	apply := byArg(o, "apply PROPOSAL_ID", "Send a signed proposal to the ordering service and record its config block",
		apiv1.NewMembershipServiceClient, apiv1.MembershipServiceClient.Apply,
		func(id string) *apiv1.ApplyProposalRequest { return &apiv1.ApplyProposalRequest{ProposalId: id} }, printProposalResponse)
	get := byArg(o, "get PROPOSAL_ID", "Show a proposal and who signed it",
		apiv1.NewMembershipServiceClient, apiv1.MembershipServiceClient.GetProposal,
		func(id string) *apiv1.GetProposalRequest { return &apiv1.GetProposalRequest{ProposalId: id} }, printProposalResponse)
	var status, page string
	var size int32
	list := &cobra.Command{
		Use: "list", Short: "List proposals", Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			return show(o, apiv1.NewMembershipServiceClient, apiv1.MembershipServiceClient.ListProposals,
				&apiv1.ListProposalsRequest{Status: status, PageSize: size, PageToken: page},
				func(w io.Writer, r *apiv1.ListProposalsResponse) {
					for _, p := range r.Proposals {
						printProposal(w, p)
					}
					printNextPage(w, r.NextPageToken)
				})
		},
	}
	list.Flags().StringVar(&status, "status", "", "open, applied, expired or withdrawn (default: all)")
	list.Flags().Int32Var(&size, "page-size", 0, "proposals per page")
	list.Flags().StringVar(&page, "page", "", "page token from the previous page")
	cmd.AddCommand(add, remove, crl, sign, apply, get, list)
	return cmd
}

// readJoinRequest reads a join request as the newcomer's tooling writes it
// (configupdate.Administration as JSON, certificates as base64 of PEM).
func readJoinRequest(path string) (*apiv1.AdministrationRequest, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read the join request: %w", err)
	}
	var a configupdate.Administration
	if err := json.Unmarshal(data, &a); err != nil {
		return nil, fmt.Errorf("join request %s is not valid JSON: %w", path, err)
	}
	ep := func(e configupdate.Endpoint) *apiv1.NodeEndpoint {
		return &apiv1.NodeEndpoint{Host: e.Host, Port: int32(e.Port)}
	}
	return &apiv1.AdministrationRequest{
		MspId: a.MSPID, RootCerts: a.RootCerts, TlsRootCerts: a.TLSRootCerts,
		AnchorPeer: ep(a.AnchorPeer), OrdererEndpoint: ep(a.OrdererEndpoint), Consenter: ep(a.Consenter.Endpoint),
		ConsenterClientTlsCert: a.Consenter.ClientTLSCert, ConsenterServerTlsCert: a.Consenter.ServerTLSCert,
	}, nil
}

func printProposalResponse(w io.Writer, r *apiv1.MembershipProposalResponse) {
	printProposal(w, r.Proposal)
	if r.Committed != nil {
		printCommitted(w, r.Committed)
	}
}

func printProposal(w io.Writer, p *apiv1.MembershipProposal) {
	if p == nil {
		return
	}
	fmt.Fprintf(w, "proposal %s: %s %s, %s (config sequence %d)\n  proposed by %s at %s, expires %s\n",
		p.Id, p.Kind, p.SubjectMspId, p.Status, p.Sequence, p.ProposedBy, p.ProposedAt, p.ExpiresAt)
	for _, s := range p.Signatures {
		fmt.Fprintf(w, "  signed by %s at %s\n", s.MspId, s.SignedAt)
	}
	if p.AppliedBlock != 0 {
		fmt.Fprintf(w, "  applied in config block %d by %s at %s\n", p.AppliedBlock, p.AppliedBy, p.AppliedAt)
	}
}
