//go:build integration

package integration

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// refusedThroughGateways checks, through the members' real gateways and
// ledgerctl, the refusals that need a four-member channel: a proposal
// past its expiry takes no signature, and an administration already in
// the channel cannot be added again (request is Archive's join request).
// Refusals of the three-member channel are in removal_test.go and in
// gateway/integration; every refusal is also a unit test of the
// chaincode, configupdate or the gateway's handlers.
func refusedThroughGateways(t *testing.T, ledgerctl, request string) {
	t.Run("a proposal past its expiry takes no signature", func(t *testing.T) {
		p := ledgerctlProposal(t, ledgerctl, "council", "membership", "propose-remove", archive, "--expires-in", "8s")
		time.Sleep(time.Until(mustParseTime(t, p.ExpiresAt).Add(time.Second)))
		code, msg := ledgerctlFails(t, ledgerctl, "registry", "membership", "sign", p.Id)
		require.Equal(t, "FailedPrecondition", code)
		require.Contains(t, msg, "is expired")
		got := ledgerctlProposal(t, ledgerctl, "registry", "membership", "get", p.Id)
		require.Empty(t, got.Signatures, "nothing was signed")
	})

	t.Run("an administration already in the channel cannot be added again", func(t *testing.T) {
		code, msg := ledgerctlFails(t, ledgerctl, "registry", "membership", "propose-add", "--request", request)
		require.Equal(t, "AlreadyExists", code)
		require.Contains(t, msg, archive)
	})
}

func mustParseTime(t *testing.T, s string) time.Time {
	t.Helper()
	at, err := time.Parse(time.RFC3339, s)
	require.NoError(t, err)
	return at
}
