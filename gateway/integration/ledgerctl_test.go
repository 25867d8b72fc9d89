//go:build integration

package integration

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
	"github.com/civicledger/civicledger/gateway/ledgerctl"
	"github.com/civicledger/civicledger/network/testnet"
)

// TestLedgerctlVerdicts runs the ledgerctl program against the network, as
// a verifier's script would, and checks its exit codes (ledgerctl --help):
// 0 for yes, 1 for no, 2 when there is no verdict.
func TestLedgerctlVerdicts(t *testing.T) {
	bin := testnet.BuildLedgerctl(t)
	run := func(t *testing.T, args ...string) (stdout, stderr string, code int) {
		t.Helper()
		cmd := exec.Command(bin, append([]string{"--connection", tn.ConnectionFile(), "--org", "council", "--user", "clerk"}, args...)...)
		var out, errOut bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errOut
		err := cmd.Run()
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			return out.String(), errOut.String(), exit.ExitCode()
		}
		require.NoError(t, err)
		return out.String(), errOut.String(), 0
	}
	valid, revoked := uniqueID("EXT"), uniqueID("EXT")
	registered := docRegister(t, registry, docRequest(valid, apiv1.DocumentType_DOCUMENT_TYPE_DEBT_EXTRACT))
	docRegister(t, registry, docRequest(revoked, apiv1.DocumentType_DOCUMENT_TYPE_PERMIT))
	resp, err := documents(t, registry, "approver").RevokeDocument(ctx(t), &apiv1.RevokeDocumentRequest{Id: revoked, Reason: "issued in error"})
	require.NoError(t, err)
	docSynced(t, resp.Committed)

	t.Run("a genuine document verifies with the issuer's short name and exits 0", func(t *testing.T) {
		for _, issuer := range []string{"registry", "Registry", registry} {
			stdout, stderr, code := run(t, "documents", "verify", valid, "--issuer", issuer)
			require.Equal(t, ledgerctl.ExitOK, code, "--issuer %s: %s%s", issuer, stdout, stderr)
			require.Contains(t, stdout, "valid: "+registry+"/"+valid)
		}
	})
	t.Run("a revoked document exits 1 and says why", func(t *testing.T) {
		stdout, stderr, code := run(t, "documents", "verify", revoked, "--issuer", "registry")
		require.Equal(t, ledgerctl.ExitNegative, code, stdout)
		require.Contains(t, stdout, "revoked (issued in error)")
		require.Contains(t, stderr, "document "+registry+"/"+revoked+" is revoked (issued in error)")
	})
	t.Run("an unknown document exits 1", func(t *testing.T) {
		stdout, _, code := run(t, "documents", "verify", uniqueID("NOPE"), "--issuer", "registry")
		require.Equal(t, ledgerctl.ExitNegative, code, stdout)
		require.Contains(t, stdout, "unknown: ")
	})
	t.Run("the bytes of a valid document verify by hash and exit 0", func(t *testing.T) {
		_, stderr, code := run(t, "documents", "verify-hash", registered.Sha256)
		require.Equal(t, ledgerctl.ExitOK, code, stderr)
	})
	t.Run("an unknown administration exits 2 naming the members", func(t *testing.T) {
		stdout, stderr, code := run(t, "documents", "verify", valid, "--issuer", "regisrty")
		require.Equal(t, ledgerctl.ExitFailure, code, stdout)
		require.Empty(t, stdout)
		require.Contains(t, stderr, `unknown administration "regisrty": members are registry (RegistryMSP), treasury (TreasuryMSP), council (CouncilMSP)`)
	})
	t.Run("with --json an unknown administration is a JSON error on stdout", func(t *testing.T) {
		stdout, _, code := run(t, "--json", "documents", "verify", valid, "--issuer", "regisrty")
		require.Equal(t, ledgerctl.ExitFailure, code)
		var got struct {
			Error struct{ Code, Message string }
		}
		require.NoError(t, json.Unmarshal([]byte(stdout), &got), stdout)
		require.Equal(t, "InvalidArgument", got.Error.Code)
		require.Contains(t, got.Error.Message, "members are registry (RegistryMSP)")
	})
	t.Run("a gateway that refuses exits 2 with its code", func(t *testing.T) {
		_, stderr, code := run(t, "documents", "get", uniqueID("NOPE"), "--issuer", "registry")
		require.Equal(t, ledgerctl.ExitFailure, code)
		require.Contains(t, stderr, "ledgerctl: NotFound: ")
	})
	t.Run("a receipt that does not hold the expected write exits 1, one that does exits 0", func(t *testing.T) {
		dir := t.TempDir()
		rc, trust := filepath.Join(dir, "receipt.json"), filepath.Join(dir, "trust.json")
		_, stderr, code := run(t, "receipt", "export", resp.Committed.TransactionId, "--out", rc)
		require.Equal(t, ledgerctl.ExitOK, code, stderr)
		_, stderr, code = run(t, "receipt", "trust", "--out", trust)
		require.Equal(t, ledgerctl.ExitOK, code, stderr)
		_, stderr, code = run(t, "receipt", "verify", rc, "--trust", trust, "--expect", "document/"+registry+"/"+revoked)
		require.Equal(t, ledgerctl.ExitOK, code, stderr)
		_, stderr, code = run(t, "receipt", "verify", rc, "--trust", trust, "--expect", "document/"+registry+"/"+valid)
		require.Equal(t, ledgerctl.ExitNegative, code, stderr)
		require.Contains(t, stderr, "did not write document/"+registry+"/"+valid)
		require.NoError(t, os.WriteFile(rc, []byte("{"), 0o600))
		_, _, code = run(t, "receipt", "verify", rc, "--trust", trust)
		require.Equal(t, ledgerctl.ExitFailure, code, "a file that is no receipt gives no verdict")
	})
}
