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

	"github.com/hyperledger/fabric-config/configtx"
	"github.com/hyperledger/fabric-gateway/pkg/client"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/civicledger/civicledger/network"
	"github.com/civicledger/civicledger/network/testnet"
)

const (
	registry = "RegistryMSP"
	treasury = "TreasuryMSP"
	council  = "CouncilMSP"
	archive  = "ArchiveMSP"
)

// TestAdministrationJoins adds a fourth administration to the running
// network as its operators would: the newcomer is created, two of three
// admins sign the config update, it is broadcast, and the newcomer joins.
func TestAdministrationJoins(t *testing.T) {
	if !tn.Owned() {
		t.Skip("adds an administration for good: runs only on a network the test started, not on $CIVIC_NETWORK")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	_, err := tn.CreateAdministration(ctx, network.Organization{
		MSPID: archive, Name: "archive", DisplayName: "City Archive", Kind: "agency", Contact: "archive@example.org",
	})
	require.NoError(t, err)
	request, err := tn.JoinRequestFile(archive)
	require.NoError(t, err)

	// The members decide through their gateways, as their admins would with
	// ledgerctl: propose from the join request, two of three sign, one applies.
	ledgerctl := testnet.BuildLedgerctl(t)
	var proposal struct {
		Proposal struct {
			ID         string `json:"id"`
			Status     string `json:"status"`
			Signatures []struct {
				MSPID string `json:"mspId"`
			} `json:"signatures"`
		} `json:"proposal"`
	}
	require.NoError(t, json.Unmarshal(runLedgerctl(t, ledgerctl, "registry", "membership", "propose-add", "--request", request), &proposal))
	id := proposal.Proposal.ID
	require.Len(t, id, 64, "the proposal id is the update's SHA-256")
	for _, org := range []string{"registry", "treasury"} {
		runLedgerctl(t, ledgerctl, org, "membership", "sign", id)
	}

	require.ErrorIs(t, tn.JoinAdministration(ctx, archive), network.ErrNotInChannel,
		"a newcomer cannot join before the update adding it is applied")

	applyAt := time.Now()
	require.NoError(t, json.Unmarshal(runLedgerctl(t, ledgerctl, "treasury", "membership", "apply", id), &proposal))
	require.Equal(t, "applied", proposal.Proposal.Status)
	require.Len(t, proposal.Proposal.Signatures, 2)
	// Apply returns once the peer has the config block carrying the update.
	cfg, err := tn.ChannelConfig(ctx)
	require.NoError(t, err)
	require.Contains(t, cfg.GetChannelGroup().GetGroups()["Application"].GetGroups(), archive)
	t.Logf("from ledgerctl membership apply to the config block: %.1fs", time.Since(applyAt).Seconds())
	require.NoError(t, tn.JoinAdministration(ctx, archive))
	// Joining ends with the newcomer's first transaction: its profile.
	t.Logf("from ledgerctl membership apply to the newcomer's first committed transaction: %.1fs", time.Since(applyAt).Seconds())
	require.NoError(t, tn.Reload())

	t.Run("the channel has four administrations and four consenters", func(t *testing.T) {
		cfg, err := tn.ChannelConfig(ctx)
		require.NoError(t, err)
		require.Len(t, cfg.GetChannelGroup().GetGroups()["Application"].GetGroups(), 4)
		tx := configtx.New(cfg)
		ord, err := tx.Orderer().Configuration()
		require.NoError(t, err)
		require.Len(t, ord.EtcdRaft.Consenters, 4)
	})

	t.Run("every orderer, the newcomer's too, runs Raft with four consenters", func(t *testing.T) {
		for _, msp := range []string{registry, archive} {
			org, err := tn.Conn.Org(msp)
			require.NoError(t, err)
			require.EventuallyWithT(t, func(c *assert.CollectT) {
				size, err := metric(ctx, org.Orderer.Operations, "consensus_etcdraft_cluster_size", `channel="`+tn.Conn.Channel+`"`)
				require.NoError(c, err)
				require.Equal(c, 4.0, size, "cluster size at %s", msp)
			}, 30*time.Second, 500*time.Millisecond)
		}
	})

	t.Run("the newcomer's clerk registers a document that another administration verifies", func(t *testing.T) {
		id := "EXT-" + time.Now().Format("150405.000000")
		now := time.Now().UTC()
		doc, err := json.Marshal(map[string]any{
			"id": id, "type": "debt-extract", "sha256": hexHash("extract " + id),
			"keyFacts":   map[string]string{"proceedings": "0"},
			"validFrom":  now.Add(-time.Hour).Format(time.RFC3339),
			"validUntil": now.AddDate(1, 0, 0).Format(time.RFC3339),
			"subjectRef": hexHash("salt:" + id),
		})
		require.NoError(t, err)
		code, err := submit(t, archive, "clerk", "Documents:Register", nil, string(doc))
		require.NoError(t, err)
		require.Equal(t, peer.TxValidationCode_VALID, code)
		verifier, err := tn.Contract(council, "clerk")
		require.NoError(t, err)
		require.EventuallyWithT(t, func(c *assert.CollectT) {
			raw, err := verifier.EvaluateTransaction("Documents:Verify", archive, id)
			require.NoError(c, err)
			var verdict struct{ Status string }
			require.NoError(c, json.Unmarshal(raw, &verdict))
			require.Equal(c, "valid", verdict.Status)
		}, 30*time.Second, 500*time.Millisecond)
	})

	t.Run("with four members two endorsements are refused and three commit", func(t *testing.T) {
		tests := map[string]struct {
			endorsers []string
			want      peer.TxValidationCode
		}{
			"endorsed by two administrations":                  {[]string{registry, treasury}, peer.TxValidationCode_ENDORSEMENT_POLICY_FAILURE},
			"endorsed by two administrations and the newcomer": {[]string{registry, treasury, archive}, peer.TxValidationCode_VALID},
		}
		for name, tc := range tests {
			t.Run(name, func(t *testing.T) {
				code, err := submit(t, council, "admin", "Directory:SetProfile", tc.endorsers, "Council Secretariat", "city", "council@example.org")
				require.NoError(t, err)
				require.Equal(t, tc.want, code)
			})
		}
	})

	t.Run("with one old orderer stopped the newcomer's orderer completes the Raft quorum", func(t *testing.T) {
		// Three of four consenters are a quorum only if the newcomer's counts.
		require.NoError(t, tn.StopOrderer(ctx, council))
		defer func() { require.NoError(t, tn.StartOrderer(ctx, council)) }()
		require.EventuallyWithT(t, func(c *assert.CollectT) {
			code, err := submit(t, registry, "admin", "Directory:SetProfile", nil, "Registry of Certified Documents", "agency", "registry@example.org")
			require.NoError(c, err)
			require.Equal(c, peer.TxValidationCode_VALID, code)
		}, 60*time.Second, time.Second)
	})

	t.Run("after down and up the newcomer runs and endorses with the others", func(t *testing.T) {
		require.NoError(t, tn.Down(ctx, false))
		require.NoError(t, tn.Up(ctx))
		require.True(t, tn.Running())
		names := map[string]bool{}
		for _, p := range tn.Status() {
			names[p.Name] = true
		}
		for _, kind := range []string{"ca", "orderer", "peer", "chaincode", "gateway"} {
			require.True(t, names[kind+".archive"], "%s.archive is not among the restarted processes", kind)
		}
		code, err := submit(t, archive, "admin", "Directory:SetProfile", []string{archive, registry, council}, "City Archive", "agency", "archive@example.org")
		require.NoError(t, err)
		require.Equal(t, peer.TxValidationCode_VALID, code)
	})
}

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
