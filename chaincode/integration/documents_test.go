//go:build integration

package integration

import (
	"testing"
	"time"

	"github.com/hyperledger/fabric-gateway/pkg/client"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"github.com/stretchr/testify/require"

	"github.com/civicledger/civicledger/chaincode/records"
)

func registerDocument(t *testing.T, id, content string) records.Document {
	t.Helper()
	now := time.Now().UTC()
	raw := mustSubmit(t, contract(t, registry, "clerk"), "Documents:Register", jsonArg(t, map[string]any{
		"id": id, "type": "debt-extract", "sha256": hexHash(content),
		"keyFacts":   map[string]string{"proceedings": "3", "totalAmount": "CHF 1234.50"},
		"validFrom":  now.Add(-time.Hour).Format(time.RFC3339),
		"validUntil": now.AddDate(1, 0, 0).Format(time.RFC3339),
		"subjectRef": hexHash("salt:" + id),
	}))
	return decode[records.Document](t, raw)
}

func verify(t *testing.T, mspID, issuer, id string) records.DocumentVerdict {
	t.Helper()
	return decode[records.DocumentVerdict](t, mustEvaluate(t, mspID, "clerk", "Documents:Verify", issuer, id))
}

func TestDocuments(t *testing.T) {
	t.Run("a registered document verifies as valid at every administration", func(t *testing.T) {
		id := uniqueID("EXT")
		doc := registerDocument(t, id, "extract "+id)
		require.Equal(t, registry, doc.Issuer)
		for _, msp := range []string{registry, treasury, council} {
			require.Equal(t, "valid", verify(t, msp, registry, id).Status, "verified at %s", msp)
		}
		byHash := decode[[]records.DocumentVerdict](t, mustEvaluate(t, council, "clerk", "Documents:VerifyHash", hexHash("extract "+id)))
		require.Len(t, byHash, 1)
		require.Equal(t, id, byHash[0].ID)
	})

	t.Run("Treasury and Council together cannot revoke a Registry document, Registry with one witness can", func(t *testing.T) {
		id := uniqueID("EXT")
		registerDocument(t, id, "extract "+id)

		// The issuer's own user asks, so the chaincode accepts the change;
		// only the key-level policy can refuse a majority without the issuer.
		code := submitEndorsedBy(t, registry, "approver", "Documents:Revoke", []string{treasury, council}, id, "forged revocation")
		require.Equal(t, peer.TxValidationCode_ENDORSEMENT_POLICY_FAILURE, code)
		require.Equal(t, "valid", verify(t, treasury, registry, id).Status)

		code = submitEndorsedBy(t, registry, "approver", "Documents:Revoke", []string{registry, treasury}, id, "issued in error")
		require.Equal(t, peer.TxValidationCode_VALID, code)
		v := verify(t, council, registry, id)
		require.Equal(t, "revoked", v.Status)
		require.Equal(t, "issued in error", v.RevokedReason)
	})

	t.Run("another administration's approver cannot revoke a Registry document through its own gateway", func(t *testing.T) {
		id := uniqueID("EXT")
		registerDocument(t, id, "extract "+id)
		_, _, err := submit(t, contract(t, treasury, "approver"), "Documents:Revoke", client.WithArguments(id, "not ours"))
		requireRefused(t, err, "NOT_FOUND")
		require.Equal(t, "valid", verify(t, registry, registry, id).Status)
	})

	t.Run("a clerk cannot revoke", func(t *testing.T) {
		id := uniqueID("EXT")
		registerDocument(t, id, "extract "+id)
		_, _, err := submit(t, contract(t, registry, "clerk"), "Documents:Revoke", client.WithArguments(id, "clerk"))
		requireRefused(t, err, "PERMISSION_DENIED")
	})

	t.Run("malformed registrations are refused with a clear reason", func(t *testing.T) {
		for name, input := range map[string]string{
			"bad JSON":      `{"id":`,
			"unknown field": `{"id":"X","nope":1}`,
			"bad hash":      `{"id":"X","type":"permit","sha256":"xyz","validFrom":"2024-01-01T00:00:00Z","subjectRef":"` + hexHash("s") + `"}`,
			"unknown type":  `{"id":"X","type":"passport","sha256":"` + hexHash("a") + `","validFrom":"2024-01-01T00:00:00Z","subjectRef":"` + hexHash("s") + `"}`,
		} {
			t.Run(name, func(t *testing.T) {
				_, _, err := submit(t, contract(t, registry, "clerk"), "Documents:Register", client.WithArguments(input))
				requireRefused(t, err, "INVALID_ARGUMENT")
			})
		}
	})

	t.Run("after purge no peer returns the subject's private data but verification still works", func(t *testing.T) {
		id := uniqueID("EXT")
		registerDocument(t, id, "extract "+id)
		subject := `{"salt":"3f9a0c1b","name":"Jean Dupont","birthDate":"1970-01-01"}`
		code, _, err := submit(t, contract(t, registry, "clerk"), "Documents:SetSubject",
			client.WithArguments(id), client.WithTransient(map[string][]byte{"subject": []byte(subject)}))
		require.NoError(t, err, errorText(err))
		require.Equal(t, peer.TxValidationCode_VALID, code)

		raw, err := evaluate(t, registry, "clerk", "Documents:GetSubject", registry, id)
		require.NoError(t, err, errorText(err))
		require.JSONEq(t, subject, string(raw))
		for _, other := range []string{treasury, council} {
			_, err := evaluate(t, registry, "clerk", "Documents:GetSubject", other, id)
			require.Error(t, err, "the peer of %s is not in the issuer's collection", other)
		}

		mustSubmit(t, contract(t, registry, "admin"), "Documents:PurgeSubject", id)
		for _, at := range []string{registry, treasury, council} {
			_, err := evaluate(t, registry, "clerk", "Documents:GetSubject", at, id)
			require.Error(t, err, "the peer of %s must not return purged data", at)
			require.NotContains(t, errorText(err), "Jean Dupont")
		}
		_, err = evaluate(t, registry, "clerk", "Documents:GetSubject", registry, id)
		requireRefused(t, err, "NOT_FOUND")

		require.Equal(t, "valid", verify(t, treasury, registry, id).Status)
		doc := decode[records.Document](t, mustEvaluate(t, council, "clerk", "Documents:Get", registry, id))
		require.Equal(t, hexHash("salt:"+id), doc.SubjectRef, "the public proof remains")
	})
}
