package ledgerctl

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"google.golang.org/grpc"

	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
)

// Administrations are named on the command line by MSP ID or by short name
// ("registry"), in any case, wherever a command takes one: --org, --issuer,
// --owner, --grantee and the *_MSP arguments. A name that is no member's is
// an error listing the members, never passed on: a verifier asking about
// "regisrty" must not be told the document is unknown.

// member is an administration: its MSP ID and, when the connection file
// gives one, its short name.
type member struct{ mspID, name string }

func (m member) String() string {
	if m.name == "" {
		return m.mspID
	}
	return fmt.Sprintf("%s (%s)", m.name, m.mspID)
}

// resolveAdministration is the MSP ID of the member that name names, by MSP
// ID or short name, ignoring case; an unknown name is an error listing the
// members.
func resolveAdministration(name string, members []member) (string, error) {
	if m, ok := findMember(name, members); ok {
		return m.mspID, nil
	}
	names := make([]string, len(members))
	for i, m := range members {
		names[i] = m.String()
	}
	return "", fmt.Errorf("unknown administration %q: members are %s", name, strings.Join(names, ", "))
}

func findMember(name string, members []member) (member, bool) {
	name = strings.TrimSpace(name)
	for _, m := range members {
		if strings.EqualFold(m.mspID, name) || (m.name != "" && strings.EqualFold(m.name, name)) {
			return m, true
		}
	}
	return member{}, false
}

// connectionMembers are the administrations of the connection file.
func (o *options) connectionMembers() ([]member, error) {
	c, err := o.connectionFile()
	if err != nil {
		return nil, err
	}
	members := make([]member, len(c.Orgs))
	for i, org := range c.Orgs {
		members[i] = member{mspID: org.MSPID, name: org.Name}
	}
	return members, nil
}

// administration resolves a name given for another administration (issuer,
// owner, grantee…): from the connection file, else from the directory's
// list, which also knows administrations that joined after the file was
// written.
func (o *options) administration(name string) (string, error) {
	members, err := o.connectionMembers()
	if err != nil {
		return "", err
	}
	if m, ok := findMember(name, members); ok {
		return m.mspID, nil
	}
	err = call(o, apiv1.NewDirectoryServiceClient, func(ctx context.Context, c apiv1.DirectoryServiceClient) error {
		resp, err := c.ListProfiles(ctx, &apiv1.ListProfilesRequest{})
		if err != nil {
			return fmt.Errorf("list the administrations to find %q: %w", name, err)
		}
		for _, p := range resp.Profiles {
			if _, known := findMember(p.MspId, members); !known {
				members = append(members, member{mspID: p.MspId})
			}
		}
		return nil
	})
	if err != nil {
		return "", err
	}
	return resolveAdministration(name, members)
}

// adminValue is a flag that names an administration; resolveAdminFlags
// replaces what was given by the member's MSP ID before the command runs.
type adminValue struct{ p *string }

func (v adminValue) String() string {
	if v.p == nil {
		return ""
	}
	return *v.p
}
func (v adminValue) Set(s string) error { *v.p = s; return nil }
func (v adminValue) Type() string       { return "administration" }

// adminFlag defines a flag that takes an administration's MSP ID or short name.
func adminFlag(fs *pflag.FlagSet, p *string, name, usage string) {
	fs.Var(adminValue{p: p}, name, usage+": MSP ID or short name")
}

// resolveAdminFlags resolves every administration flag that was set.
func (o *options) resolveAdminFlags(cmd *cobra.Command) error {
	var err error
	cmd.Flags().Visit(func(f *pflag.Flag) {
		v, ok := f.Value.(adminValue)
		if !ok || err != nil || *v.p == "" { // empty: the flag's default (yours)
			return
		}
		var id string
		if id, err = o.administration(*v.p); err != nil {
			err = fmt.Errorf("--%s: %w", f.Name, err)
			return
		}
		*v.p = id
	})
	return err
}

// adminArgs makes the arguments at the given positions administrations,
// resolved to MSP IDs before c runs.
func (o *options) adminArgs(c *cobra.Command, positions ...int) *cobra.Command {
	run := c.RunE
	c.RunE = func(cmd *cobra.Command, args []string) error {
		for _, i := range positions {
			if i >= len(args) {
				continue
			}
			id, err := o.administration(args[i])
			if err != nil {
				return err
			}
			args[i] = id
		}
		return run(cmd, args)
	}
	return c
}

// dialOrg opens a connection to the gateway of --org as --user, or, with
// --identity, to the person's administration's gateway as that person.
func (o *options) dialOrg() (*grpc.ClientConn, error) {
	c, err := o.connectionFile()
	if err != nil {
		return nil, err
	}
	if o.identity != "" {
		return o.dialPerson(c)
	}
	members, err := o.connectionMembers()
	if err != nil {
		return nil, err
	}
	mspID, err := resolveAdministration(o.org, members)
	if err != nil {
		return nil, fmt.Errorf("--org: %w", err)
	}
	return c.DialGateway(mspID, o.user)
}
