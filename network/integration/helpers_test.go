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
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hyperledger/fabric-gateway/pkg/client"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"github.com/stretchr/testify/require"
)

// submit endorses tx at endorsers' peers (all nil: as the Gateway plans),
// submits it and returns its validation code.
func submit(t *testing.T, mspID, user, tx string, endorsers []string, args ...string) (peer.TxValidationCode, error) {
	t.Helper()
	contract, err := tn.Contract(mspID, user)
	require.NoError(t, err)
	opts := []client.ProposalOption{client.WithArguments(args...)}
	if endorsers != nil {
		opts = append(opts, client.WithEndorsingOrganizations(endorsers...))
	}
	proposal, err := contract.NewProposal(tx, opts...)
	require.NoError(t, err)
	endorsed, err := proposal.Endorse()
	if err != nil {
		return 0, err
	}
	commit, err := endorsed.Submit()
	if err != nil {
		return 0, err
	}
	st, err := commit.Status()
	if err != nil {
		return 0, err
	}
	return st.Code, nil
}

// metric reads the value of the first Prometheus series at addr whose line
// starts with name and contains match.
func metric(ctx context.Context, addr, name, match string) (float64, error) {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+addr+"/metrics", nil)
	if err != nil {
		return 0, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(body), "\n") {
		if strings.HasPrefix(line, name) && strings.Contains(line, match) {
			fields := strings.Fields(line)
			return strconv.ParseFloat(fields[len(fields)-1], 64)
		}
	}
	return 0, fmt.Errorf("no %s{%s} at %s", name, match, addr)
}

func hexHash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// runLedgerctl runs ledgerctl as org's admin with --json and returns what it
// printed; it fails the test unless the command succeeded.
func runLedgerctl(t *testing.T, bin, org string, args ...string) []byte {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"--connection", tn.ConnectionFile(), "--org", org, "--user", "admin", "--json"}, args...)...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	require.NoError(t, err, "ledgerctl %s: %s%s", strings.Join(args, " "), out, stderr.String())
	return out
}

// ledgerctlFails runs ledgerctl as org's admin, requires it to fail and
// returns the gRPC code and message it reported ({"error":{"code","message"}}
// on stdout with --json).
func ledgerctlFails(t *testing.T, bin, org string, args ...string) (code, message string) {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"--connection", tn.ConnectionFile(), "--org", org, "--user", "admin", "--json"}, args...)...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	require.Error(t, err, "ledgerctl %s succeeded: %s", strings.Join(args, " "), out)
	var reported struct {
		Error struct{ Code, Message string }
	}
	require.NoError(t, json.Unmarshal(out, &reported), "ledgerctl %s: %s%s", strings.Join(args, " "), out, stderr.String())
	t.Logf("$ ledgerctl --org %s --user admin %s\n%s", org, strings.Join(args, " "), strings.TrimSpace(stderr.String()))
	return reported.Error.Code, reported.Error.Message
}

// ledgerctlText runs ledgerctl as org's admin without --json, as a person
// would, logs what it printed (the runbook in docs/operations.md quotes it)
// and returns it; it fails the test unless the command succeeded.
func ledgerctlText(t *testing.T, bin, org string, args ...string) string {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"--connection", tn.ConnectionFile(), "--org", org, "--user", "admin"}, args...)...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	require.NoError(t, err, "ledgerctl %s: %s%s", strings.Join(args, " "), out, stderr.String())
	t.Logf("$ ledgerctl --org %s --user admin %s\n%s", org, strings.Join(args, " "), out)
	return string(out)
}
