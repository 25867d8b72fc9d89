package ledgerctl

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
)

func init() { commandGroups = append(commandGroups, sealCommand, verifyCommand) }

func sealCommand(o *options) *cobra.Command {
	var pngFile, svgFile string
	var size int32
	c := &cobra.Command{
		Use:   "seal DOCUMENT_ID [--png FILE] [--svg FILE] [--size N]",
		Short: "Issue a QR seal for one of your documents (role clerk, approver or admin)",
		Long: "Issue an offline-verifiable QR seal (format CL1) for a valid document of your\n" +
			"administration. Prints the seal text, its verification link and QR version, and\n" +
			"writes the QR code as PNG and/or SVG.",
		Example: "  ledgerctl seal EXT-2024-0001 --png seal.png --svg seal.svg --size 600",
		Args:    cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			return call(o, apiv1.NewSealServiceClient, func(ctx context.Context, c apiv1.SealServiceClient) error {
				resp, err := c.IssueSeal(ctx, &apiv1.IssueSealRequest{DocumentId: args[0], PngSize: size})
				if err != nil {
					return err
				}
				if err := writeSealFiles(resp, pngFile, svgFile); err != nil {
					return err
				}
				return o.print(resp, func(w io.Writer) { sealPrintIssued(w, resp, pngFile, svgFile) })
			})
		},
	}
	f := c.Flags()
	f.StringVar(&pngFile, "png", "", "write the QR code as PNG to FILE")
	f.StringVar(&svgFile, "svg", "", "write the QR code as SVG to FILE")
	f.Int32Var(&size, "size", 0, "side of the PNG in pixels (default 512)")
	return c
}

func writeSealFiles(resp *apiv1.IssueSealResponse, pngFile, svgFile string) error {
	if pngFile != "" {
		if err := os.WriteFile(pngFile, resp.Png, 0o644); err != nil {
			return fmt.Errorf("write PNG: %w", err)
		}
	}
	if svgFile != "" {
		if err := os.WriteFile(svgFile, []byte(resp.Svg), 0o644); err != nil {
			return fmt.Errorf("write SVG: %w", err)
		}
	}
	return nil
}

func verifyCommand(o *options) *cobra.Command {
	var text, imageFile, link, docFile, sum string
	c := &cobra.Command{
		Use:   "verify (--text TEXT | --image FILE | --link URL) [--file DOCUMENT | --sha256 HEX]",
		Short: "Verify a QR seal: signature and issuer offline, then the document's status on the ledger",
		Long: "Verify a QR seal given as text, as an image of its QR code or as its verification\n" +
			"link. With --file (or --sha256) the document you hold must be the sealed one.\n" +
			"Exits 0 for a valid seal, 1 for a seal that is not valid (ledgerctl --help).",
		Example: "  ledgerctl verify --image seal.png --file extract.pdf\n" +
			"  ledgerctl verify --link 'https://portal.civicledger.example/verify#6BF...'",
		Args: cobra.NoArgs,
		RunE: func(_ *cobra.Command, _ []string) error {
			req, err := verifyRequest(text, imageFile, link)
			if err != nil {
				return err
			}
			if docFile != "" {
				if sum != "" {
					return errors.New("give --file or --sha256, not both")
				}
				if sum, err = hashFile(docFile); err != nil {
					return err
				}
			}
			req.DocumentSha256 = sum
			return judge(o, apiv1.NewSealServiceClient, apiv1.SealServiceClient.VerifySeal, req,
				func(w io.Writer, resp *apiv1.VerifySealResponse) { sealPrintVerdict(w, resp, sum != "") }, sealVerdict)
		},
	}
	f := c.Flags()
	f.StringVar(&text, "text", "", "the seal text (CL1:…)")
	f.StringVar(&imageFile, "image", "", "a PNG or JPEG image of the QR code")
	f.StringVar(&link, "link", "", "the seal's verification link")
	f.StringVar(&docFile, "file", "", "the document you hold, to check its SHA-256 against the seal")
	f.StringVar(&sum, "sha256", "", "the SHA-256 of the document you hold, in hex")
	return c
}

// verifyRequest builds the request from exactly one of the three forms.
func verifyRequest(text, imageFile, link string) (*apiv1.VerifySealRequest, error) {
	var req apiv1.VerifySealRequest
	n := 0
	if text != "" {
		n++
		req.Seal = &apiv1.VerifySealRequest_Text{Text: strings.TrimSpace(text)}
	}
	if imageFile != "" {
		n++
		data, err := os.ReadFile(imageFile)
		if err != nil {
			return nil, fmt.Errorf("read image: %w", err)
		}
		req.Seal = &apiv1.VerifySealRequest_Image{Image: data}
	}
	if link != "" {
		n++
		req.Seal = &apiv1.VerifySealRequest_Link{Link: strings.TrimSpace(link)}
	}
	if n != 1 {
		return nil, errors.New("give exactly one of --text, --image or --link")
	}
	return &req, nil
}
