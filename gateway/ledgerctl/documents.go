package ledgerctl

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"
	"google.golang.org/grpc"

	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
)

func init() { commandGroups = append(commandGroups, documentsCommands) }

func documentsCommands(o *options) *cobra.Command {
	cmd := &cobra.Command{Use: "documents", Short: "The register of certified documents"}
	cmd.AddCommand(documentsRegister(o), documentsSetSubject(o), documentsRevoke(o), documentsSupersede(o),
		documentsPurgeSubject(o), documentsGet(o), documentsVerify(o), documentsVerifyHash(o),
		documentsList(o), documentsHistory(o), documentsGetSubject(o))
	return cmd
}

// documentsCall dials the gateway and runs f with a DocumentsService client.
func documentsCall(o *options, f func(context.Context, apiv1.DocumentsServiceClient) error) error {
	return o.dial(func(ctx context.Context, conn *grpc.ClientConn) error {
		return f(ctx, apiv1.NewDocumentsServiceClient(conn))
	})
}

func documentsRegister(o *options) *cobra.Command {
	var req apiv1.RegisterDocumentRequest
	var request, docType, file string
	var facts []string
	c := &cobra.Command{
		Use:   "register",
		Short: "Register a document of your administration (role clerk or admin)",
		Long: "Register a document of your administration. Give its hash with --sha256, or let\n" +
			"ledgerctl compute it with --file. Field flags override a --request.\n" +
			"Send the subject's personal data afterwards with `documents set-subject`.",
		Example: "  ledgerctl documents register --id EXT-2024-0001 --type debt-extract --file extract.pdf \\\n" +
			"    --fact proceedings=3 --fact totalAmount='CHF 1234.50' --valid-until 2025-01-01T00:00:00Z \\\n" +
			"    --subject-ref 2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var r apiv1.RegisterDocumentRequest
			if request != "" {
				if err := readJSONArg(request, &r); err != nil {
					return err
				}
			}
			if err := documentsRegistrationFlags(cmd, &r, &req, docType, file, facts); err != nil {
				return err
			}
			return documentsCall(o, func(ctx context.Context, c apiv1.DocumentsServiceClient) error {
				resp, err := c.RegisterDocument(ctx, &r)
				if err != nil {
					return err
				}
				return o.print(resp, func(w io.Writer) {
					fmt.Fprintf(w, "registered %s/%s\n", resp.Document.Issuer, resp.Document.Id)
					documentsPrintOne(w, resp.Document)
					documentsPrintCommitted(w, resp.Committed)
				})
			})
		},
	}
	f := c.Flags()
	f.StringVar(&request, "request", "", "the RegisterDocumentRequest as JSON, @file or - for stdin")
	f.StringVar(&req.Id, "id", "", "id of the document, unique within your administration")
	f.StringVar(&docType, "type", "", "debt-extract, permit, civil-status, certificate or other")
	f.StringVar(&req.Sha256, "sha256", "", "SHA-256 of the document's bytes, in hex")
	f.StringVar(&file, "file", "", "the document file, to compute its SHA-256")
	f.StringArrayVar(&facts, "fact", nil, "a public key fact NAME=VALUE (repeatable; no personal data)")
	f.StringVar(&req.ValidFrom, "valid-from", "", "RFC 3339 start of validity (default: now)")
	f.StringVar(&req.ValidUntil, "valid-until", "", "RFC 3339 end of validity, excluded (default: never expires)")
	f.StringVar(&req.SubjectRef, "subject-ref", "", "salted SHA-256 of the subject, in hex")
	return c
}

// documentsRegistrationFlags lays the flags that were set over r, hashes
// --file and defaults the start of validity to now.
func documentsRegistrationFlags(cmd *cobra.Command, r, flags *apiv1.RegisterDocumentRequest, docType, file string, facts []string) error {
	set := cmd.Flags().Changed
	for name, pair := range map[string][2]*string{
		"id": {&r.Id, &flags.Id}, "sha256": {&r.Sha256, &flags.Sha256}, "valid-from": {&r.ValidFrom, &flags.ValidFrom},
		"valid-until": {&r.ValidUntil, &flags.ValidUntil}, "subject-ref": {&r.SubjectRef, &flags.SubjectRef},
	} {
		if set(name) {
			*pair[0] = *pair[1]
		}
	}
	if len(facts) > 0 {
		r.KeyFacts = map[string]string{}
		for _, f := range facts {
			name, value, ok := strings.Cut(f, "=")
			if !ok {
				return fmt.Errorf("--fact %q: want NAME=VALUE", f)
			}
			r.KeyFacts[name] = value
		}
	}
	if set("type") {
		t, err := documentsParseType(docType)
		if err != nil {
			return err
		}
		r.Type = t
	}
	if file != "" {
		sum, err := documentsHashFile(file)
		if err != nil {
			return err
		}
		if r.Sha256 != "" && !strings.EqualFold(r.Sha256, sum) {
			return fmt.Errorf("--sha256 %s is not the SHA-256 of %s (%s)", r.Sha256, file, sum)
		}
		r.Sha256 = sum
	}
	if r.ValidFrom == "" {
		r.ValidFrom = time.Now().UTC().Format(time.RFC3339)
	}
	return nil
}

func documentsSetSubject(o *options) *cobra.Command {
	var subject string
	c := &cobra.Command{
		Use:   "set-subject ID --subject JSON|@file|-",
		Short: "Store the subject's personal data of one of your documents (role clerk or admin)",
		Long: "Store the subject's personal data in your administration's private collection: a JSON\n" +
			"object with a non-empty \"salt\". It travels as transient data, endorsed by your own peers only.",
		Example: `  ledgerctl documents set-subject EXT-2024-0001 --subject @subject.json`,
		Args:    cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			data, err := documentsReadArg(subject)
			if err != nil {
				return err
			}
			return documentsCall(o, func(ctx context.Context, c apiv1.DocumentsServiceClient) error {
				resp, err := c.SetDocumentSubject(ctx, &apiv1.SetDocumentSubjectRequest{Id: args[0], SubjectJson: data})
				if err != nil {
					return err
				}
				return o.print(resp, func(w io.Writer) {
					fmt.Fprintf(w, "subject data of %s stored\n", args[0])
					documentsPrintCommitted(w, resp.Committed)
				})
			})
		},
	}
	c.Flags().StringVar(&subject, "subject", "", "the subject data: JSON, @file or - for stdin (required)")
	_ = c.MarkFlagRequired("subject")
	return c
}

func documentsRevoke(o *options) *cobra.Command {
	var reason string
	c := &cobra.Command{
		Use: "revoke ID --reason TEXT", Short: "Revoke one of your documents (role approver or admin)", Args: cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			return documentsCall(o, func(ctx context.Context, c apiv1.DocumentsServiceClient) error {
				resp, err := c.RevokeDocument(ctx, &apiv1.RevokeDocumentRequest{Id: args[0], Reason: reason})
				if err != nil {
					return err
				}
				return o.print(resp, func(w io.Writer) {
					fmt.Fprintf(w, "revoked %s/%s: %s\n", resp.Document.Issuer, resp.Document.Id, resp.Document.RevokedReason)
					documentsPrintCommitted(w, resp.Committed)
				})
			})
		},
	}
	c.Flags().StringVar(&reason, "reason", "", "why, shown publicly (required)")
	_ = c.MarkFlagRequired("reason")
	return c
}

func documentsSupersede(o *options) *cobra.Command {
	return &cobra.Command{
		Use: "supersede ID NEW_ID", Short: "Replace one of your documents by a newer one (role approver or admin)", Args: cobra.ExactArgs(2),
		RunE: func(_ *cobra.Command, args []string) error {
			return documentsCall(o, func(ctx context.Context, c apiv1.DocumentsServiceClient) error {
				resp, err := c.SupersedeDocument(ctx, &apiv1.SupersedeDocumentRequest{Id: args[0], NewId: args[1]})
				if err != nil {
					return err
				}
				return o.print(resp, func(w io.Writer) {
					fmt.Fprintf(w, "%s/%s superseded by %s\n", resp.Document.Issuer, resp.Document.Id, resp.Document.SupersededBy)
					documentsPrintCommitted(w, resp.Committed)
				})
			})
		},
	}
}

func documentsPurgeSubject(o *options) *cobra.Command {
	return &cobra.Command{
		Use: "purge-subject ID", Short: "Erase the subject's personal data of one of your documents from every peer (role admin)", Args: cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			return documentsCall(o, func(ctx context.Context, c apiv1.DocumentsServiceClient) error {
				resp, err := c.PurgeDocumentSubject(ctx, &apiv1.PurgeDocumentSubjectRequest{Id: args[0]})
				if err != nil {
					return err
				}
				return o.print(resp, func(w io.Writer) {
					fmt.Fprintf(w, "subject data of %s purged; the public record stays verifiable\n", args[0])
					documentsPrintCommitted(w, resp.Committed)
				})
			})
		},
	}
}

func documentsGet(o *options) *cobra.Command {
	var issuer string
	c := &cobra.Command{
		Use: "get ID [--issuer MSP_ID]", Short: "Show a document's public record", Args: cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			return documentsCall(o, func(ctx context.Context, c apiv1.DocumentsServiceClient) error {
				doc, err := c.GetDocument(ctx, &apiv1.GetDocumentRequest{Issuer: issuer, Id: args[0]})
				if err != nil {
					return err
				}
				return o.print(doc, func(w io.Writer) {
					fmt.Fprintf(w, "%s/%s\n", doc.Issuer, doc.Id)
					documentsPrintOne(w, doc)
				})
			})
		},
	}
	documentsIssuerFlag(c, &issuer)
	return c
}

func documentsVerify(o *options) *cobra.Command {
	var issuer string
	c := &cobra.Command{
		Use: "verify ID [--issuer MSP_ID]", Short: "Say whether a document is valid now", Args: cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			return documentsCall(o, func(ctx context.Context, c apiv1.DocumentsServiceClient) error {
				resp, err := c.VerifyDocument(ctx, &apiv1.VerifyDocumentRequest{Issuer: issuer, Id: args[0]})
				if err != nil {
					return err
				}
				return o.print(resp, func(w io.Writer) { documentsPrintVerdicts(w, resp.Verdict) })
			})
		},
	}
	documentsIssuerFlag(c, &issuer)
	return c
}

func documentsVerifyHash(o *options) *cobra.Command {
	var file string
	c := &cobra.Command{
		Use: "verify-hash {SHA256 | --file PATH}", Short: "Verify every document with these bytes", Args: cobra.MaximumNArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			var sum string
			switch {
			case len(args) == 1 && file == "":
				sum = args[0]
			case len(args) == 0 && file != "":
				var err error
				if sum, err = documentsHashFile(file); err != nil {
					return err
				}
			default:
				return fmt.Errorf("give either a SHA-256 or --file")
			}
			return documentsCall(o, func(ctx context.Context, c apiv1.DocumentsServiceClient) error {
				resp, err := c.VerifyDocumentHash(ctx, &apiv1.VerifyDocumentHashRequest{Sha256: sum})
				if err != nil {
					return err
				}
				return o.print(resp, func(w io.Writer) { documentsPrintVerdicts(w, resp.Verdicts...) })
			})
		},
	}
	c.Flags().StringVar(&file, "file", "", "the document file, to compute its SHA-256")
	return c
}

func documentsList(o *options) *cobra.Command {
	var req apiv1.ListDocumentsRequest
	var docType string
	c := &cobra.Command{
		Use: "list [--issuer MSP_ID] [--type TYPE]", Short: "List an administration's documents, one page at a time", Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			if docType != "" {
				t, err := documentsParseType(docType)
				if err != nil {
					return err
				}
				req.Type = t
			}
			return documentsCall(o, func(ctx context.Context, c apiv1.DocumentsServiceClient) error {
				resp, err := c.ListDocuments(ctx, &req)
				if err != nil {
					return err
				}
				return o.print(resp, func(w io.Writer) {
					tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
					fmt.Fprintln(tw, "ISSUER/ID\tTYPE\tSTATUS\tVALID FROM\tVALID UNTIL\tSHA-256")
					for _, d := range resp.Documents {
						fmt.Fprintf(tw, "%s/%s\t%s\t%s\t%s\t%s\t%s…\n", d.Issuer, d.Id, documentsTypeName(d.Type),
							documentsStatusName(d.Status), d.ValidFrom, documentsOr(d.ValidUntil, "-"), d.Sha256[:min(12, len(d.Sha256))])
					}
					tw.Flush()
					if resp.NextPageToken != "" {
						fmt.Fprintf(w, "more: --page-token %s\n", resp.NextPageToken)
					}
				})
			})
		},
	}
	documentsIssuerFlag(c, &req.Issuer)
	c.Flags().StringVar(&docType, "type", "", "only documents of this type")
	c.Flags().Int32Var(&req.PageSize, "page-size", 0, "documents per page, 1 to 100 (default 20)")
	c.Flags().StringVar(&req.PageToken, "page-token", "", "the token printed by the previous page")
	return c
}

func documentsHistory(o *options) *cobra.Command {
	var issuer string
	c := &cobra.Command{
		Use: "history ID [--issuer MSP_ID]", Short: "Show every committed version of a document, newest first", Args: cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			return documentsCall(o, func(ctx context.Context, c apiv1.DocumentsServiceClient) error {
				resp, err := c.GetDocumentHistory(ctx, &apiv1.GetDocumentHistoryRequest{Issuer: issuer, Id: args[0]})
				if err != nil {
					return err
				}
				return o.print(resp, func(w io.Writer) {
					tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
					fmt.Fprintln(tw, "TIME\tTRANSACTION\tSTATUS")
					for _, v := range resp.Versions {
						st := "deleted"
						if v.Document != nil {
							st = documentsStatusName(v.Document.Status)
						}
						fmt.Fprintf(tw, "%s\t%s\t%s\n", v.Timestamp, v.TransactionId, st)
					}
					tw.Flush()
				})
			})
		},
	}
	documentsIssuerFlag(c, &issuer)
	return c
}

func documentsGetSubject(o *options) *cobra.Command {
	return &cobra.Command{
		Use: "get-subject ID", Short: "Print the subject's personal data of one of your documents", Args: cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			return documentsCall(o, func(ctx context.Context, c apiv1.DocumentsServiceClient) error {
				resp, err := c.GetDocumentSubject(ctx, &apiv1.GetDocumentSubjectRequest{Id: args[0]})
				if err != nil {
					return err
				}
				return o.print(resp, func(w io.Writer) { fmt.Fprintln(w, resp.SubjectJson) })
			})
		},
	}
}

func documentsIssuerFlag(c *cobra.Command, issuer *string) {
	c.Flags().StringVar(issuer, "issuer", "", "MSP ID of the issuing administration (default: yours)")
}

func documentsPrintOne(w io.Writer, d *apiv1.Document) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "  type\t%s\n", documentsTypeName(d.Type))
	fmt.Fprintf(tw, "  status\t%s\n", documentsStatusDetail(d.Status, d.RevokedReason, d.SupersededBy))
	fmt.Fprintf(tw, "  sha256\t%s\n", d.Sha256)
	fmt.Fprintf(tw, "  valid\t%s to %s\n", d.ValidFrom, documentsOr(d.ValidUntil, "(no end)"))
	fmt.Fprintf(tw, "  subject ref\t%s\n", d.SubjectRef)
	names := make([]string, 0, len(d.KeyFacts))
	for k := range d.KeyFacts {
		names = append(names, k)
	}
	slices.Sort(names)
	for _, k := range names {
		fmt.Fprintf(tw, "  fact %s\t%s\n", k, d.KeyFacts[k])
	}
	fmt.Fprintf(tw, "  registered\t%s\n", d.RegisteredAt)
	if d.StatusChangedAt != "" {
		fmt.Fprintf(tw, "  status changed\t%s\n", d.StatusChangedAt)
	}
	tw.Flush()
}

func documentsPrintVerdicts(w io.Writer, verdicts ...*apiv1.DocumentVerdict) {
	for _, v := range verdicts {
		st := documentsStatusDetail(v.Status, v.RevokedReason, v.SupersededBy)
		if v.Status == apiv1.DocumentStatus_DOCUMENT_STATUS_UNKNOWN {
			fmt.Fprintf(w, "%s: %s (checked at %s)\n", st, documentsOr(strings.Trim(v.Issuer+"/"+v.Id, "/"), v.Sha256), v.CheckedAt)
			continue
		}
		fmt.Fprintf(w, "%s: %s/%s %s, valid %s to %s (checked at %s)\n", st, v.Issuer, v.Id, documentsTypeName(v.Type),
			v.ValidFrom, documentsOr(v.ValidUntil, "(no end)"), v.CheckedAt)
	}
}

func documentsPrintCommitted(w io.Writer, c *apiv1.Committed) {
	fmt.Fprintf(w, "transaction %s (block %d)\n", c.TransactionId, c.BlockNumber)
}

func documentsStatusDetail(s apiv1.DocumentStatus, reason, by string) string {
	switch {
	case s == apiv1.DocumentStatus_DOCUMENT_STATUS_REVOKED && reason != "":
		return fmt.Sprintf("revoked (%s)", reason)
	case s == apiv1.DocumentStatus_DOCUMENT_STATUS_SUPERSEDED && by != "":
		return "superseded by " + by
	}
	return documentsStatusName(s)
}

// documentsStatusName and documentsTypeName print an enum value as the
// chaincode names it: DOCUMENT_STATUS_NOT_YET_VALID is "not-yet-valid".
func documentsStatusName(s apiv1.DocumentStatus) string {
	return documentsEnumName(s.String(), "DOCUMENT_STATUS_")
}

func documentsTypeName(t apiv1.DocumentType) string {
	return documentsEnumName(t.String(), "DOCUMENT_TYPE_")
}

func documentsEnumName(name, prefix string) string {
	return strings.ReplaceAll(strings.ToLower(strings.TrimPrefix(name, prefix)), "_", "-")
}

// documentsParseType reads "debt-extract" (or DOCUMENT_TYPE_DEBT_EXTRACT).
func documentsParseType(s string) (apiv1.DocumentType, error) {
	name := strings.ToUpper(strings.ReplaceAll(s, "-", "_"))
	if !strings.HasPrefix(name, "DOCUMENT_TYPE_") {
		name = "DOCUMENT_TYPE_" + name
	}
	v, ok := apiv1.DocumentType_value[name]
	if !ok || v == 0 {
		return 0, fmt.Errorf("unknown document type %q: debt-extract, permit, civil-status, certificate or other", s)
	}
	return apiv1.DocumentType(v), nil
}

// documentsHashFile is the hex SHA-256 of a file's bytes.
func documentsHashFile(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("hash %s: %w", path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// documentsReadArg reads a value given inline, as @file or as - for stdin.
func documentsReadArg(arg string) (string, error) {
	switch {
	case arg == "-":
		b, err := io.ReadAll(os.Stdin)
		return string(b), err
	case strings.HasPrefix(arg, "@"):
		b, err := os.ReadFile(arg[1:])
		return string(b), err
	}
	return arg, nil
}

func documentsOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
