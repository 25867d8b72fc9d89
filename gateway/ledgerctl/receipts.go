package ledgerctl

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
	"github.com/civicledger/civicledger/gateway/proofs/receipt"
)

func init() { commandGroups = append(commandGroups, receiptCommands) }

func receiptCommands(o *options) *cobra.Command {
	c := &cobra.Command{
		Use:   "receipt",
		Short: "Export a transaction as a receipt anyone can verify offline, and verify one",
	}
	c.AddCommand(receiptExportCommand(o), receiptTrustCommand(o), receiptVerifyCommand(o))
	return c
}

func receiptExportCommand(o *options) *cobra.Command {
	var out string
	c := &cobra.Command{
		Use:   "export TRANSACTION_ID --out FILE",
		Short: "Write the receipt of a committed transaction to FILE",
		Long: "Write the receipt of a committed transaction to FILE, after the gateway has\n" +
			"verified it against its own ledger. A receipt that does not verify is not\n" +
			"written (FILE is left as it was): the command prints the failed checks and\n" +
			"exits with an error.",
		Example: "  ledgerctl receipt export 0148a8da… --out receipt.json",
		Args:    cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			if out == "" {
				return errors.New("--out FILE is required")
			}
			return call(o, apiv1.NewLedgerServiceClient, func(ctx context.Context, c apiv1.LedgerServiceClient) error {
				resp, err := c.GetReceipt(ctx, &apiv1.GetReceiptRequest{TransactionId: args[0]})
				if err != nil {
					return err
				}
				if !resp.Valid {
					// A receipt that fails against its own ledger would mislead
					// whoever receives it: show why, and write nothing.
					if err := o.print(resp, func(w io.Writer) { receiptPrintExported(w, resp, "") }); err != nil {
						return err
					}
					return errReceiptInvalid(args[0], resp, out)
				}
				if err := os.WriteFile(out, resp.Receipt, 0o644); err != nil {
					return fmt.Errorf("write receipt: %w", err)
				}
				return o.print(resp, func(w io.Writer) { receiptPrintExported(w, resp, out) })
			})
		},
	}
	c.Flags().StringVar(&out, "out", "", "file to write the receipt to")
	return c
}

// errReceiptInvalid is the error of an export whose receipt does not
// verify; it names the first failed check.
func errReceiptInvalid(txID string, resp *apiv1.GetReceiptResponse, out string) error {
	for _, c := range resp.Checks {
		if !c.Ok {
			return fmt.Errorf("the receipt of transaction %s does not verify against this ledger (%s: %s); nothing was written to %s", txID, c.Name, c.Detail, out)
		}
	}
	return fmt.Errorf("the receipt of transaction %s does not verify against this ledger; nothing was written to %s", txID, out)
}

func receiptTrustCommand(o *options) *cobra.Command {
	var out string
	c := &cobra.Command{
		Use:   "trust --out FILE",
		Short: "Write the trust file (the channel's configuration blocks by hash) that receipts verify against",
		Long: "Write the trust file that receipts verify against. Get it once from your own\n" +
			"administration (or compare it across administrations) and give it to whoever\n" +
			"verifies receipts: it is public and holds no secret.",
		Args: cobra.NoArgs,
		RunE: func(_ *cobra.Command, _ []string) error {
			if out == "" {
				return errors.New("--out FILE is required")
			}
			return call(o, apiv1.NewLedgerServiceClient, func(ctx context.Context, c apiv1.LedgerServiceClient) error {
				resp, err := c.GetTrust(ctx, &apiv1.GetTrustRequest{})
				if err != nil {
					return err
				}
				if err := os.WriteFile(out, resp.Trust, 0o644); err != nil {
					return fmt.Errorf("write trust file: %w", err)
				}
				return o.print(resp, func(w io.Writer) { receiptPrintTrust(w, resp, out) })
			})
		},
	}
	c.Flags().StringVar(&out, "out", "", "file to write the trust file to")
	return c
}

// verifyFlags are the options of `receipt verify`.
type verifyFlags struct {
	trustFile, configHash, channel string
	expectKey, expectValue         string
}

func receiptVerifyCommand(o *options) *cobra.Command {
	var v verifyFlags
	c := &cobra.Command{
		Use:   "verify RECEIPT_FILE (--trust FILE | --config-hash HEX --channel NAME) [--expect KEY] [--expect-value TEXT]",
		Short: "Verify a receipt offline, without any gateway",
		Long: "Verify a receipt offline: the submitter's and endorsers' signatures and\n" +
			"certificates, the channel's endorsement policy, the transaction's place in its\n" +
			"block, the orderer's signature of the block and its configuration, which must be\n" +
			"one the trust file lists. With --expect, the transaction must have written KEY\n" +
			"(shown as type/part/part, as in the write list); with --expect-value, that\n" +
			"write's value (or, without --expect, any write's value) must contain TEXT.\n" +
			"Exits with an error naming the first failed check.",
		Example: "  ledgerctl receipt verify receipt.json --trust trust.json --expect document/RegistryMSP/EXT-1 --expect-value 9f86d0…",
		Args:    cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			rep, err := verifyReceiptFile(args[0], v)
			if err != nil {
				return err
			}
			if o.json {
				b, err := json.MarshalIndent(rep, "", "  ")
				if err != nil {
					return err
				}
				fmt.Fprintln(o.out, string(b))
			} else {
				receiptPrintReport(o.out, rep)
			}
			if err := rep.Err(); err != nil {
				return asVerdict(err)
			}
			return asVerdict(expectWrite(rep, v.expectKey, v.expectValue))
		},
	}
	f := c.Flags()
	f.StringVar(&v.trustFile, "trust", "", "trust file from `ledgerctl receipt trust`")
	f.StringVar(&v.configHash, "config-hash", "", "instead of --trust: the trusted configuration block's header hash (hex)")
	f.StringVar(&v.channel, "channel", "", "with --config-hash: the channel's name")
	f.StringVar(&v.expectKey, "expect", "", "a key the transaction must have written, e.g. document/RegistryMSP/EXT-1")
	f.StringVar(&v.expectValue, "expect-value", "", "text the written value must contain, e.g. a document's SHA-256")
	return c
}

// verifyReceiptFile reads, parses and verifies a receipt file against the
// trust the flags name; the report says which checks failed.
func verifyReceiptFile(path string, v verifyFlags) (*receipt.Report, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read receipt: %w", err)
	}
	rc, err := receipt.Parse(data)
	if err != nil {
		return nil, err
	}
	trust, err := loadTrust(v, rc)
	if err != nil {
		return nil, err
	}
	return receipt.Verify(rc, trust), nil
}

// loadTrust reads the trust file, or builds a one-entry trust from
// --config-hash; the entry's block number is taken from the receipt's
// configuration block, whose hash must still match.
func loadTrust(v verifyFlags, rc *receipt.Receipt) (*receipt.Trust, error) {
	switch {
	case v.trustFile != "" && v.configHash != "":
		return nil, errors.New("give --trust or --config-hash, not both")
	case v.trustFile != "":
		data, err := os.ReadFile(v.trustFile)
		if err != nil {
			return nil, fmt.Errorf("read trust file: %w", err)
		}
		return receipt.ParseTrust(data)
	case v.configHash != "":
		if b, err := hex.DecodeString(v.configHash); err != nil || len(b) != 32 {
			return nil, errors.New("--config-hash must be 64 hex digits")
		}
		if v.channel == "" {
			return nil, errors.New("--config-hash needs --channel")
		}
		number := uint64(0) // an unusable configuration block fails its own check in Verify
		if cfg, err := receipt.ParseConfigBlock(rc.ConfigBlock); err == nil {
			number = cfg.BlockNumber
		}
		return &receipt.Trust{Channel: v.channel, Configurations: []receipt.TrustedConfig{{BlockNumber: number, HeaderSHA256: strings.ToLower(v.configHash)}}}, nil
	default:
		return nil, errors.New("give --trust FILE (from `ledgerctl receipt trust`) or --config-hash HEX --channel NAME: a receipt proves nothing without a trusted configuration")
	}
}

// expectWrite checks that the verified transaction wrote key (display form)
// with a value containing value.
func expectWrite(rep *receipt.Report, key, value string) error {
	if key == "" && value == "" {
		return nil
	}
	for _, w := range rep.Writes {
		if (key == "" || receipt.DisplayKey(w.Key) == key) && strings.Contains(string(w.Value), value) {
			return nil
		}
	}
	switch {
	case key == "":
		return fmt.Errorf("no value written by transaction %s contains %q", rep.TransactionID, value)
	case value == "":
		return fmt.Errorf("transaction %s did not write %s", rep.TransactionID, key)
	default:
		return fmt.Errorf("transaction %s did not write %s with a value containing %q", rep.TransactionID, key, value)
	}
}
