package ledgerctl

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/civicledger/civicledger/gateway/proofs/merkle"
)

const (
	testAnchorTx = "7f0c1e0b9d4a4b7d8a4cbb3c2a1f0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a39"
	testLabel    = "convocations March"
)

// testBatch is a two-document batch: the documents, their hashes, the root
// and the gateway's replies to AnchorBatch as the API's JSON.
type testBatch struct {
	docs    []string
	hashes  [][32]byte
	root    string
	replies []string
}

func newTestBatch(t *testing.T, already bool) testBatch {
	t.Helper()
	b := testBatch{docs: []string{writeTestFile(t, "a.pdf", "test"), writeTestFile(t, "b.pdf", "other")}}
	b.hashes = [][32]byte{sha256.Sum256([]byte("test")), sha256.Sum256([]byte("other"))}
	tree, err := merkle.New(b.hashes)
	require.NoError(t, err)
	r := tree.Root()
	b.root = hex.EncodeToString(r[:])
	block := `,"blockNumber":"12"`
	if already {
		block = `,"alreadyAnchored":true`
	}
	b.replies = append(b.replies, `{"anchor":{"root":"`+b.root+`","size":"2","label":"`+testLabel+`","anchoredBy":"RegistryMSP",
		"anchoredAt":"2026-11-23T10:00:00Z","transactionId":"`+testAnchorTx+`"`+block+`}}`)
	var proofs []string
	for i := range 2 {
		p, err := tree.Proof(i)
		require.NoError(t, err)
		proofs = append(proofs, fmt.Sprintf(`{"leafIndex":"%d","treeSize":"2","path":["%s"]}`, i, base64.StdEncoding.EncodeToString(p.Path[0][:])))
	}
	b.replies = append(b.replies, `{"proofs":{"proofs":[`+strings.Join(proofs, ",")+`]}}`)
	return b
}

// request is the first AnchorBatch message for the batch.
func (b testBatch) request(label string) string {
	return `{"hashes":["` + base64.StdEncoding.EncodeToString(b.hashes[0][:]) + `","` +
		base64.StdEncoding.EncodeToString(b.hashes[1][:]) + `"],"label":"` + label + `"}`
}

func TestAnchorBatchCommand(t *testing.T) {
	g := startFakeGateway(t)
	dir := t.TempDir()
	out := filepath.Join(dir, "proofs.jsonl")

	run := func(t *testing.T, b testBatch, stdin string, args ...string) string {
		t.Helper()
		g.reset()
		g.reply("AnchorBatch", b.replies...)
		var in *strings.Reader
		if stdin != "" {
			in = strings.NewReader(stdin)
		}
		var printed string
		var err error
		if in != nil {
			printed, err = g.runWithInput(in, args...)
		} else {
			printed, err = g.run(args...)
		}
		require.NoError(t, err, printed)
		return strings.ReplaceAll(printed, dir, "$DIR")
	}

	t.Run("batch hashes the files, sends them with the label and prints the anchor", func(t *testing.T) {
		b := newTestBatch(t, false)
		printed := run(t, b, "", "anchor", "batch", b.docs[0], b.docs[1], "--label", testLabel, "--out", out)
		g.requireRequest(t, "AnchorBatch", b.request(testLabel))
		requireGolden(t, printed)
	})

	t.Run("batch writes one proof line per document in batch order", func(t *testing.T) {
		b := newTestBatch(t, false)
		run(t, b, "", "anchor", "batch", b.docs[0], b.docs[1], "--out", out)
		data, err := os.ReadFile(out)
		require.NoError(t, err)
		lines := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
		require.Len(t, lines, 2)
		tree, err := merkle.New(b.hashes)
		require.NoError(t, err)
		for i, line := range lines {
			p, err := tree.Proof(i)
			require.NoError(t, err)
			require.JSONEq(t, fmt.Sprintf(`{"sha256":"%x","root":"%s","size":2,"leaf_index":%d,"path":["%x"],"transaction_id":"%s"}`,
				b.hashes[i], b.root, i, p.Path[0], testAnchorTx), line)
		}
	})

	t.Run("batch reads hex hashes from standard input", func(t *testing.T) {
		b := newTestBatch(t, false)
		stdin := fmt.Sprintf("# two documents\n%x\n\n%x\n", b.hashes[0], b.hashes[1])
		run(t, b, stdin, "anchor", "batch", "--hashes", "-", "--label", testLabel, "--out", out)
		g.requireRequest(t, "AnchorBatch", b.request(testLabel))
	})

	t.Run("batch says when the batch was anchored before", func(t *testing.T) {
		b := newTestBatch(t, true)
		requireGolden(t, run(t, b, "", "anchor", "batch", b.docs[0], b.docs[1], "--out", out))
	})

	t.Run("batch prints the anchor as the API's JSON with --json", func(t *testing.T) {
		b := newTestBatch(t, false)
		// Compared as JSON: protojson varies its spacing from build to build.
		require.JSONEq(t, `{"root":"`+b.root+`","size":"2","label":"`+testLabel+`","anchoredBy":"RegistryMSP",
			"anchoredAt":"2026-11-23T10:00:00Z","transactionId":"`+testAnchorTx+`","blockNumber":"12","alreadyAnchored":false}`,
			run(t, b, "", "--json", "anchor", "batch", b.docs[0], b.docs[1], "--out", out))
	})
}

func TestAnchorCommands(t *testing.T) {
	b := newTestBatch(t, false)
	tree, err := merkle.New(b.hashes)
	require.NoError(t, err)
	p, err := tree.Proof(1)
	require.NoError(t, err)
	proofs := writeTestFile(t, "proofs.jsonl", fmt.Sprintf(
		`{"sha256":"%x","root":"%s","size":2,"leaf_index":0,"path":["%x"],"transaction_id":"%s"}`+"\n"+
			`{"sha256":"%x","root":"%s","size":2,"leaf_index":1,"path":["%x"],"transaction_id":"%s"}`+"\n",
		b.hashes[0], b.root, b.hashes[1], testAnchorTx, b.hashes[1], b.root, p.Path[0], testAnchorTx))
	anchor := `{"root":"` + b.root + `","size":"2","label":"` + testLabel + `","anchoredBy":"RegistryMSP","anchoredAt":"2026-11-23T10:00:00Z","transactionId":"` + testAnchorTx + `"}`
	verifyReq := `{"documentSha256":"` + hex.EncodeToString(b.hashes[1][:]) + `","root":"` + b.root + `",
		"proof":{"leafIndex":"1","treeSize":"2","path":["` + base64.StdEncoding.EncodeToString(p.Path[0][:]) + `"]}}`

	runCommandCases(t, map[string]commandCase{
		"get prints the anchor of a root": {
			args:     []string{"anchor", "get", b.root},
			replies:  map[string]string{"GetAnchor": anchor},
			requests: map[string]string{"GetAnchor": `{"root":"` + b.root + `"}`},
		},
		"verify finds the document's line in the proofs file and prints a valid verdict": {
			args: []string{"anchor", "verify", "--proofs", proofs, "--file", b.docs[1]},
			replies: map[string]string{"VerifyInclusion": `{"valid":true,"reason":"ok",
				"message":"the document is in the batch anchored by RegistryMSP at 2026-11-23T10:00:00Z","anchor":` + anchor + `}`},
			requests: map[string]string{"VerifyInclusion": verifyReq},
		},
		"verify sends a proof given by flags and prints a size mismatch": {
			args: []string{"anchor", "verify", "--sha256", hex.EncodeToString(b.hashes[1][:]), "--root", b.root,
				"--leaf-index", "1", "--tree-size", "2", "--path", hex.EncodeToString(p.Path[0][:])},
			replies: map[string]string{"VerifyInclusion": `{"reason":"size-mismatch",
				"message":"the proof is for a tree of 2 leaves, the root is anchored with 3","anchor":` + anchor + `}`},
			requests: map[string]string{"VerifyInclusion": verifyReq},
			exit:     ExitNegative,
		},
		"verify prints a bad proof's reason": {
			args:    []string{"anchor", "verify", "--proofs", proofs, "--sha256", hex.EncodeToString(b.hashes[0][:])},
			replies: map[string]string{"VerifyInclusion": `{"reason":"bad-proof","message":"computed root does not match: proof leads to 00…, expected 11…"}`},
			exit:    ExitNegative,
		},
	})

	hashes := writeTestFile(t, "hashes.txt", "abc\n")
	runRefusals(t, map[string]refusal{
		"batch needs an output file":                {args: []string{"anchor", "batch", b.docs[0]}, want: "--out FILE is required"},
		"batch needs documents or hashes":           {args: []string{"anchor", "batch", "--out", "x"}, want: "give the documents to anchor"},
		"batch takes files or hashes, not both":     {args: []string{"anchor", "batch", b.docs[0], "--hashes", hashes, "--out", "x"}, want: "not both"},
		"batch names a malformed line of hashes":    {args: []string{"anchor", "batch", "--hashes", hashes, "--out", "x"}, want: "hashes.txt line 1: is malformed: 64 hex digits (a sha-256), in either case"},
		"verify needs a proof":                      {args: []string{"anchor", "verify", "--file", b.docs[0]}, want: "give the proof"},
		"verify takes a proofs file or flags":       {args: []string{"anchor", "verify", "--proofs", proofs, "--root", b.root}, want: "not both"},
		"verify by flags needs the document":        {args: []string{"anchor", "verify", "--root", b.root, "--tree-size", "2"}, want: "give the document with --file or --sha256"},
		"verify needs to know which line to use":    {args: []string{"anchor", "verify", "--proofs", proofs}, want: "holds 2 proofs: say which document"},
		"verify reports a document not in the file": {args: []string{"anchor", "verify", "--proofs", proofs, "--sha256", testHash[:63] + "f"}, want: "holds no proof for the document"},
		"get needs a root":                          {args: []string{"anchor", "get"}, want: "accepts 1 arg"},
	})
}

func TestReadHashList(t *testing.T) {
	const sum = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
	t.Run("a hash in upper case, as PowerShell prints it, reads as the same hash", func(t *testing.T) {
		got, err := readHashList(strings.NewReader("# comment\n"+strings.ToUpper(sum)+"\n\n"+sum+"\n"), "list")
		require.NoError(t, err)
		require.Len(t, got, 2)
		require.Equal(t, got[1], got[0])
		require.Equal(t, sum, hex.EncodeToString(got[0]))
	})
	t.Run("a line that is not a hash is refused with its number", func(t *testing.T) {
		_, err := readHashList(strings.NewReader(sum+"\nnot-a-hash\n"), "list")
		require.ErrorContains(t, err, "list line 2: is malformed")
	})
}
