//go:build integration

package integration

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/hyperledger/fabric-gateway/pkg/client"
	"github.com/stretchr/testify/require"

	"github.com/civicledger/civicledger/chaincode/records"
	"github.com/civicledger/civicledger/chaincode/spec"
)

const (
	registry = "RegistryMSP"
	treasury = "TreasuryMSP"
)

func uniqueID(prefix string) string { return fmt.Sprintf("%s-%d", prefix, time.Now().UnixNano()) }

func hexHash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// register registers document id with the bytes' hash as a Registry clerk,
// then its subject data (private, transient) holding name, and returns the
// block of the last of the two transactions.
func register(t *testing.T, id, bytes, name string) uint64 {
	t.Helper()
	in, err := json.Marshal(records.DocumentRegistration{ID: id, Type: "permit", SHA256: hexHash(bytes),
		KeyFacts: map[string]string{"zone": "B"}, ValidFrom: "2024-01-01T00:00:00Z", SubjectRef: hexHash("salt:" + id)})
	require.NoError(t, err)
	subject := fmt.Sprintf(`{"salt":"%s","name":%q}`, hexHash(id)[:16], name)
	submit(t, "clerk", spec.DocumentsRegister, nil, client.WithArguments(string(in)))
	// The subject goes to the issuer's own collection, endorsed by its peer
	// alone, so the transient data never reaches another administration.
	return submit(t, "clerk", spec.DocumentsSetSubject, []string{registry},
		client.WithArguments(id), client.WithTransient(map[string][]byte{spec.SubjectTransientKey: []byte(subject)}))
}

// submit submits as a Registry user, endorsed by the listed administrations
// (all that the policy chooses when none), and returns the commit's block.
func submit(t *testing.T, user, tx string, endorsers []string, opts ...client.ProposalOption) uint64 {
	t.Helper()
	c, err := tn.Contract(registry, user)
	require.NoError(t, err)
	if len(endorsers) > 0 {
		opts = append(opts, client.WithEndorsingOrganizations(endorsers...))
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	proposal, err := c.NewProposal(tx, opts...)
	require.NoError(t, err)
	endorsed, err := proposal.EndorseWithContext(ctx)
	require.NoError(t, err, tx)
	commit, err := endorsed.SubmitWithContext(ctx)
	require.NoError(t, err, tx)
	st, err := commit.StatusWithContext(ctx)
	require.NoError(t, err)
	require.True(t, st.Successful, "%s: %s", tx, st.Code)
	return st.BlockNumber
}

// get fetches a portal URL path and returns the status and body.
func get(t *testing.T, path string, header ...string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, tn.PortalURL()+path, nil)
	require.NoError(t, err)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	c := &http.Client{Timeout: 20 * time.Second}
	resp, err := c.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, string(body)
}

// waitIndexed waits until the portal's register lists document id.
func waitIndexed(t *testing.T, ids ...string) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for _, id := range ids {
		for {
			code, body := get(t, "/api/v1/status?issuer="+registry+"&id="+id)
			var v struct {
				Block uint64 `json:"block"`
			}
			if code == http.StatusOK && json.Unmarshal([]byte(body), &v) == nil && v.Block > 0 {
				break
			}
			require.True(t, time.Now().Before(deadline), "document %s not indexed: %d %s", id, code, body)
			time.Sleep(200 * time.Millisecond)
		}
	}
}

func withArgs(args ...string) []client.ProposalOption {
	return []client.ProposalOption{client.WithArguments(args...)}
}

// waitFor polls ok until it holds, for at most a minute.
func waitFor(t *testing.T, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for !ok() {
		require.True(t, time.Now().Before(deadline), "timed out waiting for %s", what)
		time.Sleep(200 * time.Millisecond)
	}
}
