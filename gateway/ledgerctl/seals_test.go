package ledgerctl

import (
	"encoding/base64"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

const (
	testSealText   = "CL1:6BFOXN*TS0BI$ZD4N9:9S6RCVN5+O30K3/XIV0W23NTDE$VK G2EP4J0B3KL6QM5/OVGA/MAT%ZIRQ4-L0WK8PN5OG5"
	testSealLink   = "https://portal.civicledger.example/verify#6BFOXN*TS0BI$ZD4N9:9S6RCVN5+O30K3/XIV0W23NTDE$VK%20G2EP4J0B3KL6QM5/OVGA/MAT%25ZIRQ4-L0WK8PN5OG5"
	testSealClaims = `{"issuer":"RegistryMSP","documentId":"EXT-2024-0001","type":"debt-extract","sha256":"` + testHash + `",
		"keyFacts":{"totalAmount":"CHF 1234.50","proceedings":"3"},"validFrom":"2026-01-01T00:00:00Z",
		"validUntil":"2027-01-01T00:00:00Z","issuedAt":"2026-11-23T10:00:00Z"}`
)

func TestSealCommands(t *testing.T) {
	dir := t.TempDir()
	pngFile, svgFile := filepath.Join(dir, "seal.png"), filepath.Join(dir, "seal.svg")
	image := writeTestFile(t, "seal.png", "PNG bytes")
	doc := writeTestFile(t, "extract.pdf", "test")
	issued := `{"text":"` + testSealText + `","png":"` + base64.StdEncoding.EncodeToString([]byte("PNG")) + `",
		"svg":"<svg/>","link":"` + testSealLink + `","qrVersion":20,"claims":` + testSealClaims + `}`
	runCommandCases(t, map[string]commandCase{
		"seal issues a seal and prints its text, link and QR version": {
			args:     []string{"seal", "EXT-2024-0001", "--size", "600"},
			replies:  map[string]string{"IssueSeal": issued},
			requests: map[string]string{"IssueSeal": `{"documentId":"EXT-2024-0001","pngSize":600}`},
		},
		"verify sends the image and the document's hash and prints a valid verdict": {
			args: []string{"verify", "--image", image, "--file", doc},
			replies: map[string]string{"VerifySeal": `{"offline":{"valid":true,"reason":"ok","claims":` + testSealClaims + `},
				"ledgerStatus":"DOCUMENT_STATUS_VALID","valid":true,"ledgerSha256":"` + testHash + `"}`},
			requests: map[string]string{"VerifySeal": `{"image":"` + base64.StdEncoding.EncodeToString([]byte("PNG bytes")) + `","documentSha256":"` + testHash + `"}`},
		},
		"verify prints a revoked document's seal as not valid": {
			args: []string{"verify", "--link", testSealLink},
			replies: map[string]string{"VerifySeal": `{"offline":{"valid":true,"reason":"ok","claims":` + testSealClaims + `},
				"ledgerStatus":"DOCUMENT_STATUS_REVOKED","ledgerSha256":"` + testHash + `"}`},
			requests: map[string]string{"VerifySeal": `{"link":"` + testSealLink + `"}`},
			exit:     ExitNegative,
		},
		"verify prints a tampered seal's reason": {
			args:     []string{"verify", "--text", testSealText},
			replies:  map[string]string{"VerifySeal": `{"offline":{"reason":"bad-signature","message":"signature does not verify"}}`},
			requests: map[string]string{"VerifySeal": `{"text":"` + testSealText + `"}`},
			exit:     ExitNegative,
		},
	})
	t.Run("seal writes the PNG and SVG files", func(t *testing.T) {
		g := startFakeGateway(t)
		g.reply("IssueSeal", issued)
		out, err := g.run("seal", "EXT-2024-0001", "--png", pngFile, "--svg", svgFile)
		require.NoError(t, err, out)
		data, err := os.ReadFile(pngFile)
		require.NoError(t, err)
		require.Equal(t, "PNG", string(data))
		data, err = os.ReadFile(svgFile)
		require.NoError(t, err)
		require.Equal(t, "<svg/>", string(data))
	})
	runRefusals(t, map[string]refusal{
		"verify needs one form of the seal":  {args: []string{"verify"}, want: "exactly one of --text, --image or --link"},
		"verify takes only one form":         {args: []string{"verify", "--text", "CL1:X", "--link", testSealLink}, want: "exactly one"},
		"verify takes --file or --sha256":    {args: []string{"verify", "--text", "CL1:X", "--file", doc, "--sha256", testHash}, want: "not both"},
		"seal needs a document id":           {args: []string{"seal"}, want: "accepts 1 arg"},
		"verify reports an unreadable image": {args: []string{"verify", "--image", filepath.Join(dir, "missing.png")}, want: "read image"},
	})
}
