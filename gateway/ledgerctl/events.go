package ledgerctl

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
	"google.golang.org/grpc"

	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
)

func init() { commandGroups = append(commandGroups, eventCommands) }

func eventCommands(o *options) *cobra.Command {
	var types []string
	var after string
	var startBlock uint64
	var max int
	watch := &cobra.Command{
		Use:   "events",
		Short: "Stream the ledger's events (Ctrl-C to stop)",
		Long: "Streams events of committed transactions. Each line ends with the event's checkpoint;\n" +
			"pass it to --after to resume right after that event, with nothing lost or repeated.",
		Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			req := &apiv1.SubscribeRequest{Types: types, StartBlock: startBlock}
			if after != "" {
				cp, err := parseCheckpoint(after)
				if err != nil {
					return err
				}
				req.After = cp
			}
			return o.dial(func(ctx context.Context, conn *grpc.ClientConn) error {
				stream, err := apiv1.NewEventServiceClient(conn).Subscribe(ctx, req)
				if err != nil {
					return err
				}
				for n := 0; max == 0 || n < max; n++ {
					ev, err := stream.Recv()
					if err != nil {
						return err
					}
					if err := o.print(ev, func(w io.Writer) {
						fmt.Fprintf(w, "%s  %s  %s  checkpoint %d:%s\n", ev.Type, ev.TransactionId, ev.PayloadJson, ev.Checkpoint.BlockNumber, ev.Checkpoint.TransactionId)
					}); err != nil {
						return err
					}
				}
				return nil
			})
		},
	}
	watch.Flags().StringSliceVar(&types, "type", nil, `event names or prefixes ending in "." (repeatable), e.g. documents.`)
	watch.Flags().StringVar(&after, "after", "", "resume after this checkpoint, BLOCK:TRANSACTION_ID")
	watch.Flags().Uint64Var(&startBlock, "start-block", 0, "start at this block (default: the next one)")
	watch.Flags().IntVar(&max, "max", 0, "stop after this many events (0: never)")
	return watch
}

func parseCheckpoint(s string) (*apiv1.Checkpoint, error) {
	block, tx, ok := strings.Cut(s, ":")
	n, err := strconv.ParseUint(block, 10, 64)
	if !ok || err != nil || tx == "" {
		return nil, fmt.Errorf("checkpoint %q is not BLOCK:TRANSACTION_ID", s)
	}
	return &apiv1.Checkpoint{BlockNumber: n, TransactionId: tx}, nil
}
