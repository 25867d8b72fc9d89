package ledgerctl

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/civicledger/civicledger/chaincode/spec"
	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
)

// proofLine is one line of a proofs.jsonl file: the proof of one document
// of an anchored batch, with all a verifier needs (docs/proofs.md).
type proofLine struct {
	SHA256        string   `json:"sha256"`
	Root          string   `json:"root"`
	Size          uint64   `json:"size"`
	LeafIndex     uint64   `json:"leaf_index"`
	Path          []string `json:"path"`
	TransactionID string   `json:"transaction_id"`
}

// newProofLine describes the proof of leaf data sha in anchor a.
func newProofLine(sha []byte, a *apiv1.Anchor, p *apiv1.InclusionProof) proofLine {
	path := make([]string, len(p.Path))
	for i, h := range p.Path {
		path[i] = hex.EncodeToString(h)
	}
	return proofLine{
		SHA256: hex.EncodeToString(sha), Root: a.Root, Size: p.TreeSize, LeafIndex: p.LeafIndex,
		Path: path, TransactionID: a.TransactionId,
	}
}

// request turns a proof line into a VerifyInclusion request; the hex is
// checked by the gateway, which names the field.
func (l proofLine) request() (*apiv1.VerifyInclusionRequest, error) {
	path := make([][]byte, len(l.Path))
	for i, s := range l.Path {
		b, err := hex.DecodeString(s)
		if err != nil {
			return nil, fmt.Errorf("path[%d] is not hex: %w", i, err)
		}
		path[i] = b
	}
	return &apiv1.VerifyInclusionRequest{
		DocumentSha256: l.SHA256, Root: l.Root,
		Proof: &apiv1.InclusionProof{LeafIndex: l.LeafIndex, TreeSize: l.Size, Path: path},
	}, nil
}

// writeProofLines writes one JSON line per proof; hashes[i] is leaf i.
func writeProofLines(path string, hashes [][]byte, a *apiv1.Anchor, proofs []*apiv1.InclusionProof) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("write proofs: %w", err)
	}
	w := bufio.NewWriter(f)
	enc := json.NewEncoder(w)
	for _, p := range proofs {
		if p.LeafIndex >= uint64(len(hashes)) {
			f.Close()
			return fmt.Errorf("the gateway sent a proof for leaf %d of a batch of %d", p.LeafIndex, len(hashes))
		}
		if err := enc.Encode(newProofLine(hashes[p.LeafIndex], a, p)); err != nil {
			f.Close()
			return fmt.Errorf("write proofs: %w", err)
		}
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return fmt.Errorf("write proofs: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write proofs: %w", err)
	}
	return nil
}

// findProofLine reads a proofs.jsonl file and returns the line of the
// document sha (lowercase hex), or the only line when sha is empty.
func findProofLine(path, sha string) (proofLine, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return proofLine{}, fmt.Errorf("read proofs: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var lines []proofLine
	for n := 1; ; n++ {
		var l proofLine
		if err := dec.Decode(&l); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return proofLine{}, fmt.Errorf("%s: proof %d: %w", path, n, err)
		}
		if sha != "" && l.SHA256 == sha {
			return l, nil
		}
		lines = append(lines, l)
	}
	switch {
	case sha != "":
		return proofLine{}, fmt.Errorf("%s holds no proof for the document %s", path, sha)
	case len(lines) != 1:
		return proofLine{}, fmt.Errorf("%s holds %d proofs: say which document with --file or --sha256", path, len(lines))
	}
	return lines[0], nil
}

// readHashList reads one hex SHA-256 per line, in either case; blank lines and
// lines starting with # are skipped.
func readHashList(r io.Reader, name string) ([][]byte, error) {
	var out [][]byte
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		sum, err := spec.NormalizeHex64(line)
		if err != nil {
			return nil, fmt.Errorf("%s line %d: %w", name, n, err)
		}
		b, _ := hex.DecodeString(sum)
		out = append(out, b)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	return out, nil
}

func isHex64(s string) bool {
	if len(s) != 64 {
		return false
	}
	for _, r := range s {
		if (r < '0' || r > '9') && (r < 'a' || r > 'f') {
			return false
		}
	}
	return true
}
