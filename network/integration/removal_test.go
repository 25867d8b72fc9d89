//go:build integration

package integration

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"github.com/hyperledger/fabric-config/configtx"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
	"github.com/civicledger/civicledger/gateway/proofs/receipt"
)

// removeTreasury removes an original member whose nodes are already down,
// as the three others' admins would with ledgerctl, then checks that
// Treasury is refused everywhere (leaver_test.go) while what it did stays.
func removeTreasury(t *testing.T, ledgerctl string) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()

	// Before it leaves, Treasury's clerk registers a document.
	docID := "TRS-" + time.Now().Format("150405.000000")
	registered := registerThroughGateway(t, treasury, docID)
	leaver, err := tn.Conn.Org(treasury)
	require.NoError(t, err)

	require.NoError(t, tn.StopAdministration(ctx, treasury))
	require.NoError(t, tn.Reload())

	t.Run("with Treasury's nodes down the three others commit without being told whom to ask", func(t *testing.T) {
		began := time.Now()
		code, err := submit(t, registry, "admin", "Directory:SetProfile", nil, "Registry of Certified Documents", "agency", "registry@example.org")
		require.NoError(t, err)
		require.Equal(t, peer.TxValidationCode_VALID, code)
		t.Logf("first submit with Treasury's peer down: %.1fs", time.Since(began).Seconds())
	})

	// Two proposals computed against the same configuration: Treasury's
	// removal, which is applied, and Council's, which is then stale.
	out := ledgerctlText(t, ledgerctl, "registry", "membership", "propose-remove", treasury)
	id := regexp.MustCompile(`proposal ([0-9a-f]{64}):`).FindStringSubmatch(out)
	require.Len(t, id, 2, "no proposal id in %q", out)
	stale := ledgerctlProposal(t, ledgerctl, "archive", "membership", "propose-remove", council)
	for _, org := range []string{"registry", "council"} {
		ledgerctlText(t, ledgerctl, org, "membership", "sign", id[1])
	}
	t.Run("applying with two signatures of four is refused: MAJORITY is three", func(t *testing.T) {
		code, msg := ledgerctlFails(t, ledgerctl, "council", "membership", "apply", id[1])
		require.Equal(t, "FailedPrecondition", code)
		require.Contains(t, msg, "do not satisfy the channel's policies yet")
		require.Contains(t, msg, "3 needed")
	})
	ledgerctlText(t, ledgerctl, "archive", "membership", "sign", id[1])
	// Archive applies: its peer has committed its signature (another
	// administration's peer may not have it yet, and would count two).
	ledgerctlText(t, ledgerctl, "archive", "membership", "apply", id[1])
	applied := ledgerctlProposal(t, ledgerctl, "council", "membership", "get", id[1])
	require.Equal(t, "applied", applied.Status)
	require.Len(t, applied.Signatures, 3)

	t.Run("the channel has three administrations and three consenters, Treasury's gone", func(t *testing.T) {
		cfg, err := tn.ChannelConfig(ctx)
		require.NoError(t, err)
		orgs := cfg.GetChannelGroup().GetGroups()["Application"].GetGroups()
		require.Len(t, orgs, 3)
		require.NotContains(t, orgs, treasury)
		require.NotContains(t, cfg.GetChannelGroup().GetGroups()["Orderer"].GetGroups(), treasury)
		tx := configtx.New(cfg)
		ord, err := tx.Orderer().Configuration()
		require.NoError(t, err)
		require.Len(t, ord.EtcdRaft.Consenters, 3)
		requireClusterSize(t, ctx, 3, registry, archive)
	})

	t.Run("a proposal computed before the removal is refused as stale: propose again", func(t *testing.T) {
		code, msg := ledgerctlFails(t, ledgerctl, "registry", "membership", "apply", stale.Id)
		require.Equal(t, "FailedPrecondition", code)
		require.Contains(t, msg, "propose again")
	})

	t.Run("removing one more of three is refused: too few would remain", func(t *testing.T) {
		code, msg := ledgerctlFails(t, ledgerctl, "registry", "membership", "propose-remove", council)
		require.Equal(t, "FailedPrecondition", code)
		require.Contains(t, msg, "would leave 2 of the minimum 3")
	})

	t.Run("Treasury's profile shows when it left and at which config block", func(t *testing.T) {
		require.EventuallyWithT(t, func(c *assert.CollectT) {
			p := getProfile(t, archive, treasury)
			require.NotEmpty(c, p.LeftAt)
			require.Equal(c, applied.AppliedBlock, p.LeftConfigBlock)
			require.Equal(c, treasury, p.MSPID, "the profile stays readable")
		}, 30*time.Second, 500*time.Millisecond)
		ledgerctlText(t, ledgerctl, "registry", "directory", "list")
	})

	t.Run("Treasury's clerk is refused by every remaining gateway, peer and orderer", func(t *testing.T) {
		for _, msp := range []string{registry, council, archive} {
			at, err := tn.Conn.Org(msp)
			require.NoError(t, err)
			t.Run("at "+msp, func(t *testing.T) { requireRefusedEverywhere(t, leaver, at) })
		}
	})

	t.Run("Treasury's document still verifies, and so does its receipt against the configuration of its time", func(t *testing.T) {
		verdict, err := apiv1.NewDocumentsServiceClient(gatewayConn(t, council, "clerk")).VerifyDocument(ctx,
			&apiv1.VerifyDocumentRequest{Issuer: treasury, Id: docID})
		require.NoError(t, err)
		require.Equal(t, apiv1.DocumentStatus_DOCUMENT_STATUS_VALID, verdict.Verdict.Status)

		dir := t.TempDir()
		rc, trust := filepath.Join(dir, "receipt.json"), filepath.Join(dir, "trust.json")
		runLedgerctl(t, ledgerctl, "registry", "receipt", "export", registered.TransactionId, "--out", rc)
		runLedgerctl(t, ledgerctl, "archive", "receipt", "trust", "--out", trust)
		runLedgerctl(t, ledgerctl, "council", "receipt", "verify", rc, "--trust", trust,
			"--expect", "document/"+treasury+"/"+docID, "--expect-value", hexHash("permit "+docID))

		raw, err := os.ReadFile(rc)
		require.NoError(t, err)
		r, err := receipt.Parse(raw)
		require.NoError(t, err)
		data, err := os.ReadFile(trust)
		require.NoError(t, err)
		tr, err := receipt.ParseTrust(data)
		require.NoError(t, err)
		rep := receipt.Verify(r, tr)
		require.True(t, rep.Valid(), "checks: %+v", rep.Checks)
		require.Equal(t, treasury, rep.Creator.MSPID)
		latest := tr.Configurations[len(tr.Configurations)-1]
		require.NotContains(t, latest.Members, treasury, "today's configuration has no Treasury")
		require.Less(t, rep.ConfigBlock, latest.BlockNumber, "the receipt names the configuration of its time")
	})
}

// registerThroughGateway registers a document of mspID through its
// CivicLedger gateway as its clerk and returns where it committed.
func registerThroughGateway(t *testing.T, mspID, id string) *apiv1.Committed {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	resp, err := apiv1.NewDocumentsServiceClient(gatewayConn(t, mspID, "clerk")).RegisterDocument(ctx, loadDocument(id))
	require.NoError(t, err)
	require.NoError(t, tn.WaitForBlock(ctx, resp.Committed.BlockNumber))
	return resp.Committed
}
