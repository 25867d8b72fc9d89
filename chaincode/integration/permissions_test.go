//go:build integration

package integration

import (
	"testing"
	"time"

	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"github.com/stretchr/testify/require"

	"github.com/civicledger/civicledger/chaincode/records"
)

func getPermission(t *testing.T, id string) records.Permission {
	t.Helper()
	return decode[records.Permission](t, mustEvaluate(t, council, "clerk", "Permissions:Get", registry, id))
}

func TestPermissions(t *testing.T) {
	now := time.Now().UTC()
	id := uniqueID("PERM")
	subject := hexHash("subject:" + id)
	mustSubmit(t, contract(t, registry, "approver"), "Permissions:Offer", jsonArg(t, map[string]any{
		"id": id, "grantee": treasury, "category": "civil-status",
		"purpose": "checking household composition for housing aid", "legalBasis": "Housing code art. 12",
		"validFrom":  now.Add(-time.Hour).Format(time.RFC3339),
		"validUntil": now.AddDate(1, 0, 0).Format(time.RFC3339),
	}))
	require.Equal(t, "offered", getPermission(t, id).Status)

	t.Run("accepting a permission needs both the owner's and the grantee's peers", func(t *testing.T) {
		for _, endorsers := range [][]string{{registry, council}, {treasury, council}} {
			code := submitEndorsedBy(t, treasury, "approver", "Permissions:Accept", endorsers, registry, id)
			require.Equal(t, peer.TxValidationCode_ENDORSEMENT_POLICY_FAILURE, code, "endorsed by %v", endorsers)
			require.Equal(t, "offered", getPermission(t, id).Status)
		}
		code := submitEndorsedBy(t, treasury, "approver", "Permissions:Accept", []string{registry, treasury}, registry, id)
		require.Equal(t, peer.TxValidationCode_VALID, code)
		require.Equal(t, "active", getPermission(t, id).Status)
	})

	t.Run("a use under an active permission is recorded as valid and visible by subject", func(t *testing.T) {
		use := decode[records.PermissionUse](t, mustSubmit(t, contract(t, treasury, "clerk"), "Permissions:RecordUse", jsonArg(t, map[string]any{
			"ownerMSP": registry, "permissionId": id, "subjectRef": subject, "purpose": "housing aid file 77",
		})))
		require.True(t, use.Valid, "reason: %s", use.Reason)
		page := decode[records.PermissionUsePage](t, mustEvaluate(t, registry, "clerk", "Permissions:ListUsesBySubject", subject, "10", ""))
		require.Len(t, page.Uses, 1)
	})

	t.Run("the owner revokes without the grantee but not without its own peer", func(t *testing.T) {
		code := submitEndorsedBy(t, registry, "approver", "Permissions:Revoke", []string{treasury, council}, registry, id, "purpose fulfilled")
		require.Equal(t, peer.TxValidationCode_ENDORSEMENT_POLICY_FAILURE, code)
		code = submitEndorsedBy(t, registry, "approver", "Permissions:Revoke", []string{registry, council}, registry, id, "purpose fulfilled")
		require.Equal(t, peer.TxValidationCode_VALID, code)
		require.Equal(t, "revoked", getPermission(t, id).Status)
	})

	t.Run("a use after revocation is still recorded, as invalid, for auditors", func(t *testing.T) {
		use := decode[records.PermissionUse](t, mustSubmit(t, contract(t, treasury, "clerk"), "Permissions:RecordUse", jsonArg(t, map[string]any{
			"ownerMSP": registry, "permissionId": id, "subjectRef": subject, "purpose": "late lookup",
		})))
		require.False(t, use.Valid)
		require.Contains(t, use.Reason, "revoked")
	})
}
