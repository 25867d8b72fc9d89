//go:build integration

package integration

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/encoding/protojson"

	"github.com/civicledger/civicledger/chaincode/spec"
	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
	"github.com/civicledger/civicledger/network/testnet"
)

// TestChaincodeUpgrade upgrades the chaincode of the running network from
// its version to 2.0 as the administrations' operators would, while the
// first member's clerks register documents without pause: each
// administration installs the new version (civicnet chaincode install;
// one that has not may not approve),
// an admin proposes it, every available administration's admin approves
// it through its own gateway, and one commits it. No registration the
// gateway acknowledged may be lost, a document registered before the
// upgrade still verifies after it, the committed definition is the new
// one, and registrations go on once the old version's services are
// stopped, so the new version serves them. Run after
// TestAdministrationJoins (same package, same network), it upgrades the
// three administrations that remain.
func TestChaincodeUpgrade(t *testing.T) {
	if !tn.Owned() {
		t.Skip("upgrades the chaincode for good: runs only on a network the test started, not on $CIVIC_NETWORK")
	}
	require.NoError(t, tn.Reload())
	var members []string
	for _, o := range tn.Conn.Orgs {
		members = append(members, o.MSPID)
	}
	require.GreaterOrEqual(t, len(members), 3)
	first, second, third := members[0], members[1], members[2]
	ledgerctl := testnet.BuildLedgerctl(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()

	before := "PRE-UPGRADE-" + time.Now().Format("150405")
	registerThroughGateway(t, first, before)
	definition := func(t *testing.T, org string) *apiv1.ChaincodeDefinition {
		var d apiv1.ChaincodeDefinition
		require.NoError(t, protojson.Unmarshal(runLedgerctl(t, ledgerctl, org, "upgrade", "definition"), &d))
		return &d
	}
	old := definition(t, second)
	t.Logf("committed before the upgrade: %s %s at sequence %d", old.Name, old.Version, old.Sequence)

	began := time.Now()
	l := startLoad(t, first, 2)
	l.waitMore(t, 3, time.Minute)
	l.mark("proposed")

	var packageID string
	t.Run("two administrations install the new version next to the committed one", func(t *testing.T) {
		var err error
		packageID, err = tn.InstallChaincodeVersion(ctx, "2.0", members[:2])
		require.NoError(t, err)
		require.Regexp(t, `^civic_2\.0:[0-9a-f]{64}$`, packageID)
		again, err := tn.InstallChaincodeVersion(ctx, "2.0", members[:1])
		require.NoError(t, err, "installing the same version again is harmless")
		require.Equal(t, packageID, again)
		versions, err := tn.ChaincodeVersions()
		require.NoError(t, err)
		require.Len(t, versions, 2)
		require.Equal(t, old.Version, versions[0].Version)
		require.Equal(t, "2.0", versions[1].Version)
		require.Equal(t, packageID, versions[1].PackageID)
		require.Len(t, versions[1].Port, 2, "installed by the first two administrations only")
		require.NotContains(t, versions[1].Port, third)
		for _, org := range members[:2] {
			require.NotEqual(t, versions[0].Port[org], versions[1].Port[org], "%s runs the two versions on two ports", org)
		}
	})

	id := spec.UpgradeID(old.Name, old.Sequence+1)
	t.Run("an admin proposes it; a clerk may not", func(t *testing.T) {
		out := ledgerctlText(t, ledgerctl, first, "upgrade", "propose", "--version", "2.0", "--package-id", packageID)
		require.Contains(t, out, "upgrade "+id+": civic version 2.0")
		_, err := apiv1.NewUpgradeServiceClient(gatewayConn(t, second, "clerk")).Propose(ctx, &apiv1.ProposeUpgradeRequest{Version: "2.1", PackageId: packageID})
		require.Equal(t, codes.PermissionDenied, status.Code(err), "%v", err)
		code, msg := ledgerctlFails(t, ledgerctl, second, "upgrade", "propose", "--version", "2.0", "--package-id", packageID)
		require.Equal(t, "AlreadyExists", code, msg)
	})

	t.Run("a commit before a majority approved is refused, naming who approved", func(t *testing.T) {
		ledgerctlText(t, ledgerctl, first, "upgrade", "approve", id)
		code, msg := ledgerctlFails(t, ledgerctl, second, "upgrade", "commit", id)
		require.Equal(t, "FailedPrecondition", code)
		require.Contains(t, msg, "approved on the ledger by ["+first+"]")
	})

	t.Run("a second approval by the same administration is refused", func(t *testing.T) {
		code, msg := ledgerctlFails(t, ledgerctl, first, "upgrade", "approve", id)
		require.Equal(t, "AlreadyExists", code)
		require.Contains(t, msg, first+" already approved upgrade "+id)
	})

	t.Run("an administration that has not installed the package may not approve it until it does", func(t *testing.T) {
		code, msg := ledgerctlFails(t, ledgerctl, third, "upgrade", "approve", id)
		require.Equal(t, "FailedPrecondition", code)
		require.Contains(t, msg, "package "+packageID+" is not installed on "+third+"'s peer")
		again, err := tn.InstallChaincodeVersion(ctx, "2.0", []string{third})
		require.NoError(t, err)
		require.Equal(t, packageID, again)
	})

	t.Run("every available administration approves, and the approvals are on the ledger with time and approver", func(t *testing.T) {
		for _, org := range members[1:] {
			ledgerctlText(t, ledgerctl, org, "upgrade", "approve", id)
		}
		d := definition(t, third)
		for _, org := range members {
			require.True(t, d.NextApprovals[org], "%s's approval in the lifecycle: %v", org, d.NextApprovals)
		}
		ledgerctlText(t, ledgerctl, third, "upgrade", "definition")
		var p apiv1.UpgradeProposalResponse
		require.NoError(t, protojson.Unmarshal(runLedgerctl(t, ledgerctl, third, "upgrade", "get", id), &p))
		require.Len(t, p.Upgrade.Approvals, len(members))
		for i, a := range p.Upgrade.Approvals {
			require.Equal(t, members[i], a.MspId)
			require.Len(t, a.ApproverCertId, 64)
			require.NotEmpty(t, a.ApprovedAt)
		}
	})

	t.Run("an admin commits it and the commit is recorded", func(t *testing.T) {
		out := ledgerctlText(t, ledgerctl, second, "upgrade", "commit", id)
		require.Contains(t, out, "committed by "+second)
		l.mark("committed")
		d := definition(t, first)
		require.Equal(t, "2.0", d.Version)
		require.Equal(t, old.Sequence+1, d.Sequence)
		ledgerctlText(t, ledgerctl, first, "upgrade", "list")
	})

	t.Run("refusals after the commit: approving the committed upgrade, an unknown upgrade", func(t *testing.T) {
		code, msg := ledgerctlFails(t, ledgerctl, third, "upgrade", "approve", id)
		require.Equal(t, "FailedPrecondition", code)
		require.Contains(t, msg, "is committed")
		code, _ = ledgerctlFails(t, ledgerctl, third, "upgrade", "get", spec.UpgradeID(old.Name, 99))
		require.Equal(t, "NotFound", code)
	})

	t.Run("with the old version's services stopped, registrations go on, served by the new version", func(t *testing.T) {
		l.waitMore(t, 3, 2*time.Minute)
		require.ErrorContains(t, tn.StopChaincodeVersion(ctx, "2.0"), "chaincode version 2.0 is the committed one")
		require.NoError(t, tn.StopChaincodeVersion(ctx, old.Version))
		l.mark("old version stopped")
		l.waitMore(t, 5, 2*time.Minute)
		after := "POST-UPGRADE-" + time.Now().Format("150405")
		registerThroughGateway(t, second, after)
		requireValid(t, third, second, after)
	})

	t.Run("no acknowledged registration is lost and the data registered before still verifies", func(t *testing.T) {
		l.stop()
		lost := l.missing(t, third)
		t.Logf("registration load over %.0fs through %s's gateway: %s; acknowledged per phase %v; read back through %s's gateway: %d on the ledger, %d lost",
			time.Since(began).Seconds(), first, l, l.phases(), third, len(l.acknowledged())-len(lost), len(lost))
		require.Empty(t, lost, "acknowledged registrations missing from the ledger")
		for phase, n := range l.phases() {
			require.Positive(t, n, "no registration was acknowledged %s: the load did not run throughout", phase)
		}
		requireValid(t, third, first, before)
	})

	t.Run("after down and up only the new version's services run, and they serve", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		require.NoError(t, tn.Down(ctx, false))
		require.NoError(t, tn.Up(ctx))
		running := map[string]bool{}
		for _, p := range tn.Status() {
			running[p.Name] = p.Running
		}
		for _, o := range tn.Conn.Orgs {
			require.True(t, running["chaincode."+o.Name+".next"], "version 2.0's service of %s runs again", o.MSPID)
			require.False(t, running["chaincode."+o.Name], "the stopped version 1.0's service of %s stays stopped", o.MSPID)
		}
		restarted := "RESTARTED-" + time.Now().Format("150405")
		registerThroughGateway(t, third, restarted)
		requireValid(t, first, third, restarted)
		requireValid(t, second, first, before)
	})
}

// requireValid checks through reader's gateway that issuer's document id
// verifies as valid.
func requireValid(t *testing.T, reader, issuer, id string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	v, err := apiv1.NewDocumentsServiceClient(gatewayConn(t, reader, "clerk")).VerifyDocument(ctx, &apiv1.VerifyDocumentRequest{Issuer: issuer, Id: id})
	require.NoError(t, err)
	require.Equal(t, apiv1.DocumentStatus_DOCUMENT_STATUS_VALID, v.Verdict.Status, "document %s of %s", id, issuer)
}
