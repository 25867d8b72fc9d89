// Package ledgerctl is the command line of the CivicLedger gateway: one
// command group per gRPC service, human output by default and the API's
// JSON with --json. It reads the connection file that scripts/up.sh writes,
// so after start-up only the identity to use needs saying.
package ledgerctl

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/spf13/cobra"
	"google.golang.org/grpc"
	"google.golang.org/grpc/metadata"
	"google.golang.org/protobuf/proto"

	"github.com/civicledger/civicledger/network/connfile"
)

// options are the flags every command shares.
type options struct {
	connection  string
	org         string
	user        string
	identity    string // a person's own identity folder (people enroll)
	json        bool
	timeout     time.Duration
	idempotency string
	out         io.Writer

	conn *connfile.Connection // the connection file, once read
}

// NewRoot builds the ledgerctl command tree. Its Execute returns a
// *VerdictError for a negative verdict; Main maps results to exit codes.
func NewRoot() *cobra.Command {
	root, _ := newRoot()
	return root
}

func newRoot() (*cobra.Command, *options) {
	o := &options{}
	root := &cobra.Command{
		Use:   "ledgerctl",
		Short: "Use the CivicLedger gateway of your administration",
		Long: "ledgerctl calls your administration's CivicLedger gateway as one of its users.\n" +
			"Endpoints and certificates come from the connection file written by scripts/up.sh.\n" +
			"An administration (--org, --issuer, --owner, --grantee, *_MSP arguments) is named by\n" +
			"its MSP ID or its short name, in any case: RegistryMSP, registry.\n\n" + exitHelp,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	f := root.PersistentFlags()
	f.StringVar(&o.connection, "connection", envOr("CIVIC_CONNECTION", ".civicledger/connection.json"), "connection file written by scripts/up.sh ($CIVIC_CONNECTION)")
	f.StringVar(&o.org, "org", envOr("CIVIC_ORG", "RegistryMSP"), "your administration: MSP ID or short name ($CIVIC_ORG)")
	f.StringVar(&o.user, "user", envOr("CIVIC_USER", "clerk"), "user to act as ($CIVIC_USER)")
	f.StringVar(&o.identity, "identity", os.Getenv("CIVIC_IDENTITY"), "your personal identity folder (ledgerctl people enroll): act as yourself, signing with your own key, instead of --user ($CIVIC_IDENTITY)")
	f.BoolVar(&o.json, "json", false, "print the API's JSON instead of a summary")
	f.DurationVar(&o.timeout, "timeout", 2*time.Minute, "how long to wait for the gateway")
	f.StringVar(&o.idempotency, "idempotency-key", "", "with a submit: a key that makes a retried call return the first call's result")
	root.PersistentPreRunE = func(cmd *cobra.Command, _ []string) error {
		o.out = cmd.OutOrStdout()
		return o.resolveAdminFlags(cmd)
	}
	for _, add := range commandGroups {
		root.AddCommand(add(o))
	}
	return root, o
}

// commandGroups are the per-service command groups, each registered from its
// own file.
var commandGroups []func(*options) *cobra.Command

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}

// dial connects to the gateway of the chosen administration, authenticating
// with the chosen user's certificate, and runs f with a context that carries
// the timeout and any idempotency key.
func (o *options) dial(f func(ctx context.Context, conn *grpc.ClientConn) error) error {
	conn, ctx, cancel, err := o.connect()
	if err != nil {
		return err
	}
	defer cancel()
	defer conn.Close()
	return f(ctx, conn)
}

// connectionFile reads the connection file once.
func (o *options) connectionFile() (connfile.Connection, error) {
	if o.conn == nil {
		c, err := connfile.Load(o.connection)
		if err != nil {
			return connfile.Connection{}, fmt.Errorf("%w (start the network with scripts/up.sh, or pass --connection)", err)
		}
		o.conn = &c
	}
	return *o.conn, nil
}

func (o *options) connect() (*grpc.ClientConn, context.Context, context.CancelFunc, error) {
	conn, err := o.dialOrg()
	if err != nil {
		return nil, nil, nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), o.timeout)
	if o.idempotency != "" {
		ctx = metadata.AppendToOutgoingContext(ctx, "idempotency-key", o.idempotency)
	}
	return conn, ctx, cancel, nil
}

// call dials the gateway and runs f with the service client newClient makes,
// e.g. apiv1.NewDocumentsServiceClient.
func call[C any](o *options, newClient func(grpc.ClientConnInterface) C, f func(context.Context, C) error) error {
	return o.dial(func(ctx context.Context, conn *grpc.ClientConn) error {
		return f(ctx, newClient(conn))
	})
}

// byArg is a command of one argument that calls rpc with the request req
// makes of it and prints the response as show does.
func byArg[C any, Req any, Resp proto.Message](o *options, use, short string, newClient func(grpc.ClientConnInterface) C,
	rpc func(C, context.Context, Req, ...grpc.CallOption) (Resp, error), req func(arg string) Req, human func(io.Writer, Resp)) *cobra.Command {
	return &cobra.Command{
		Use: use, Short: short, Args: cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			return show(o, newClient, rpc, req(args[0]), human)
		},
	}
}

// show calls one RPC of the chosen gateway with req and prints the
// response: the API's JSON with --json, else what human writes. rpc is the
// client's method, e.g. apiv1.DocumentsServiceClient.GetDocument.
func show[C any, Req any, Resp proto.Message](o *options, newClient func(grpc.ClientConnInterface) C,
	rpc func(C, context.Context, Req, ...grpc.CallOption) (Resp, error), req Req, human func(io.Writer, Resp)) error {
	return judge(o, newClient, rpc, req, human, func(Resp) error { return nil })
}

// judge calls an RPC and prints its response as show does, then returns the
// command's verdict on it (nil, or a negative verdict from verdict): how a
// verdict command answers no with exit code 1.
func judge[C any, Req any, Resp proto.Message](o *options, newClient func(grpc.ClientConnInterface) C,
	rpc func(C, context.Context, Req, ...grpc.CallOption) (Resp, error), req Req, human func(io.Writer, Resp),
	verdictOf func(Resp) error) error {
	return call(o, newClient, func(ctx context.Context, c C) error {
		resp, err := rpc(c, ctx, req)
		if err != nil {
			return err
		}
		if err := o.print(resp, func(w io.Writer) { human(w, resp) }); err != nil {
			return err
		}
		return verdictOf(resp)
	})
}
