package ledgerctl

import (
	"encoding/base64"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestReceiptExport(t *testing.T) {
	g := startFakeGateway(t)
	body := base64.StdEncoding.EncodeToString([]byte(`{"format":"civicledger-receipt/1"}`))
	checks := `"checks":[{"name":"configuration","ok":true,"detail":"genesis block"},` +
		`{"name":"endorsement-policy","ok":false,"detail":"the valid endorsements (RegistryMSP) do not satisfy it"}]`

	t.Run("a receipt that does not verify against the ledger is not written and the command fails", func(t *testing.T) {
		g.reset()
		g.reply("GetReceipt", `{"receipt":"`+body+`","blockNumber":"7","valid":false,`+checks+`}`)
		out := filepath.Join(t.TempDir(), "receipt.json")
		printed, err := g.run("receipt", "export", testTx, "--out", out)
		require.ErrorContains(t, err, "does not verify against this ledger (endorsement-policy: the valid endorsements (RegistryMSP) do not satisfy it); nothing was written to "+out)
		require.Contains(t, printed, "FAIL endorsement-policy")
		require.NoFileExists(t, out)
	})

	t.Run("a receipt that verifies is written", func(t *testing.T) {
		g.reset()
		g.reply("GetReceipt", `{"receipt":"`+body+`","blockNumber":"7","valid":true,"checks":[{"name":"configuration","ok":true,"detail":"genesis block"}]}`)
		out := filepath.Join(t.TempDir(), "receipt.json")
		printed, err := g.run("receipt", "export", testTx, "--out", out)
		require.NoError(t, err, printed)
		b, err := os.ReadFile(out)
		require.NoError(t, err)
		require.JSONEq(t, `{"format":"civicledger-receipt/1"}`, string(b))
		require.Contains(t, printed, "it verifies against this ledger")
	})
}
