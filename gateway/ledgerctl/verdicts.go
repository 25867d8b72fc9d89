package ledgerctl

import (
	"fmt"
	"strings"

	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
)

// The verdict of each verdict command on the gateway's answer: nil for yes,
// a negative verdict (exit code 1) saying why for no.

// documentVerdict: yes only for a document that is valid now.
func documentVerdict(resp *apiv1.VerifyDocumentResponse) error {
	v := resp.Verdict
	return verdict(v.GetStatus() == apiv1.DocumentStatus_DOCUMENT_STATUS_VALID, "document %s is %s",
		strings.Trim(v.GetIssuer()+"/"+v.GetId(), "/"), documentsStatusDetail(v.GetStatus(), v.GetRevokedReason(), v.GetSupersededBy()))
}

// documentHashVerdict: yes when at least one document with these bytes is
// valid now.
func documentHashVerdict(sum string) func(*apiv1.VerifyDocumentHashResponse) error {
	return func(resp *apiv1.VerifyDocumentHashResponse) error {
		var found []string
		for _, v := range resp.Verdicts {
			if v.Status == apiv1.DocumentStatus_DOCUMENT_STATUS_VALID {
				return nil
			}
			found = append(found, documentsStatusName(v.Status))
		}
		return negative("no valid document has SHA-256 %s (found: %s)", sum, strings.Join(found, ", "))
	}
}

// sealVerdict: yes for a seal valid offline whose document is valid on the
// ledger.
func sealVerdict(resp *apiv1.VerifySealResponse) error {
	off := resp.Offline
	switch {
	case resp.Valid:
		return nil
	case !off.GetValid():
		return negative("seal is not valid (%s)%s", off.GetReason(), detail(off.GetMessage()))
	}
	return negative("seal is not valid: the document is %s on the ledger", documentsStatusName(resp.LedgerStatus))
}

// inclusionVerdict: yes when the proof leads to a root anchored with the
// proof's tree size.
func inclusionVerdict(resp *apiv1.VerifyInclusionResponse) error {
	return verdict(resp.Valid, "inclusion is not proved (%s)%s", resp.Reason, detail(resp.Message))
}

// permissionVerdict: yes when the access is allowed now.
func permissionVerdict(resp *apiv1.CheckPermissionResponse) error {
	return verdict(resp.Allowed, "not allowed: %s", permissionsReasonText(resp.Reason))
}

// detail is ": message", or nothing for no message.
func detail(message string) string {
	if message == "" {
		return ""
	}
	return fmt.Sprintf(": %s", message)
}
