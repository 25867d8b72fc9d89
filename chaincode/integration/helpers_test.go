//go:build integration

package integration

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/hyperledger/fabric-gateway/pkg/client"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"github.com/stretchr/testify/require"
)

const (
	registry = "RegistryMSP"
	treasury = "TreasuryMSP"
	council  = "CouncilMSP"
)

// uniqueID makes ids unique per run, so tests can share an attached network.
func uniqueID(prefix string) string { return fmt.Sprintf("%s-%d", prefix, time.Now().UnixNano()) }

// hexHash is the lowercase hex SHA-256 of s.
func hexHash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// jsonArg encodes v as one JSON transaction argument.
func jsonArg(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return string(b)
}

// decode unmarshals a transaction result.
func decode[T any](t *testing.T, raw []byte) T {
	t.Helper()
	var v T
	require.NoError(t, json.Unmarshal(raw, &v), "result: %s", raw)
	return v
}

// evaluate runs a query as user of mspID; with at set, on that
// administration's peer only.
func evaluate(t *testing.T, mspID, user, tx string, at string, args ...string) ([]byte, error) {
	t.Helper()
	opts := []client.ProposalOption{client.WithArguments(args...)}
	if at != "" {
		opts = append(opts, client.WithEndorsingOrganizations(at))
	}
	proposal, err := contract(t, mspID, user).NewProposal(tx, opts...)
	require.NoError(t, err)
	return proposal.Evaluate()
}

// mustEvaluate runs a query and requires it to succeed.
func mustEvaluate(t *testing.T, mspID, user, tx string, args ...string) []byte {
	t.Helper()
	raw, err := evaluate(t, mspID, user, tx, "", args...)
	require.NoError(t, err, "%s: %s", tx, errorText(err))
	return raw
}

// submitEndorsedBy submits as user of mspID with endorsements from exactly
// the listed administrations and returns the commit's validation code.
func submitEndorsedBy(t *testing.T, mspID, user, tx string, endorsers []string, args ...string) peer.TxValidationCode {
	t.Helper()
	code, _, err := submit(t, contract(t, mspID, user), tx,
		client.WithArguments(args...), client.WithEndorsingOrganizations(endorsers...))
	require.NoError(t, err, "%s endorsed by %v: %s", tx, endorsers, errorText(err))
	return code
}
