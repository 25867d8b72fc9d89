package ledgerctl

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
)

func init() { commandGroups = append(commandGroups, ledgerCommands) }

func ledgerCommands(o *options) *cobra.Command {
	cmd := &cobra.Command{Use: "ledger", Short: "Transactions, blocks and the chain itself"}
	tx := &cobra.Command{
		Use: "tx TRANSACTION_ID", Short: "Show a committed transaction and its validation code", Args: cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			return show(o, apiv1.NewLedgerServiceClient, apiv1.LedgerServiceClient.GetTransaction,
				&apiv1.GetTransactionRequest{TransactionId: args[0]},
				func(w io.Writer, t *apiv1.Transaction) {
					creator := t.CreatorMspId
					if t.CreatorId != "" {
						creator += " (" + t.CreatorId + ")"
					}
					fmt.Fprintf(w, "transaction %s\n  block      %d\n  validation %s\n  function   %s\n  creator    %s\n  endorsers  %s\n  time       %s\n",
						t.TransactionId, t.BlockNumber, t.ValidationCode, t.Function, creator, strings.Join(t.Endorsers, ", "), t.Timestamp)
				})
		},
	}
	block := &cobra.Command{
		Use: "block NUMBER", Short: "Show a block's header and transactions", Args: cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			n, err := strconv.ParseUint(args[0], 10, 64)
			if err != nil {
				return fmt.Errorf("block number %q is not a whole number", args[0])
			}
			return show(o, apiv1.NewLedgerServiceClient, apiv1.LedgerServiceClient.GetBlock,
				&apiv1.GetBlockRequest{Number: n},
				func(w io.Writer, b *apiv1.Block) {
					fmt.Fprintf(w, "block %d (previous hash %x)\n", b.Number, b.PreviousHash)
					for _, t := range b.Transactions {
						fmt.Fprintf(w, "  %s  %s\n", t.TransactionId, t.ValidationCode)
					}
				})
		},
	}
	info := &cobra.Command{
		Use: "info", Short: "Show the chain's height", Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			return show(o, apiv1.NewLedgerServiceClient, apiv1.LedgerServiceClient.GetChainInfo,
				&apiv1.GetChainInfoRequest{},
				func(w io.Writer, i *apiv1.ChainInfo) {
					fmt.Fprintf(w, "height %d, current block hash %x\n", i.Height, i.CurrentBlockHash)
				})
		},
	}
	history := &cobra.Command{
		Use:   "history KIND KEY_PART...",
		Short: "Show every version of a record (kinds: profile, document, body, meeting, convocation, programme, grant, permission)",
		Example: "  ledgerctl ledger history document RegistryMSP EXT-1\n" +
			"  ledgerctl ledger history grant RegistryMSP PROG-1 G-7",
		Args: cobra.MinimumNArgs(2),
		RunE: func(_ *cobra.Command, args []string) error {
			kind, ok := apiv1.RecordKind_value["RECORD_KIND_"+strings.ToUpper(args[0])]
			if !ok || kind == 0 {
				return fmt.Errorf("unknown record kind %q", args[0])
			}
			return show(o, apiv1.NewLedgerServiceClient, apiv1.LedgerServiceClient.GetRecordHistory,
				&apiv1.GetRecordHistoryRequest{Kind: apiv1.RecordKind(kind), Key: args[1:]},
				func(w io.Writer, resp *apiv1.GetRecordHistoryResponse) {
					for _, v := range resp.Versions {
						if v.Deleted {
							fmt.Fprintf(w, "%s  %s  (deleted)\n", v.Timestamp, v.TransactionId)
							continue
						}
						fmt.Fprintf(w, "%s  %s  %s\n", v.Timestamp, v.TransactionId, v.ValueJson)
					}
				})
		},
	}
	// Every kind's key starts with an administration (ISSUER, OWNER, GRANTING_MSP…).
	cmd.AddCommand(tx, block, info, o.adminArgs(history, 1))
	return cmd
}
