package ledgerctl

import (
	"fmt"
	"io"

	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
)

// Human output of the permissions commands, in the ledger's words.

func permissionsPrintList(w io.Writer, resp *apiv1.ListPermissionsByOwnerResponse) {
	tw := newTable(w)
	fmt.Fprintln(tw, "ID\tGRANTEE\tCATEGORY\tSTATUS\tVALID FROM\tVALID UNTIL\tSUBJECT")
	for _, p := range resp.Permissions {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", p.Id, p.GranteeMspId, p.Category,
			permissionsStatusText(p.Status), p.ValidFrom, p.ValidUntil, permissionsSubjectText(p.SubjectRef))
	}
	tw.Flush()
	printNextPage(w, resp.NextPageToken)
}

func permissionsPrintOne(w io.Writer, p *apiv1.Permission) {
	fmt.Fprintf(w, "permission %s of %s\n", p.Id, p.OwnerMspId)
	rows := [][2]string{
		{"grantee", p.GranteeMspId}, {"category", p.Category}, {"status", permissionsStatusText(p.Status)},
		{"purpose", p.Purpose}, {"legal basis", p.LegalBasis},
		{"valid", p.ValidFrom + " to " + p.ValidUntil}, {"subject", p.SubjectRef},
		{"offered at", p.OfferedAt}, {"accepted at", p.AcceptedAt},
		{"revoked at", p.RevokedAt}, {"revoke reason", p.RevokeReason},
	}
	if p.SubjectRef == "" {
		rows[6][1] = "every subject"
	}
	for _, r := range rows {
		if r[1] != "" {
			fmt.Fprintf(w, "  %-14s%s\n", r[0], r[1])
		}
	}
}

func permissionsPrintUses(w io.Writer, uses []*apiv1.PermissionUse, next string) {
	tw := newTable(w)
	fmt.Fprintln(tw, "USED AT\tBY\tOWNER\tPERMISSION\tCATEGORY\tSUBJECT\tVALID\tREASON")
	for _, u := range uses {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%t\t%s\n", u.UsedAt, u.GranteeMspId, u.OwnerMspId, u.PermissionId,
			u.Category, permissionsShortRef(u.SubjectRef), u.Valid, permissionsReasonText(u.Reason))
	}
	tw.Flush()
	printNextPage(w, next)
}

// permissionsShortRef abbreviates a 64-digit subject reference for tables.
func permissionsShortRef(ref string) string {
	if len(ref) > 12 {
		return ref[:12] + "…"
	}
	return ref
}

// permissionsSubjectText is the subject column of a permission: "all" when
// it covers every subject.
func permissionsSubjectText(ref string) string {
	if ref == "" {
		return "all"
	}
	return permissionsShortRef(ref)
}

// permissionsStatusText is a status in the words of the ledger ("active").
func permissionsStatusText(s apiv1.PermissionStatus) string {
	return enumWord(s.String(), "PERMISSION_STATUS_")
}

// permissionsReasonTexts are the ledger's words for each reason.
var permissionsReasonTexts = map[apiv1.PermissionReason]string{
	apiv1.PermissionReason_PERMISSION_REASON_COVERED:                 "covered by an active permission",
	apiv1.PermissionReason_PERMISSION_REASON_NO_SUCH_PERMISSION:      "no such permission",
	apiv1.PermissionReason_PERMISSION_REASON_OTHER_GRANTEE:           "permission granted to another administration",
	apiv1.PermissionReason_PERMISSION_REASON_CATEGORY_NOT_COVERED:    "category not covered",
	apiv1.PermissionReason_PERMISSION_REASON_REVOKED:                 "permission revoked",
	apiv1.PermissionReason_PERMISSION_REASON_NOT_ACCEPTED:            "permission not accepted",
	apiv1.PermissionReason_PERMISSION_REASON_OUTSIDE_VALIDITY_WINDOW: "outside validity window",
	apiv1.PermissionReason_PERMISSION_REASON_SUBJECT_NOT_COVERED:     "subject not covered",
}

func permissionsReasonText(r apiv1.PermissionReason) string {
	if s, ok := permissionsReasonTexts[r]; ok {
		return s
	}
	return r.String()
}
