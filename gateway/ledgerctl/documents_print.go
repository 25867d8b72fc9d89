package ledgerctl

import (
	"fmt"
	"io"
	"slices"
	"strings"

	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
)

// Human output of the documents commands.

func documentsPrintOne(w io.Writer, d *apiv1.Document) {
	tw := newTable(w)
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
	return enumWord(s.String(), "DOCUMENT_STATUS_")
}

func documentsTypeName(t apiv1.DocumentType) string {
	return enumWord(t.String(), "DOCUMENT_TYPE_")
}

func documentsPrintList(w io.Writer, resp *apiv1.ListDocumentsResponse) {
	tw := newTable(w)
	fmt.Fprintln(tw, "ISSUER/ID\tTYPE\tSTATUS\tVALID FROM\tVALID UNTIL\tSHA-256")
	for _, d := range resp.Documents {
		fmt.Fprintf(tw, "%s/%s\t%s\t%s\t%s\t%s\t%s…\n", d.Issuer, d.Id, documentsTypeName(d.Type),
			documentsStatusName(d.Status), d.ValidFrom, documentsOr(d.ValidUntil, "-"), d.Sha256[:min(12, len(d.Sha256))])
	}
	tw.Flush()
	printNextPage(w, resp.NextPageToken)
}

func documentsPrintHistory(w io.Writer, versions []*apiv1.DocumentVersion) {
	tw := newTable(w)
	fmt.Fprintln(tw, "TIME\tTRANSACTION\tSTATUS")
	for _, v := range versions {
		st := "deleted"
		if v.Document != nil {
			st = documentsStatusName(v.Document.Status)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\n", v.Timestamp, v.TransactionId, st)
	}
	tw.Flush()
}

func documentsOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
