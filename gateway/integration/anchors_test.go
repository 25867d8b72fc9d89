//go:build integration

package integration

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"

	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
	"github.com/civicledger/civicledger/gateway/ledgerctl"
	"github.com/civicledger/civicledger/gateway/proofs/merkle"
	"github.com/civicledger/civicledger/gateway/proofs/receipt"
)

func anchorsClient(t *testing.T, mspID, user string) apiv1.AnchorServiceClient {
	t.Helper()
	return apiv1.NewAnchorServiceClient(gw(t, mspID, user))
}

// randomHashes returns n random 32-byte values standing for document hashes.
func randomHashes(t *testing.T, n int) [][]byte {
	t.Helper()
	out := make([][]byte, n)
	for i := range out {
		out[i] = make([]byte, 32)
		_, err := rand.Read(out[i])
		require.NoError(t, err)
	}
	return out
}

// anchorBatch sends hashes on one AnchorBatch stream, 4096 to a message,
// half-closes it and collects the anchor and the proofs. A gateway that
// refuses the batch may stop reading early; its status is then the error.
func anchorBatch(t *testing.T, c apiv1.AnchorServiceClient, label string, hashes [][]byte) (*apiv1.Anchor, []*apiv1.InclusionProof, error) {
	t.Helper()
	stream, err := c.AnchorBatch(ctx(t))
	require.NoError(t, err)
	for start := 0; start == 0 || start < len(hashes); start += 4096 {
		req := &apiv1.AnchorBatchRequest{Hashes: hashes[start:min(start+4096, len(hashes))]}
		if start == 0 {
			req.Label = label
		}
		if err := stream.Send(req); errors.Is(err, io.EOF) {
			break // the gateway ended the call; Recv tells why
		} else if err != nil {
			return nil, nil, err
		}
	}
	require.NoError(t, stream.CloseSend())
	first, err := stream.Recv()
	if err != nil {
		return nil, nil, err
	}
	anchor := first.GetAnchor()
	require.NotNil(t, anchor, "the first message carries the anchor")
	var proofs []*apiv1.InclusionProof
	for {
		msg, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			return anchor, proofs, nil
		}
		if err != nil {
			return nil, nil, err
		}
		require.NotNil(t, msg.GetProofs(), "every later message carries proofs")
		require.LessOrEqual(t, len(msg.GetProofs().Proofs), 1024)
		proofs = append(proofs, msg.GetProofs().Proofs...)
	}
}

func localRoot(t *testing.T, hashes [][]byte) (*merkle.Tree, string) {
	t.Helper()
	leaves := make([][32]byte, len(hashes))
	for i, h := range hashes {
		leaves[i] = [32]byte(h)
	}
	tree, err := merkle.New(leaves)
	require.NoError(t, err)
	root := tree.Root()
	return tree, hex.EncodeToString(root[:])
}

func TestAnchorService(t *testing.T) {
	hashes := randomHashes(t, 3000)
	_, wantRoot := localRoot(t, hashes)
	anchor, proofs, err := anchorBatch(t, anchorsClient(t, registry, "clerk"), "integration batch", hashes)
	require.NoError(t, err)
	require.Equal(t, wantRoot, anchor.Root)
	require.EqualValues(t, 3000, anchor.Size)
	require.Equal(t, "integration batch", anchor.Label)
	require.Equal(t, registry, anchor.AnchoredBy)
	require.NotEmpty(t, anchor.TransactionId)
	require.NotEmpty(t, anchor.AnchoredAt)
	require.Positive(t, anchor.BlockNumber)
	require.False(t, anchor.AlreadyAnchored)
	require.Len(t, proofs, 3000)
	for i, p := range proofs {
		require.EqualValues(t, i, p.LeafIndex)
		require.EqualValues(t, 3000, p.TreeSize)
	}
	require.NoError(t, tn.WaitForBlock(ctx(t), anchor.BlockNumber))

	verifier := anchorsClient(t, treasury, "clerk")
	verify := func(t *testing.T, sha []byte, root string, p *apiv1.InclusionProof) (*apiv1.VerifyInclusionResponse, error) {
		return verifier.VerifyInclusion(ctx(t), &apiv1.VerifyInclusionRequest{DocumentSha256: hex.EncodeToString(sha), Root: root, Proof: p})
	}

	t.Run("another administration verifies an item against the anchored root", func(t *testing.T) {
		for _, i := range []int{0, 1777, 2999} {
			resp, err := verify(t, hashes[i], anchor.Root, proofs[i])
			require.NoError(t, err)
			require.True(t, resp.Valid, resp.Message)
			require.Equal(t, "ok", resp.Reason)
			require.Equal(t, anchor.TransactionId, resp.Anchor.TransactionId)
			require.EqualValues(t, 3000, resp.Anchor.Size)
		}
	})

	t.Run("the anchoring transaction's receipt proves root and size offline", func(t *testing.T) {
		exported, err := ledgerClient(t, council).GetReceipt(ctx(t), &apiv1.GetReceiptRequest{TransactionId: anchor.TransactionId})
		require.NoError(t, err)
		trustResp, err := ledgerClient(t, council).GetTrust(ctx(t), &apiv1.GetTrustRequest{})
		require.NoError(t, err)
		rc, err := receipt.Parse(exported.Receipt)
		require.NoError(t, err)
		trust, err := receipt.ParseTrust(trustResp.Trust)
		require.NoError(t, err)
		rep := receipt.Verify(rc, trust)
		require.True(t, rep.Valid(), "checks: %+v", rep.Checks)
		w, ok := rep.Write(tn.Conn.Chaincode, "\x00anchor\x00"+anchor.Root+"\x00")
		require.True(t, ok, "writes: %+v", rep.Writes)
		require.Contains(t, string(w.Value), `"size":3000,`)
	})

	t.Run("a third administration reads the anchor", func(t *testing.T) {
		got, err := anchorsClient(t, council, "approver").GetAnchor(ctx(t), &apiv1.GetAnchorRequest{Root: anchor.Root})
		require.NoError(t, err)
		require.Equal(t, anchor.TransactionId, got.TransactionId)
		require.Equal(t, anchor.AnchoredAt, got.AnchoredAt)
		require.EqualValues(t, 3000, got.Size)
	})

	t.Run("a tampered proof is bad-proof", func(t *testing.T) {
		p := &apiv1.InclusionProof{LeafIndex: proofs[5].LeafIndex, TreeSize: proofs[5].TreeSize, Path: append([][]byte(nil), proofs[5].Path...)}
		p.Path[3] = append([]byte(nil), p.Path[3]...)
		p.Path[3][7] ^= 0x40
		resp, err := verify(t, hashes[5], anchor.Root, p)
		require.NoError(t, err)
		require.False(t, resp.Valid)
		require.Equal(t, "bad-proof", resp.Reason)

		resp, err = verify(t, hashes[6], anchor.Root, proofs[5])
		require.NoError(t, err)
		require.Equal(t, "bad-proof", resp.Reason, "another document with this proof")
	})

	t.Run("a proof claiming another tree size of the same shape is size-mismatch", func(t *testing.T) {
		// Leaf 0 has the same 12-hash path in every tree of 2049 to 4096 leaves.
		p := &apiv1.InclusionProof{LeafIndex: 0, TreeSize: 4096, Path: proofs[0].Path}
		resp, err := verify(t, hashes[0], anchor.Root, p)
		require.NoError(t, err)
		require.False(t, resp.Valid)
		require.Equal(t, "size-mismatch", resp.Reason)
		require.Contains(t, resp.Message, "tree of 4096 leaves, the root is anchored with 3000")
		require.EqualValues(t, 3000, resp.Anchor.Size)
	})

	t.Run("a proof to a root that was never anchored is unknown-root", func(t *testing.T) {
		other := randomHashes(t, 3)
		tree, root := localRoot(t, other)
		p, err := tree.Proof(1)
		require.NoError(t, err)
		path := make([][]byte, len(p.Path))
		for i := range p.Path {
			path[i] = p.Path[i][:]
		}
		resp, err := verify(t, other[1], root, &apiv1.InclusionProof{LeafIndex: 1, TreeSize: 3, Path: path})
		require.NoError(t, err)
		require.False(t, resp.Valid)
		require.Equal(t, "unknown-root", resp.Reason)
		_, err = verifier.GetAnchor(ctx(t), &apiv1.GetAnchorRequest{Root: root})
		requireCode(t, err, codes.NotFound)
	})

	t.Run("a truncated proof is refused with the merkle package's message", func(t *testing.T) {
		p := &apiv1.InclusionProof{LeafIndex: 5, TreeSize: 3000, Path: proofs[5].Path[:len(proofs[5].Path)-1]}
		_, err := verify(t, hashes[5], anchor.Root, p)
		requireCode(t, err, codes.InvalidArgument)
		require.ErrorContains(t, err, "malformed proof: wrong path length for the tree size")
	})

	t.Run("anchoring the same batch again returns the existing anchor and the proofs", func(t *testing.T) {
		again, proofs2, err := anchorBatch(t, anchorsClient(t, treasury, "approver"), "", hashes)
		require.NoError(t, err)
		require.True(t, again.AlreadyAnchored)
		require.Equal(t, anchor.Root, again.Root)
		require.Equal(t, anchor.TransactionId, again.TransactionId)
		require.Equal(t, registry, again.AnchoredBy)
		require.Equal(t, "integration batch", again.Label)
		require.Len(t, proofs2, 3000)
		require.Equal(t, proofs[1234].Path, proofs2[1234].Path)
	})

	t.Run("malformed batches are refused with a clear message", func(t *testing.T) {
		c := anchorsClient(t, registry, "clerk")
		_, _, err := anchorBatch(t, c, "", nil)
		requireCode(t, err, codes.InvalidArgument)
		require.ErrorContains(t, err, "the batch is empty")

		bad := randomHashes(t, 3)
		bad[2] = bad[2][:20]
		_, _, err = anchorBatch(t, c, "", bad)
		requireCode(t, err, codes.InvalidArgument)
		require.ErrorContains(t, err, "hashes[2]: must be a SHA-256 digest of 32 bytes, got 20 bytes")

		_, _, err = anchorBatch(t, c, "", randomHashes(t, 100_001))
		requireCode(t, err, codes.InvalidArgument)
		require.ErrorContains(t, err, "batch holds more than 100000 hashes; split it into several batches")
	})

	t.Run("a batch of one hash has a proof with an empty path that verifies", func(t *testing.T) {
		one := randomHashes(t, 1)
		a, ps, err := anchorBatch(t, anchorsClient(t, council, "admin"), "", one)
		require.NoError(t, err)
		require.Equal(t, hex.EncodeToString(merkleLeafHash(one[0])), a.Root)
		require.Len(t, ps, 1)
		require.Empty(t, ps[0].Path)
		require.NoError(t, tn.WaitForBlock(ctx(t), a.BlockNumber))
		resp, err := verify(t, one[0], a.Root, ps[0])
		require.NoError(t, err)
		require.True(t, resp.Valid, resp.Message)
	})
}

func merkleLeafHash(h []byte) []byte {
	lh := merkle.LeafHash([32]byte(h))
	return lh[:]
}

func TestAnchorOfflineWithLedgerctl(t *testing.T) {
	dir := t.TempDir()
	var docs []string
	for i := range 3 {
		name := filepath.Join(dir, fmt.Sprintf("convocation-%d.txt", i))
		require.NoError(t, os.WriteFile(name, []byte(uniqueID("convocation")), 0o600))
		docs = append(docs, name)
	}
	proofsFile, rcFile, trustFile := filepath.Join(dir, "proofs.jsonl"), filepath.Join(dir, "anchor-receipt.json"), filepath.Join(dir, "trust.json")
	run := func(args ...string) (string, error) {
		var out bytes.Buffer
		root := ledgerctl.NewRoot()
		root.SetOut(&out)
		root.SetArgs(args)
		err := root.Execute()
		return out.String(), err
	}
	out, err := run(append([]string{"--connection", tn.ConnectionFile(), "anchor", "batch", "--out", proofsFile, "--receipt", rcFile}, docs...)...)
	require.NoError(t, err, out)
	require.Contains(t, out, "anchored 3 documents")
	_, err = run("--connection", tn.ConnectionFile(), "--org", council, "receipt", "trust", "--out", trustFile)
	require.NoError(t, err)

	offline := func(args ...string) (string, error) {
		return run(append([]string{"--connection", "/nonexistent", "anchor", "verify", "--receipt", rcFile, "--trust", trustFile}, args...)...)
	}
	t.Run("a document verifies offline against the anchoring transaction's receipt", func(t *testing.T) {
		out, err := offline("--proofs", proofsFile, "--file", docs[1])
		require.NoError(t, err, out)
		require.Contains(t, out, "VALID (ok)")
		require.Contains(t, out, "receipt verified offline")
	})
	t.Run("a document that is not in the batch has no proof", func(t *testing.T) {
		other := filepath.Join(dir, "other.txt")
		require.NoError(t, os.WriteFile(other, []byte("not anchored"), 0o600))
		_, err := offline("--proofs", proofsFile, "--file", other)
		require.ErrorContains(t, err, "holds no proof for the document")
	})
	t.Run("a proof claiming another tree size is size-mismatch offline too", func(t *testing.T) {
		sum, err := ledgerctlHash(docs[0])
		require.NoError(t, err)
		line := readProofLine(t, proofsFile, sum)
		out, err := offline("--sha256", sum, "--root", line.Root, "--leaf-index", "0", "--tree-size", "4", "--path", strings.Join(line.Path, ","))
		require.Equal(t, ledgerctl.ExitNegative, ledgerctl.ExitCode(err), "a proof that does not verify is a negative verdict: %v", err)
		require.Contains(t, out, "size-mismatch")
	})
}

// ledgerctlHash is the lowercase hex SHA-256 of a file.
func ledgerctlHash(path string) (string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:]), nil
}

// proofFileLine is the part of a proofs.jsonl line the tests use.
type proofFileLine struct {
	SHA256 string   `json:"sha256"`
	Root   string   `json:"root"`
	Path   []string `json:"path"`
}

// readProofLine returns the proofs.jsonl line of a document.
func readProofLine(t *testing.T, path, sum string) proofFileLine {
	t.Helper()
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	for _, l := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		var line proofFileLine
		require.NoError(t, json.Unmarshal([]byte(l), &line))
		if line.SHA256 == sum {
			return line
		}
	}
	t.Fatalf("no proof line for %s", sum)
	return proofFileLine{}
}
