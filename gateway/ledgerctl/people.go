package ledgerctl

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"
	"google.golang.org/grpc"

	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
	"github.com/civicledger/civicledger/gateway/person"
	"github.com/civicledger/civicledger/network/connfile"
)

func init() { commandGroups = append(commandGroups, peopleCommands) }

func peopleCommands(o *options) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "people",
		Short: "Officials with their own identity: enrol yourself; admins add, suspend, revoke",
		Long: "Each official has a personal identity from the administration's CA: a staff identifier\n" +
			"(not a name: it is in the certificate, which the ledger shows with every transaction)\n" +
			"and a role. An admin adds the person and hands them a one-time secret; the person runs\n" +
			"`people enroll` on their own machine, where the key pair is generated and stays, then\n" +
			"uses --identity DIR (or $CIVIC_IDENTITY) with every command: ledgerctl signs each\n" +
			"transaction with their key.",
	}
	var add apiv1.AddPersonRequest
	addCmd := &cobra.Command{
		Use: "add STAFF_ID --role clerk|approver|admin", Short: "Register a person; prints their one-time enrolment secret (role admin)",
		Args: cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			add.StaffId = args[0]
			return show(o, apiv1.NewPeopleServiceClient, apiv1.PeopleServiceClient.AddPerson, &add, printSecret)
		},
	}
	addCmd.Flags().StringVar(&add.Role, "role", "", "clerk, approver or admin")
	list := &cobra.Command{
		Use: "list", Short: "List your administration's people (role admin)", Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			return show(o, apiv1.NewPeopleServiceClient, apiv1.PeopleServiceClient.ListPeople, &apiv1.ListPeopleRequest{},
				func(w io.Writer, resp *apiv1.ListPeopleResponse) { printPeople(w, resp.People...) })
		},
	}
	person := func(id string) *apiv1.PersonRequest { return &apiv1.PersonRequest{StaffId: id} }
	one := func(use, short string, rpc func(apiv1.PeopleServiceClient, context.Context, *apiv1.PersonRequest, ...grpc.CallOption) (*apiv1.Person, error)) *cobra.Command {
		return byArg(o, use+" STAFF_ID", short, apiv1.NewPeopleServiceClient, rpc, person,
			func(w io.Writer, p *apiv1.Person) { printPeople(w, p) })
	}
	rotate := byArg(o, "rotate STAFF_ID", "Revoke a person's current certificates and print a new one-time secret (role admin)",
		apiv1.NewPeopleServiceClient, apiv1.PeopleServiceClient.RotatePerson, person, printSecret)
	cmd.AddCommand(addCmd, list,
		one("suspend", "Refuse a person until reinstated (role admin)", apiv1.PeopleServiceClient.SuspendPerson),
		one("reinstate", "Lift a suspension (role admin)", apiv1.PeopleServiceClient.ReinstatePerson),
		one("revoke", "Revoke a person for good: certificates revoked at the CA (role admin)", apiv1.PeopleServiceClient.RevokePerson),
		rotate, enrollCommand(o))
	return cmd
}

func enrollCommand(o *options) *cobra.Command {
	var dir string
	var replace bool
	cmd := &cobra.Command{
		Use:   "enroll STAFF_ID --dir DIR",
		Short: "Enrol yourself: generate your key pair in DIR and get your certificate (secret from $CIVIC_ENROLMENT_SECRET or stdin)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if dir == "" {
				return errors.New("--dir is required: the folder, on your machine, that will hold your key")
			}
			secret := os.Getenv("CIVIC_ENROLMENT_SECRET")
			if secret == "" {
				fmt.Fprintln(cmd.ErrOrStderr(), "enrolment secret (then end of input, Ctrl-D):")
				b, err := io.ReadAll(io.LimitReader(cmd.InOrStdin(), 1024))
				if err != nil {
					return err
				}
				secret = string(trimSpace(b))
			}
			c, err := o.connectionFile()
			if err != nil {
				return err
			}
			org, err := c.OrgByName(o.org)
			if err != nil {
				return fmt.Errorf("--org: %w", err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), o.timeout)
			defer cancel()
			name := org.CAName
			if name == "" {
				name = "ca-" + org.Name // a connection file written before caName
			}
			id, err := person.Enroll(ctx, person.CA{Address: org.CA.Address, Name: name, TLSRootCert: org.TLSRootCert},
				org.MSPID, args[0], secret, dir, replace)
			if err != nil {
				return err
			}
			fmt.Fprintf(o.out, "enrolled %s of %s: key and certificate in %s (serial %s, valid until %s)\n",
				id.StaffID, id.MSPID, id.Dir, id.Cert.SerialNumber.Text(16), id.Cert.NotAfter.UTC().Format("2006-01-02"))
			fmt.Fprintf(o.out, "use it with: ledgerctl --identity %s ...\n", id.Dir)
			return nil
		},
	}
	cmd.Flags().StringVar(&dir, "dir", "", "folder for your key and certificate (created, readable by you only)")
	cmd.Flags().BoolVar(&replace, "replace", false, "replace the identity already in --dir (after a rotation)")
	return cmd
}

func trimSpace(b []byte) []byte {
	for len(b) > 0 && (b[len(b)-1] == '\n' || b[len(b)-1] == '\r' || b[len(b)-1] == ' ') {
		b = b[:len(b)-1]
	}
	return b
}

// dialPerson connects to the gateway of the person's administration with
// their own certificate, signing with their own key.
func (o *options) dialPerson(c connfile.Connection) (*grpc.ClientConn, error) {
	id, err := person.Load(o.identity)
	if err != nil {
		return nil, err
	}
	org, err := c.Org(id.MSPID)
	if err != nil {
		return nil, err
	}
	pool, err := c.RootCertPool()
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), o.timeout)
	defer cancel()
	return id.Dial(ctx, org.Gateway.Address, pool)
}

func printSecret(w io.Writer, s *apiv1.EnrolmentSecret) {
	printPeople(w, s.Person)
	fmt.Fprintf(w, "\none-time enrolment secret (give it to %s only): %s\n", s.Person.GetStaffId(), s.Secret)
	fmt.Fprintf(w, "they enrol on their own machine with:\n  CIVIC_ENROLMENT_SECRET=... ledgerctl --org %s people enroll %s --dir <folder>\n",
		s.MspId, s.Person.GetStaffId())
}

func printPeople(w io.Writer, people ...*apiv1.Person) {
	tw := newTable(w)
	fmt.Fprintln(tw, "STAFF ID\tROLE\tSTATUS")
	for _, p := range people {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", p.StaffId, p.Role, p.Status)
	}
	tw.Flush()
}
