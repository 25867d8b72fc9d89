package ledgerctl

import (
	"encoding/json"
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// verdictReply is a VerifyDocument reply with the given status.
func verdictReply(status string) string {
	return `{"verdict":{"status":"DOCUMENT_STATUS_` + status + `","issuer":"RegistryMSP","id":"EXT-1",
		"type":"DOCUMENT_TYPE_PERMIT","validFrom":"2026-01-01T00:00:00Z","checkedAt":"2026-11-23T09:49:11Z"}}`
}

// Every verdict command exits 0 for yes and 1 for no (the output's golden
// files of the same cases are in the command groups' tests).
func TestVerdictExitCodes(t *testing.T) {
	g := startFakeGateway(t)
	receiptFile := writeTestFile(t, "receipt.json",
		`{"format":"civicledger-receipt/1","channel":"c","transactionId":"t","block":"Z2FyYmFnZQ==","configBlock":"Z2FyYmFnZQ=="}`)
	configHash := fmt.Sprintf("%064d", 0)
	cases := map[string]struct {
		args    []string
		replies map[string]string
		exit    int
		stderr  string // in the reason printed for a non-zero exit
	}{
		"documents verify of a valid document exits 0": {
			args: []string{"documents", "verify", "EXT-1"}, replies: map[string]string{"VerifyDocument": verdictReply("VALID")},
		},
		"documents verify of a revoked document exits 1": {
			args: []string{"documents", "verify", "EXT-1"}, replies: map[string]string{"VerifyDocument": verdictReply("REVOKED")},
			exit: ExitNegative, stderr: "document RegistryMSP/EXT-1 is revoked",
		},
		"documents verify of an unknown document exits 1": {
			args: []string{"documents", "verify", "EXT-9"}, replies: map[string]string{"VerifyDocument": `{"verdict":{"status":"DOCUMENT_STATUS_UNKNOWN","id":"EXT-9"}}`},
			exit: ExitNegative, stderr: "is unknown",
		},
		"documents verify of an expired or not yet valid document exits 1": {
			args: []string{"documents", "verify", "EXT-1"}, replies: map[string]string{"VerifyDocument": verdictReply("EXPIRED")},
			exit: ExitNegative, stderr: "is expired",
		},
		"documents verify-hash exits 0 when one of the documents is valid": {
			args: []string{"documents", "verify-hash", testHash},
			replies: map[string]string{"VerifyDocumentHash": `{"verdicts":[{"status":"DOCUMENT_STATUS_REVOKED","id":"A"},
				{"status":"DOCUMENT_STATUS_VALID","id":"B"}]}`},
		},
		"documents verify-hash exits 1 when none is valid": {
			args:    []string{"documents", "verify-hash", testHash},
			replies: map[string]string{"VerifyDocumentHash": `{"verdicts":[{"status":"DOCUMENT_STATUS_SUPERSEDED","id":"A"}]}`},
			exit:    ExitNegative, stderr: "no valid document has SHA-256 " + testHash,
		},
		"seal verify of a valid seal exits 0": {
			args: []string{"verify", "--text", "CL1:X"}, replies: map[string]string{"VerifySeal": `{"offline":{"valid":true,"reason":"ok"},"valid":true}`},
		},
		"seal verify of a seal that is not valid exits 1": {
			args: []string{"verify", "--text", "CL1:X"}, replies: map[string]string{"VerifySeal": `{"offline":{"reason":"bad-signature"}}`},
			exit: ExitNegative, stderr: "seal is not valid",
		},
		"anchor verify of a proof that verifies exits 0": {
			args:    []string{"anchor", "verify", "--sha256", testHash, "--root", testHash, "--tree-size", "1"},
			replies: map[string]string{"VerifyInclusion": `{"valid":true,"reason":"ok"}`},
		},
		"anchor verify of a proof that does not verify exits 1": {
			args:    []string{"anchor", "verify", "--sha256", testHash, "--root", testHash, "--tree-size", "1"},
			replies: map[string]string{"VerifyInclusion": `{"reason":"unknown-root","message":"never anchored"}`},
			exit:    ExitNegative, stderr: "inclusion is not proved (unknown-root): never anchored",
		},
		"permissions check of an allowed access exits 0": {
			args:    []string{"permissions", "check", "RegistryMSP", "TreasuryMSP", "c"},
			replies: map[string]string{"CheckPermission": `{"allowed":true,"reason":"PERMISSION_REASON_COVERED"}`},
		},
		"permissions check of a refused access exits 1": {
			args:    []string{"permissions", "check", "RegistryMSP", "TreasuryMSP", "c"},
			replies: map[string]string{"CheckPermission": `{"reason":"PERMISSION_REASON_REVOKED"}`},
			exit:    ExitNegative, stderr: "not allowed: permission revoked",
		},
		"receipt verify of a receipt that does not verify exits 1": {
			args: []string{"receipt", "verify", receiptFile, "--config-hash", configHash, "--channel", "c"},
			exit: ExitNegative, stderr: "receipt does not verify",
		},
		"receipt verify of a file that is no receipt exits 2": {
			args: []string{"receipt", "verify", writeTestFile(t, "no.json", "{"), "--config-hash", configHash, "--channel", "c"},
			exit: ExitFailure, stderr: "malformed receipt",
		},
		"a gateway error exits 2": {
			args: []string{"documents", "verify", "EXT-1"}, // no reply set: Unimplemented
			exit: ExitFailure, stderr: "ledgerctl: Unimplemented: ",
		},
		"a usage error exits 2": {
			args: []string{"documents", "verify"},
			exit: ExitFailure, stderr: "accepts 1 arg(s), received 0",
		},
		"an unknown flag exits 2": {
			args: []string{"documents", "verify", "EXT-1", "--nope"},
			exit: ExitFailure, stderr: "unknown flag: --nope",
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			g.reset()
			for method, r := range tc.replies {
				g.reply(method, r)
			}
			stdout, stderr, code := g.main(tc.args...)
			require.Equal(t, tc.exit, code, "stdout: %s\nstderr: %s", stdout, stderr)
			if tc.exit == ExitOK {
				require.Empty(t, stderr)
				return
			}
			require.Contains(t, stderr, tc.stderr)
		})
	}
}

func TestJSONErrors(t *testing.T) {
	g := startFakeGateway(t)
	jsonError := func(t *testing.T, stdout string) (code, message string) {
		t.Helper()
		var got struct {
			Error struct{ Code, Message string }
		}
		require.NoError(t, json.Unmarshal([]byte(stdout), &got), "stdout is one JSON document: %s", stdout)
		return got.Error.Code, got.Error.Message
	}
	t.Run("with --json a gateway error is a JSON error on stdout with the gRPC code", func(t *testing.T) {
		g.reset()
		stdout, stderr, code := g.main("--json", "documents", "verify", "EXT-1")
		require.Equal(t, ExitFailure, code)
		c, msg := jsonError(t, stdout)
		require.Equal(t, "Unimplemented", c)
		require.Equal(t, "the test set no reply for VerifyDocument", msg)
		require.Contains(t, stderr, "Unimplemented: the test set no reply for VerifyDocument")
	})
	t.Run("with --json a usage error is InvalidArgument", func(t *testing.T) {
		g.reset()
		stdout, _, code := g.main("--json", "verify")
		require.Equal(t, ExitFailure, code)
		c, msg := jsonError(t, stdout)
		require.Equal(t, "InvalidArgument", c)
		require.Equal(t, "give exactly one of --text, --image or --link", msg)
	})
	t.Run("with --json an unknown administration is InvalidArgument naming the members", func(t *testing.T) {
		g.reset()
		g.reply("ListProfiles", `{"profiles":[{"mspId":"RegistryMSP"}]}`)
		stdout, _, code := g.main("--json", "documents", "verify", "EXT-1", "--issuer", "regisrty")
		require.Equal(t, ExitFailure, code)
		c, msg := jsonError(t, stdout)
		require.Equal(t, "InvalidArgument", c)
		require.Contains(t, msg, `unknown administration "regisrty": members are registry (RegistryMSP)`)
	})
	t.Run("with --json a negative verdict prints the verdict's JSON and exits 1", func(t *testing.T) {
		g.reset()
		g.reply("VerifyDocument", verdictReply("REVOKED"))
		stdout, stderr, code := g.main("--json", "documents", "verify", "EXT-1")
		require.Equal(t, ExitNegative, code)
		var got map[string]map[string]any
		require.NoError(t, json.Unmarshal([]byte(stdout), &got), stdout)
		require.Equal(t, "DOCUMENT_STATUS_REVOKED", got["verdict"]["status"])
		require.Contains(t, stderr, "is revoked")
	})
	t.Run("without --json stdout holds no error", func(t *testing.T) {
		g.reset()
		stdout, stderr, code := g.main("verify")
		require.Equal(t, ExitFailure, code)
		require.Empty(t, stdout)
		require.Equal(t, "ledgerctl: give exactly one of --text, --image or --link\n", stderr)
	})
}

func TestExitCode(t *testing.T) {
	for name, tc := range map[string]struct {
		err  error
		want int
	}{
		"no error is 0":                      {nil, ExitOK},
		"a negative verdict is 1":            {negative("no"), ExitNegative},
		"a wrapped negative verdict is 1":    {fmt.Errorf("x: %w", negative("no")), ExitNegative},
		"a gRPC error is 2":                  {status.Error(codes.Unavailable, "down"), ExitFailure},
		"any other error is 2":               {errors.New("boom"), ExitFailure},
		"a failed check made a verdict is 1": {asVerdict(errors.New("receipt does not verify")), ExitNegative},
	} {
		t.Run(name, func(t *testing.T) { require.Equal(t, tc.want, ExitCode(tc.err)) })
	}
}
