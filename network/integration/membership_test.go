//go:build integration

package integration

import (
	"context"
	"crypto/sha256"
	"crypto/tls"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hyperledger/fabric-config/configtx"
	"github.com/hyperledger/fabric-gateway/pkg/client"
	"github.com/hyperledger/fabric-gateway/pkg/identity"
	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"

	"github.com/civicledger/civicledger/network"
	"github.com/civicledger/civicledger/network/configupdate"
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
	req, err := tn.CreateAdministration(ctx, network.Organization{
		MSPID: archive, Name: "archive", DisplayName: "City Archive", Kind: "agency", Contact: "archive@example.org",
	})
	require.NoError(t, err)
	current, err := tn.ChannelConfig(ctx)
	require.NoError(t, err)
	update, err := configupdate.AddAdministration(current, tn.Conn.Channel, req)
	require.NoError(t, err)
	var sigs []*common.ConfigSignature
	for _, msp := range []string{registry, treasury} {
		sig, err := configupdate.Sign(update.Bytes, adminSigner(t, msp))
		require.NoError(t, err)
		sigs = append(sigs, sig)
	}
	verdict, err := configupdate.Check(current, update.Bytes, sigs, time.Now())
	require.NoError(t, err)
	require.True(t, verdict.Satisfied(), "%+v", verdict.Policies)
	env, err := configupdate.Envelope(update.Bytes, adminSigner(t, registry), sigs...)
	require.NoError(t, err)

	require.ErrorIs(t, tn.JoinAdministration(ctx, archive), network.ErrNotInChannel,
		"a newcomer cannot join before the update adding it is applied")

	broadcastAt := time.Now()
	require.NoError(t, configupdate.Broadcast(ctx, dialOrderer(t, treasury), env))
	// SUCCESS means accepted for ordering: the update is applied once the
	// config block that carries it is committed.
	require.EventuallyWithT(t, func(c *assert.CollectT) {
		cfg, err := tn.ChannelConfig(ctx)
		require.NoError(c, err)
		require.Contains(c, cfg.GetChannelGroup().GetGroups()["Application"].GetGroups(), archive)
	}, 30*time.Second, 200*time.Millisecond)
	t.Logf("from broadcast to the config block: %.1fs", time.Since(broadcastAt).Seconds())
	require.NoError(t, tn.JoinAdministration(ctx, archive))
	// Joining ends with the newcomer's first transaction: its profile.
	t.Logf("from broadcast to the newcomer's first committed transaction: %.1fs", time.Since(broadcastAt).Seconds())
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

// adminSigner is mspID's admin, from the files the connection file names.
func adminSigner(t *testing.T, mspID string) *configtx.SigningIdentity {
	t.Helper()
	org, err := tn.Conn.Org(mspID)
	require.NoError(t, err)
	for _, u := range org.Users {
		if u.Role != "admin" {
			continue
		}
		certPEM, err := os.ReadFile(u.Cert)
		require.NoError(t, err)
		cert, err := identity.CertificateFromPEM(certPEM)
		require.NoError(t, err)
		keyPEM, err := os.ReadFile(u.Key)
		require.NoError(t, err)
		key, err := identity.PrivateKeyFromPEM(keyPEM)
		require.NoError(t, err)
		return &configtx.SigningIdentity{Certificate: cert, PrivateKey: key, MSPID: mspID}
	}
	t.Fatalf("%s has no admin in the connection file", mspID)
	return nil
}

// dialOrderer opens a TLS connection to mspID's orderer.
func dialOrderer(t *testing.T, mspID string) *grpc.ClientConn {
	t.Helper()
	org, err := tn.Conn.Org(mspID)
	require.NoError(t, err)
	pool, err := tn.Conn.RootCertPool()
	require.NoError(t, err)
	conn, err := grpc.NewClient(org.Orderer.Address,
		grpc.WithTransportCredentials(credentials.NewTLS(&tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12})))
	require.NoError(t, err)
	t.Cleanup(func() { conn.Close() })
	return conn
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
