package ledgerctl

import (
	"fmt"
	"io"

	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
)

func anchorPrintBatch(w io.Writer, a *apiv1.Anchor, out, receiptFile string) {
	if a.AlreadyAnchored {
		fmt.Fprintln(w, "already anchored: the ledger holds this batch's root; proofs written again")
	} else {
		fmt.Fprintf(w, "anchored %d documents in transaction %s (block %d)\n", a.Size, a.TransactionId, a.BlockNumber)
	}
	anchorPrint(w, a)
	fmt.Fprintf(w, "proofs:       %s (%d lines)\n", out, a.Size)
	if receiptFile != "" {
		fmt.Fprintf(w, "receipt:      %s (verify offline: ledgerctl anchor verify --proofs %s --file DOC --receipt %s --trust TRUST)\n", receiptFile, out, receiptFile)
	}
}

func anchorPrint(w io.Writer, a *apiv1.Anchor) {
	fmt.Fprintf(w, "root:         %s\n", a.Root)
	fmt.Fprintf(w, "size:         %d\n", a.Size)
	if a.Label != "" {
		fmt.Fprintf(w, "label:        %s\n", a.Label)
	}
	fmt.Fprintf(w, "anchored by:  %s at %s\n", a.AnchoredBy, a.AnchoredAt)
	fmt.Fprintf(w, "transaction:  %s\n", a.TransactionId)
}

func anchorPrintVerdict(w io.Writer, resp *apiv1.VerifyInclusionResponse) {
	fmt.Fprintf(w, "inclusion:    %s (%s)\n", yesNo(resp.Valid, "VALID", "NOT VALID"), resp.Reason)
	if resp.Message != "" {
		fmt.Fprintf(w, "detail:       %s\n", resp.Message)
	}
	if resp.Anchor != nil {
		anchorPrint(w, resp.Anchor)
	}
}
