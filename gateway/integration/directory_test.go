//go:build integration

package integration

import (
	"testing"

	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"

	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
)

func TestDirectoryService(t *testing.T) {
	t.Run("every administration is listed through any gateway", func(t *testing.T) {
		resp, err := apiv1.NewDirectoryServiceClient(gw(t, council, "clerk")).ListProfiles(ctx(t), &apiv1.ListProfilesRequest{})
		require.NoError(t, err)
		var ids []string
		for _, p := range resp.Profiles {
			ids = append(ids, p.MspId)
		}
		require.Equal(t, []string{council, registry, treasury}, ids)
	})

	t.Run("an admin publishes its own profile and the ledger records the admin as creator", func(t *testing.T) {
		name := uniqueID("Registry of Certified Documents")
		resp, err := apiv1.NewDirectoryServiceClient(gw(t, registry, "admin")).SetProfile(ctx(t),
			&apiv1.SetProfileRequest{DisplayName: name, Kind: "agency", Contact: "registry@example.org"})
		require.NoError(t, err)
		require.Equal(t, registry, resp.Profile.MspId)
		require.NotEmpty(t, resp.Committed.TransactionId)
		require.NoError(t, tn.WaitForBlock(ctx(t), resp.Committed.BlockNumber))

		p, err := apiv1.NewDirectoryServiceClient(gw(t, treasury, "clerk")).GetProfile(ctx(t), &apiv1.GetProfileRequest{MspId: registry})
		require.NoError(t, err)
		require.Equal(t, name, p.DisplayName)

		tx, err := apiv1.NewLedgerServiceClient(gw(t, council, "clerk")).GetTransaction(ctx(t),
			&apiv1.GetTransactionRequest{TransactionId: resp.Committed.TransactionId})
		require.NoError(t, err)
		require.True(t, tx.Valid)
		require.Equal(t, registry, tx.CreatorMspId)
		require.Equal(t, "Directory:SetProfile", tx.Function)
		require.GreaterOrEqual(t, len(tx.Endorsers), 2)
	})

	t.Run("a retried call with the same idempotency key returns the first result", func(t *testing.T) {
		client := apiv1.NewDirectoryServiceClient(gw(t, treasury, "admin"))
		req := &apiv1.SetProfileRequest{DisplayName: uniqueID("Treasury"), Kind: "ministry", Contact: "treasury@example.org"}
		key := uniqueID("key")
		first, err := client.SetProfile(withIdempotencyKey(ctx(t), key), req)
		require.NoError(t, err)
		again, err := client.SetProfile(withIdempotencyKey(ctx(t), key), req)
		require.NoError(t, err)
		require.Equal(t, first.Committed.TransactionId, again.Committed.TransactionId)
		other, err := client.SetProfile(withIdempotencyKey(ctx(t), uniqueID("key")), req)
		require.NoError(t, err)
		require.NotEqual(t, first.Committed.TransactionId, other.Committed.TransactionId)
	})

	t.Run("a clerk may not publish the profile", func(t *testing.T) {
		_, err := apiv1.NewDirectoryServiceClient(gw(t, registry, "clerk")).SetProfile(ctx(t),
			&apiv1.SetProfileRequest{DisplayName: "x", Kind: "agency", Contact: "y"})
		requireCode(t, err, codes.PermissionDenied)
	})

	t.Run("missing fields are refused before reaching the ledger", func(t *testing.T) {
		_, err := apiv1.NewDirectoryServiceClient(gw(t, registry, "admin")).SetProfile(ctx(t), &apiv1.SetProfileRequest{Kind: "agency"})
		requireCode(t, err, codes.InvalidArgument)
	})

	t.Run("an unknown administration is not found", func(t *testing.T) {
		_, err := apiv1.NewDirectoryServiceClient(gw(t, registry, "clerk")).GetProfile(ctx(t), &apiv1.GetProfileRequest{MspId: "NowhereMSP"})
		requireCode(t, err, codes.NotFound)
	})
}
