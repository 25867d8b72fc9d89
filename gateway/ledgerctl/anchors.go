package ledgerctl

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"
	"google.golang.org/grpc"

	"github.com/civicledger/civicledger/chaincode/spec"
	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
)

func init() { commandGroups = append(commandGroups, anchorCommand) }

func anchorCommand(o *options) *cobra.Command {
	c := &cobra.Command{
		Use:   "anchor",
		Short: "Anchor many document hashes in one transaction as a Merkle root, and verify inclusion proofs",
	}
	c.AddCommand(anchorBatchCommand(o), anchorGetCommand(o), anchorVerifyCommand(o))
	return c
}

func anchorBatchCommand(o *options) *cobra.Command {
	var hashesFile, label, out, receiptFile string
	c := &cobra.Command{
		Use:   "batch (FILE... | --hashes FILE|-) --out PROOFS.jsonl [--label TEXT]",
		Short: "Anchor a batch of documents (role clerk, approver or admin) and write each one's proof",
		Long: "Anchor the SHA-256 of each FILE given, or the hashes listed in --hashes (one\n" +
			"hex SHA-256 per line, either case, - for standard input), in one ledger transaction\n" +
			"as the root of a Merkle tree. Prints the anchor and writes one JSON line per\n" +
			"document to --out, in batch order: its sha256, the root, the tree size, its\n" +
			"leaf index, its path and the transaction id (docs/proofs.md).",
		Example: "  ledgerctl anchor batch convocations/*.pdf --label 'convocations March' --out proofs.jsonl\n" +
			"  sha256sum *.pdf | cut -d' ' -f1 | ledgerctl anchor batch --hashes - --out proofs.jsonl",
		RunE: func(cmd *cobra.Command, args []string) error {
			if out == "" {
				return errors.New("--out FILE is required: the file to write each document's proof to")
			}
			hashes, err := batchHashes(cmd.InOrStdin(), args, hashesFile)
			if err != nil {
				return err
			}
			return o.dial(func(ctx context.Context, conn *grpc.ClientConn) error {
				anchor, proofs, err := anchorBatch(ctx, apiv1.NewAnchorServiceClient(conn), label, hashes)
				if err != nil {
					return err
				}
				if err := writeProofLines(out, hashes, anchor, proofs); err != nil {
					return err
				}
				if receiptFile != "" {
					if err := writeAnchorReceipt(ctx, apiv1.NewLedgerServiceClient(conn), anchor.TransactionId, receiptFile); err != nil {
						return err
					}
				}
				return o.print(anchor, func(w io.Writer) { anchorPrintBatch(w, anchor, out, receiptFile) })
			})
		},
	}
	f := c.Flags()
	f.StringVar(&hashesFile, "hashes", "", "file with one lowercase hex SHA-256 per line, - for standard input")
	f.StringVar(&label, "label", "", "label of the batch, stored on the ledger (at most 200 characters)")
	f.StringVar(&out, "out", "", "write the proofs to FILE, one JSON object per line")
	f.StringVar(&receiptFile, "receipt", "", "also write the anchoring transaction's receipt to FILE, for verification without the ledger")
	return c
}

// writeAnchorReceipt exports the receipt of the anchoring transaction.
func writeAnchorReceipt(ctx context.Context, c apiv1.LedgerServiceClient, txID, file string) error {
	resp, err := c.GetReceipt(ctx, &apiv1.GetReceiptRequest{TransactionId: txID})
	if err != nil {
		return fmt.Errorf("export the anchoring transaction's receipt: %w", err)
	}
	if err := os.WriteFile(file, resp.Receipt, 0o644); err != nil {
		return fmt.Errorf("write receipt: %w", err)
	}
	return nil
}

// batchHashes are the SHA-256 digests of files, or those listed in
// hashesFile ("-" reads stdin).
func batchHashes(stdin io.Reader, files []string, hashesFile string) ([][]byte, error) {
	switch {
	case len(files) > 0 && hashesFile != "":
		return nil, errors.New("give document files or --hashes, not both")
	case len(files) == 0 && hashesFile == "":
		return nil, errors.New("give the documents to anchor as files, or their hashes with --hashes")
	case hashesFile == "-":
		return readHashList(stdin, "standard input")
	case hashesFile != "":
		f, err := os.Open(hashesFile)
		if err != nil {
			return nil, fmt.Errorf("read hashes: %w", err)
		}
		defer f.Close()
		return readHashList(f, hashesFile)
	}
	out := make([][]byte, len(files))
	for i, name := range files {
		sum, err := hashFile(name)
		if err != nil {
			return nil, fmt.Errorf("hash document: %w", err)
		}
		out[i], _ = hex.DecodeString(sum)
	}
	return out, nil
}

func anchorGetCommand(o *options) *cobra.Command {
	return &cobra.Command{
		Use:     "get ROOT",
		Short:   "Show the anchor of a Merkle root: its tree size, who anchored it and when",
		Example: "  ledgerctl anchor get 5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
		Args:    cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			return show(o, apiv1.NewAnchorServiceClient, apiv1.AnchorServiceClient.GetAnchor,
				&apiv1.GetAnchorRequest{Root: strings.TrimSpace(args[0])}, anchorPrint)
		},
	}
}

func anchorVerifyCommand(o *options) *cobra.Command {
	var proofs, docFile, sum, root, receiptFile string
	var trust verifyFlags
	var path []string
	var index, size uint64
	c := &cobra.Command{
		Use:   "verify (--proofs PROOFS.jsonl | --root HEX --leaf-index N --tree-size N --path HEX,...) [--file DOCUMENT | --sha256 HEX]",
		Short: "Verify that a document is in an anchored batch: its proof, and the root and size on the ledger",
		Long: "Verify a document's inclusion proof: offline, the proof must lead from the\n" +
			"document's SHA-256 to the root; on the ledger, the root must be anchored with the\n" +
			"proof's tree size. With --proofs, the line of the document given by --file or\n" +
			"--sha256 is used (or the only line of the file). With --receipt (the anchoring\n" +
			"transaction's receipt, from anchor batch --receipt or receipt export) and\n" +
			"--trust, the ledger check is made offline against the receipt: no gateway is called.\n" +
			"Exits 0 when the inclusion is proved, 1 when it is not (ledgerctl --help).",
		Example: "  ledgerctl anchor verify --proofs proofs.jsonl --file convocation-17.pdf\n" +
			"  ledgerctl anchor verify --proofs proofs.jsonl --file convocation-17.pdf --receipt anchor-receipt.json --trust trust.json\n" +
			"  ledgerctl anchor verify --sha256 <hex> --root <hex> --leaf-index 5 --tree-size 8 --path <hex>,<hex>,<hex>",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if docFile != "" {
				if sum != "" {
					return errors.New("give --file or --sha256, not both")
				}
				var err error
				if sum, err = hashFile(docFile); err != nil {
					return fmt.Errorf("hash document: %w", err)
				}
			} else if sum != "" {
				lower, err := spec.NormalizeHex64(sum)
				if err != nil {
					return fmt.Errorf("--sha256: %w", err)
				}
				sum = lower
			}
			line, err := verifyProofLine(cmd, proofs, sum, proofLine{Root: root, Size: size, LeafIndex: index, Path: path, SHA256: sum})
			if err != nil {
				return err
			}
			if receiptFile != "" {
				resp, err := verifyInclusionOffline(line, receiptFile, trust)
				if err != nil {
					return err
				}
				if err := o.print(resp, func(w io.Writer) { anchorPrintVerdict(w, resp) }); err != nil {
					return err
				}
				return inclusionVerdict(resp)
			}
			if trust.trustFile != "" {
				return errors.New("--trust goes with --receipt, for a verification without the ledger")
			}
			req, err := line.request()
			if err != nil {
				return err
			}
			return judge(o, apiv1.NewAnchorServiceClient, apiv1.AnchorServiceClient.VerifyInclusion, req, anchorPrintVerdict, inclusionVerdict)
		},
	}
	f := c.Flags()
	f.StringVar(&proofs, "proofs", "", "a proofs file written by anchor batch")
	f.StringVar(&docFile, "file", "", "the document, hashed with SHA-256")
	f.StringVar(&sum, "sha256", "", "the document's SHA-256, in lowercase hex")
	f.StringVar(&root, "root", "", "the Merkle root, in hex")
	f.Uint64Var(&index, "leaf-index", 0, "the document's 0-based position in the batch")
	f.Uint64Var(&size, "tree-size", 0, "the number of documents in the batch")
	f.StringSliceVar(&path, "path", nil, "the proof's path hashes in hex, nearest the leaf first")
	f.StringVar(&receiptFile, "receipt", "", "the anchoring transaction's receipt: verify offline, without the ledger")
	f.StringVar(&trust.trustFile, "trust", "", "with --receipt: the trust file from `ledgerctl receipt trust`")
	return c
}

// verifyProofLine is the proof to verify: a line of the proofs file, or the
// one the flags describe.
func verifyProofLine(cmd *cobra.Command, proofsFile, sum string, flags proofLine) (proofLine, error) {
	byFlags := cmd.Flags().Changed("root") || cmd.Flags().Changed("leaf-index") || cmd.Flags().Changed("tree-size") || cmd.Flags().Changed("path")
	switch {
	case proofsFile != "" && byFlags:
		return proofLine{}, errors.New("give --proofs or the proof's flags (--root, --leaf-index, --tree-size, --path), not both")
	case proofsFile != "":
		return findProofLine(proofsFile, sum)
	case !byFlags:
		return proofLine{}, errors.New("give the proof: --proofs FILE, or --root, --leaf-index, --tree-size and --path")
	case sum == "":
		return proofLine{}, errors.New("give the document with --file or --sha256")
	}
	return flags, nil
}
