package ledgerctl

import (
	"fmt"
	"io"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
	"github.com/civicledger/civicledger/gateway/proofs/receipt"
)

func receiptPrintExported(w io.Writer, resp *apiv1.GetReceiptResponse, file string) {
	if resp.Valid {
		fmt.Fprintf(w, "receipt of block %d written to %s (%d bytes); it verifies against this ledger\n", resp.BlockNumber, file, len(resp.Receipt))
	} else {
		fmt.Fprintf(w, "receipt of block %d does NOT verify against this ledger; not written\n", resp.BlockNumber)
	}
	for _, c := range resp.Checks {
		fmt.Fprintf(w, "  %s %s: %s\n", mark(c.Ok), c.Name, c.Detail)
	}
}

func receiptPrintTrust(w io.Writer, resp *apiv1.GetTrustResponse, file string) {
	fmt.Fprintf(w, "trust file of channel %s written to %s\n", resp.Channel, file)
	t := newTable(w)
	fmt.Fprintln(t, "CONFIG BLOCK\tHEADER SHA-256\tMEMBERS")
	for _, c := range resp.Configurations {
		fmt.Fprintf(t, "%d\t%s\t%s\n", c.BlockNumber, c.HeaderSha256, strings.Join(c.Members, ", "))
	}
	t.Flush()
}

func receiptPrintReport(w io.Writer, rep *receipt.Report) {
	verdict := "VALID"
	if !rep.Valid() {
		verdict = "NOT VALID"
	}
	fmt.Fprintf(w, "receipt of transaction %s: %s\n", rep.TransactionID, verdict)
	for _, c := range rep.Checks {
		fmt.Fprintf(w, "  %s %s: %s\n", mark(c.OK), c.Name, c.Detail)
	}
	if rep.Creator == nil {
		return
	}
	fmt.Fprintf(w, "channel %s, block %d, transaction %d, at %s\n", rep.Channel, rep.BlockNumber, rep.TransactionIndex, rep.Timestamp.UTC().Format(time.RFC3339))
	fmt.Fprintf(w, "called %s %s, submitted by %s (%s)\n", rep.Chaincode, rep.Function, rep.Creator.MSPID, rep.Creator.Subject)
	for _, e := range rep.Endorsers {
		fmt.Fprintf(w, "endorsed by %s (%s)\n", e.MSPID, e.Subject)
	}
	t := newTable(w)
	fmt.Fprintln(t, "NAMESPACE\tKEY\tVALUE")
	for _, wr := range rep.Writes {
		value := string(wr.Value)
		if !utf8.Valid(wr.Value) || strings.IndexFunc(value, func(r rune) bool { return !unicode.IsPrint(r) }) >= 0 {
			value = fmt.Sprintf("0x%x", wr.Value)
		}
		if wr.Deleted {
			value = "(deleted)"
		}
		fmt.Fprintf(t, "%s\t%s\t%s\n", wr.Namespace, receipt.DisplayKey(wr.Key), value)
	}
	for _, p := range rep.PrivateWrites {
		fmt.Fprintf(t, "%s\t(private %s) %x\t(hash %x)\n", p.Namespace, p.Collection, p.KeyHash, p.ValueHash)
	}
	t.Flush()
}

func mark(ok bool) string {
	if ok {
		return "ok  "
	}
	return "FAIL"
}
