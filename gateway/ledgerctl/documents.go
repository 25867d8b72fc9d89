package ledgerctl

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
)

func init() { commandGroups = append(commandGroups, documentsCommands) }

func documentsCommands(o *options) *cobra.Command {
	cmd := &cobra.Command{Use: "documents", Short: "The register of certified documents"}
	cmd.AddCommand(documentsRegister(o), documentsImport(o), documentsSetSubject(o), documentsRevoke(o), documentsSupersede(o),
		documentsPurgeSubject(o), documentsGet(o), documentsVerify(o), documentsVerifyHash(o),
		documentsList(o), documentsHistory(o), documentsGetSubject(o))
	return cmd
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
			return show(o, apiv1.NewDocumentsServiceClient, apiv1.DocumentsServiceClient.RegisterDocument, &r,
				func(w io.Writer, resp *apiv1.RegisterDocumentResponse) {
					fmt.Fprintf(w, "registered %s/%s\n", resp.Document.Issuer, resp.Document.Id)
					documentsPrintOne(w, resp.Document)
					printCommitted(w, resp.Committed)
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
			data, err := readArg(subject)
			if err != nil {
				return err
			}
			return show(o, apiv1.NewDocumentsServiceClient, apiv1.DocumentsServiceClient.SetDocumentSubject,
				&apiv1.SetDocumentSubjectRequest{Id: args[0], SubjectJson: string(data)},
				func(w io.Writer, resp *apiv1.SetDocumentSubjectResponse) {
					fmt.Fprintf(w, "subject data of %s stored\n", args[0])
					printCommitted(w, resp.Committed)
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
			return show(o, apiv1.NewDocumentsServiceClient, apiv1.DocumentsServiceClient.RevokeDocument,
				&apiv1.RevokeDocumentRequest{Id: args[0], Reason: reason},
				func(w io.Writer, resp *apiv1.RevokeDocumentResponse) {
					fmt.Fprintf(w, "revoked %s/%s: %s\n", resp.Document.Issuer, resp.Document.Id, resp.Document.RevokedReason)
					printCommitted(w, resp.Committed)
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
			return show(o, apiv1.NewDocumentsServiceClient, apiv1.DocumentsServiceClient.SupersedeDocument,
				&apiv1.SupersedeDocumentRequest{Id: args[0], NewId: args[1]},
				func(w io.Writer, resp *apiv1.SupersedeDocumentResponse) {
					fmt.Fprintf(w, "%s/%s superseded by %s\n", resp.Document.Issuer, resp.Document.Id, resp.Document.SupersededBy)
					printCommitted(w, resp.Committed)
				})
		},
	}
}

func documentsPurgeSubject(o *options) *cobra.Command {
	return &cobra.Command{
		Use: "purge-subject ID", Short: "Purge the subject's personal data of one of your documents from the ledger (role admin)",
		Long: "Purge the subject's personal data of one of your documents (Fabric private data\n" +
			"purge). Once the transaction commits, no peer returns the data through any\n" +
			"API: not to the chaincode, not as a hash in the state, not with the block that\n" +
			"wrote it. The public record, its subject reference and the hash of the purged\n" +
			"value in the block stay, so the document still verifies.\n\n" +
			"This is not physical erasure: the bytes stay in the peers' LevelDB files\n" +
			"(state and private data stores) until LevelDB compacts them, and in any backup\n" +
			"of a peer's disk. docs/operations.md (Erasure) says what an operator can do.",
		Args: cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			return show(o, apiv1.NewDocumentsServiceClient, apiv1.DocumentsServiceClient.PurgeDocumentSubject,
				&apiv1.PurgeDocumentSubjectRequest{Id: args[0]},
				func(w io.Writer, resp *apiv1.PurgeDocumentSubjectResponse) {
					fmt.Fprintf(w, "subject data of %s purged; the public record stays verifiable\n", args[0])
					printCommitted(w, resp.Committed)
				})
		},
	}
}

func documentsGet(o *options) *cobra.Command {
	var issuer string
	c := &cobra.Command{
		Use: "get ID [--issuer MSP_ID]", Short: "Show a document's public record", Args: cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			return show(o, apiv1.NewDocumentsServiceClient, apiv1.DocumentsServiceClient.GetDocument,
				&apiv1.GetDocumentRequest{Issuer: issuer, Id: args[0]},
				func(w io.Writer, doc *apiv1.Document) {
					fmt.Fprintf(w, "%s/%s\n", doc.Issuer, doc.Id)
					documentsPrintOne(w, doc)
				})
		},
	}
	documentsIssuerFlag(c, &issuer)
	return c
}

func documentsVerify(o *options) *cobra.Command {
	var issuer string
	c := &cobra.Command{
		Use: "verify ID [--issuer MSP_ID]", Short: "Say whether a document is valid now (exit 0 valid, 1 not valid or unknown)", Args: cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			return judge(o, apiv1.NewDocumentsServiceClient, apiv1.DocumentsServiceClient.VerifyDocument,
				&apiv1.VerifyDocumentRequest{Issuer: issuer, Id: args[0]},
				func(w io.Writer, resp *apiv1.VerifyDocumentResponse) { documentsPrintVerdicts(w, resp.Verdict) },
				documentVerdict)
		},
	}
	documentsIssuerFlag(c, &issuer)
	return c
}

func documentsVerifyHash(o *options) *cobra.Command {
	var file string
	c := &cobra.Command{
		Use: "verify-hash {SHA256 | --file PATH}", Short: "Verify every document with these bytes (exit 0 when one of them is valid, else 1)", Args: cobra.MaximumNArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			var sum string
			switch {
			case len(args) == 1 && file == "":
				sum = args[0]
			case len(args) == 0 && file != "":
				var err error
				if sum, err = hashFile(file); err != nil {
					return err
				}
			default:
				return fmt.Errorf("give either a SHA-256 or --file")
			}
			return judge(o, apiv1.NewDocumentsServiceClient, apiv1.DocumentsServiceClient.VerifyDocumentHash,
				&apiv1.VerifyDocumentHashRequest{Sha256: sum},
				func(w io.Writer, resp *apiv1.VerifyDocumentHashResponse) { documentsPrintVerdicts(w, resp.Verdicts...) },
				documentHashVerdict(sum))
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
			return show(o, apiv1.NewDocumentsServiceClient, apiv1.DocumentsServiceClient.ListDocuments, &req,
				documentsPrintList)
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
			return show(o, apiv1.NewDocumentsServiceClient, apiv1.DocumentsServiceClient.GetDocumentHistory,
				&apiv1.GetDocumentHistoryRequest{Issuer: issuer, Id: args[0]},
				func(w io.Writer, resp *apiv1.GetDocumentHistoryResponse) { documentsPrintHistory(w, resp.Versions) })
		},
	}
	documentsIssuerFlag(c, &issuer)
	return c
}

func documentsGetSubject(o *options) *cobra.Command {
	return &cobra.Command{
		Use: "get-subject ID", Short: "Print the subject's personal data of one of your documents", Args: cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			return show(o, apiv1.NewDocumentsServiceClient, apiv1.DocumentsServiceClient.GetDocumentSubject,
				&apiv1.GetDocumentSubjectRequest{Id: args[0]},
				func(w io.Writer, resp *apiv1.GetDocumentSubjectResponse) { fmt.Fprintln(w, resp.SubjectJson) })
		},
	}
}

func documentsIssuerFlag(c *cobra.Command, issuer *string) {
	adminFlag(c.Flags(), issuer, "issuer", "the issuing administration (default: yours)")
}
