package ledgerctl

import (
	"testing"

	"github.com/stretchr/testify/require"

	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
)

const testPermission = `{"id":"housing-2025","ownerMspId":"RegistryMSP","granteeMspId":"TreasuryMSP","category":"tax-income",
	"purpose":"Means test","legalBasis":"Housing Act, art. 12","validFrom":"2025-01-01T00:00:00Z","validUntil":"2026-01-01T00:00:00Z",
	"status":"PERMISSION_STATUS_ACTIVE","offeredAt":"2024-12-01T10:00:00Z","acceptedAt":"2024-12-02T10:00:00Z"}`

const testUses = `[{"id":"u1","ownerMspId":"RegistryMSP","permissionId":"housing-2025","granteeMspId":"TreasuryMSP",
	"category":"tax-income","subjectRef":"` + testSubjectRef + `","usedAt":"2025-02-01T10:00:00Z","valid":true,
	"reason":"PERMISSION_REASON_COVERED"},
	{"id":"u2","ownerMspId":"RegistryMSP","permissionId":"old","granteeMspId":"CouncilMSP","category":"tax-income",
	"subjectRef":"abc","usedAt":"2025-02-02T10:00:00Z","reason":"PERMISSION_REASON_REVOKED"}]`

func TestPermissionsCommands(t *testing.T) {
	runCommandCases(t, map[string]commandCase{
		"offer sends the flags and says who must accept": {
			args: []string{"permissions", "offer", "--id", "housing-2025", "--grantee", "TreasuryMSP", "--category", "tax-income",
				"--purpose", "Means test", "--legal-basis", "Housing Act, art. 12", "--valid-from", "2025-01-01T00:00:00Z",
				"--valid-until", "2026-01-01T00:00:00Z", "--subject", testSubjectRef},
			replies: map[string]string{"OfferPermission": `{"permission":` + testPermission + `,` + testCommitted + `}`},
			requests: map[string]string{"OfferPermission": `{"id":"housing-2025","granteeMspId":"TreasuryMSP","category":"tax-income",
				"purpose":"Means test","legalBasis":"Housing Act, art. 12","validFrom":"2025-01-01T00:00:00Z",
				"validUntil":"2026-01-01T00:00:00Z","subjectRef":"` + testSubjectRef + `"}`},
		},
		"offer with a JSON request ignores the field flags": {
			args:     []string{"permissions", "offer", "--id", "ignored", "--request", `{"id":"p1","granteeMspId":"CouncilMSP"}`},
			replies:  map[string]string{"OfferPermission": `{"permission":` + testPermission + `,` + testCommitted + `}`},
			requests: map[string]string{"OfferPermission": `{"id":"p1","granteeMspId":"CouncilMSP"}`},
		},
		"accept prints the new status": {
			args:     []string{"permissions", "accept", "RegistryMSP", "housing-2025"},
			replies:  map[string]string{"AcceptPermission": `{"permission":` + testPermission + `,` + testCommitted + `}`},
			requests: map[string]string{"AcceptPermission": `{"ownerMspId":"RegistryMSP","permissionId":"housing-2025"}`},
		},
		"revoke prints when": {
			args: []string{"permissions", "revoke", "RegistryMSP", "housing-2025", "--reason", "ended"},
			replies: map[string]string{"RevokePermission": `{"permission":{"id":"housing-2025","ownerMspId":"RegistryMSP",
				"revokedAt":"2025-06-01T10:00:00Z"},` + testCommitted + `}`},
			requests: map[string]string{"RevokePermission": `{"ownerMspId":"RegistryMSP","permissionId":"housing-2025","reason":"ended"}`},
		},
		"record-use prints a valid use": {
			args: []string{"permissions", "record-use", "RegistryMSP", "housing-2025", "--subject", testSubjectRef,
				"--purpose", "file 42", "--category", "tax-income"},
			replies: map[string]string{"RecordUse": `{"use":{"valid":true,"reason":"PERMISSION_REASON_COVERED"},` + testCommitted + `}`},
			requests: map[string]string{"RecordUse": `{"ownerMspId":"RegistryMSP","permissionId":"housing-2025",
				"subjectRef":"` + testSubjectRef + `","purpose":"file 42","category":"tax-income"}`},
		},
		"record-use says when a use is not valid": {
			args:    []string{"permissions", "record-use", "RegistryMSP", "old", "--subject", testSubjectRef, "--purpose", "file 43"},
			replies: map[string]string{"RecordUse": `{"use":{"valid":false,"reason":"PERMISSION_REASON_NOT_ACCEPTED"},` + testCommitted + `}`},
		},
		"check prints an allowed access with its permission": {
			args: []string{"permissions", "check", "RegistryMSP", "TreasuryMSP", "tax-income", "--subject", testSubjectRef},
			replies: map[string]string{"CheckPermission": `{"allowed":true,"permissionId":"housing-2025",
				"reason":"PERMISSION_REASON_COVERED"}`},
			requests: map[string]string{"CheckPermission": `{"ownerMspId":"RegistryMSP","granteeMspId":"TreasuryMSP",
				"category":"tax-income","subjectRef":"` + testSubjectRef + `"}`},
		},
		"check prints a refused access with its reason": {
			args:    []string{"permissions", "check", "RegistryMSP", "CouncilMSP", "tax-income"},
			replies: map[string]string{"CheckPermission": `{"allowed":false,"reason":"PERMISSION_REASON_NO_SUCH_PERMISSION"}`},
			exit:    ExitNegative,
		},
		"get prints a permission on every subject, skipping empty rows": {
			args:     []string{"permissions", "get", "RegistryMSP", "housing-2025"},
			replies:  map[string]string{"GetPermission": `{"permission":` + testPermission + `}`},
			requests: map[string]string{"GetPermission": `{"ownerMspId":"RegistryMSP","permissionId":"housing-2025"}`},
		},
		"get prints a revoked permission on one subject": {
			args: []string{"permissions", "get", "RegistryMSP", "p2"},
			replies: map[string]string{"GetPermission": `{"permission":{"id":"p2","ownerMspId":"RegistryMSP","granteeMspId":"CouncilMSP",
				"category":"c","status":"PERMISSION_STATUS_REVOKED","subjectRef":"` + testSubjectRef + `",
				"revokedAt":"2025-06-01T10:00:00Z","revokeReason":"ended"}}`},
		},
		"list prints a table and the next page token": {
			args: []string{"permissions", "list", "RegistryMSP", "--page-size", "2", "--page-token", "p1"},
			replies: map[string]string{"ListPermissionsByOwner": `{"permissions":[` + testPermission + `,{"id":"p2",
				"granteeMspId":"CouncilMSP","category":"c","status":"PERMISSION_STATUS_OFFERED","subjectRef":"` + testSubjectRef + `"}],
				"nextPageToken":"p2"}`},
			requests: map[string]string{"ListPermissionsByOwner": `{"ownerMspId":"RegistryMSP","pageSize":2,"pageToken":"p1"}`},
		},
		"uses-by-subject prints a table": {
			args:     []string{"permissions", "uses-by-subject", testSubjectRef},
			replies:  map[string]string{"ListUsesBySubject": `{"uses":` + testUses + `}`},
			requests: map[string]string{"ListUsesBySubject": `{"subjectRef":"` + testSubjectRef + `"}`},
		},
		"invalid-uses prints a table and the next page token": {
			args:     []string{"permissions", "invalid-uses", "--page-size", "1"},
			replies:  map[string]string{"ListInvalidUses": `{"uses":` + testUses + `,"nextPageToken":"n"}`},
			requests: map[string]string{"ListInvalidUses": `{"pageSize":1}`},
		},
	})
}

func TestPermissionsText(t *testing.T) {
	t.Run("every reason prints in the ledger's words", func(t *testing.T) {
		for v, name := range apiv1.PermissionReason_name {
			r := apiv1.PermissionReason(v)
			if r == apiv1.PermissionReason_PERMISSION_REASON_UNSPECIFIED {
				require.Equal(t, name, permissionsReasonText(r))
				continue
			}
			require.NotEqual(t, name, permissionsReasonText(r), "%s has no text", name)
		}
	})
	t.Run("a status prints as the ledger's word", func(t *testing.T) {
		require.Equal(t, "offered", permissionsStatusText(apiv1.PermissionStatus_PERMISSION_STATUS_OFFERED))
	})
	t.Run("a subject reference is shortened in tables, and none means all", func(t *testing.T) {
		require.Equal(t, "cc965e577453…", permissionsSubjectText(testSubjectRef))
		require.Equal(t, "abc", permissionsSubjectText("abc"))
		require.Equal(t, "all", permissionsSubjectText(""))
	})
}
