package ledgerctl

import (
	"fmt"
	"io"
	"sort"

	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
)

func sealPrintIssued(w io.Writer, resp *apiv1.IssueSealResponse, pngFile, svgFile string) {
	fmt.Fprintf(w, "seal for %s/%s (QR version %d, %d characters)\n",
		resp.Claims.GetIssuer(), resp.Claims.GetDocumentId(), resp.QrVersion, len(resp.Text))
	sealPrintClaims(w, resp.Claims)
	fmt.Fprintf(w, "link:         %s\n", resp.Link)
	if pngFile != "" {
		fmt.Fprintf(w, "png:          %s (%d bytes)\n", pngFile, len(resp.Png))
	}
	if svgFile != "" {
		fmt.Fprintf(w, "svg:          %s (%d bytes)\n", svgFile, len(resp.Svg))
	}
	fmt.Fprintf(w, "text:         %s\n", resp.Text)
}

func sealPrintClaims(w io.Writer, c *apiv1.SealClaims) {
	if c == nil {
		return
	}
	fmt.Fprintf(w, "issuer:       %s\n", c.Issuer)
	fmt.Fprintf(w, "document:     %s (%s)\n", c.DocumentId, c.Type)
	fmt.Fprintf(w, "sha256:       %s\n", c.Sha256)
	until := c.ValidUntil
	if until == "" {
		until = "no end"
	}
	fmt.Fprintf(w, "valid:        %s to %s (issued %s)\n", c.ValidFrom, until, c.IssuedAt)
	keys := make([]string, 0, len(c.KeyFacts))
	for k := range c.KeyFacts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(w, "fact:         %s = %s\n", k, c.KeyFacts[k])
	}
}

func sealPrintVerdict(w io.Writer, resp *apiv1.VerifySealResponse, withDocument bool) {
	verdict := "NOT VALID"
	if resp.Valid {
		verdict = "VALID"
	}
	fmt.Fprintf(w, "seal:         %s\n", verdict)
	off := resp.Offline
	fmt.Fprintf(w, "offline:      %s (%s)", yesNo(off.GetValid(), "valid", "not valid"), off.GetReason())
	if !off.GetValid() && off.GetMessage() != "" {
		fmt.Fprintf(w, ": %s", off.GetMessage())
	}
	fmt.Fprintln(w)
	if resp.LedgerStatus != apiv1.DocumentStatus_DOCUMENT_STATUS_UNSPECIFIED {
		fmt.Fprintf(w, "ledger:       %s\n", enumWord(resp.LedgerStatus.String(), "DOCUMENT_STATUS_"))
	} else {
		fmt.Fprintln(w, "ledger:       not asked (the seal's signature or issuer did not check out)")
	}
	if withDocument && off.GetClaims() != nil {
		fmt.Fprintf(w, "your copy:    %s\n", yesNo(off.GetReason() != "document-mismatch", "matches the sealed SHA-256", "does NOT match the sealed SHA-256"))
	}
	if off.GetClaims() != nil && resp.LedgerSha256 != "" && resp.LedgerSha256 != off.Claims.Sha256 {
		fmt.Fprintf(w, "warning:      the ledger holds sha256 %s for this document\n", resp.LedgerSha256)
	}
	sealPrintClaims(w, off.GetClaims())
}

func yesNo(b bool, yes, no string) string {
	if b {
		return yes
	}
	return no
}
