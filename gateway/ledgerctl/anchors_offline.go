package ledgerctl

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/civicledger/civicledger/chaincode/records"
	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
	"github.com/civicledger/civicledger/gateway/proofs/merkle"
)

// verifyInclusionOffline answers as AnchorService.VerifyInclusion does, with
// the receipt of the anchoring transaction, verified against trust, in
// place of the ledger: no gateway is called.
func verifyInclusionOffline(line proofLine, receiptFile string, trust verifyFlags) (*apiv1.VerifyInclusionResponse, error) {
	leaf, root, proof, err := line.offlineProof()
	if err != nil {
		return nil, err
	}
	if err := merkle.VerifyInclusion(leaf, proof, root); err != nil {
		if !errors.Is(err, merkle.ErrRootMismatch) {
			return nil, fmt.Errorf("proof: %w", err)
		}
		return &apiv1.VerifyInclusionResponse{Reason: "bad-proof", Message: err.Error()}, nil
	}
	rep, err := verifyReceiptFile(receiptFile, trust)
	if err != nil {
		return nil, err
	}
	if err := rep.Err(); err != nil {
		return &apiv1.VerifyInclusionResponse{Reason: "bad-receipt", Message: err.Error()}, nil
	}
	w, ok := rep.Write(rep.Chaincode, "\x00anchor\x00"+line.Root+"\x00")
	if !ok {
		return &apiv1.VerifyInclusionResponse{Reason: "unknown-root",
			Message: fmt.Sprintf("the proof leads to the root, but transaction %s of the receipt did not anchor it", rep.TransactionID)}, nil
	}
	// The write's value is the anchor record as the Anchors contract stores
	// it (docs/proofs.md, "The anchor on the ledger").
	var rec records.Anchor
	if err := json.Unmarshal(w.Value, &rec); err != nil {
		return nil, fmt.Errorf("the receipt's anchor record does not decode: %w", err)
	}
	anchor := &apiv1.Anchor{Root: rec.Root, Size: rec.Size, Label: rec.Label, AnchoredBy: rec.AnchoredBy,
		AnchoredAt: rec.AnchoredAt, TransactionId: rec.TxID, BlockNumber: rep.BlockNumber}
	if rec.Size != proof.TreeSize {
		return &apiv1.VerifyInclusionResponse{Reason: "size-mismatch", Anchor: anchor,
			Message: fmt.Sprintf("the proof is for a tree of %d leaves, the root is anchored with %d", proof.TreeSize, rec.Size)}, nil
	}
	return &apiv1.VerifyInclusionResponse{Valid: true, Reason: "ok", Anchor: anchor,
		Message: "the document is in the batch anchored by " + rec.AnchoredBy + " at " + rec.AnchoredAt + " (receipt verified offline)"}, nil
}

// offlineProof decodes a proof line for local verification.
func (l proofLine) offlineProof() (leaf, root [merkle.HashSize]byte, p merkle.Proof, err error) {
	if !isHex64(l.SHA256) || !isHex64(l.Root) {
		return leaf, root, p, errors.New("sha256 and root must be SHA-256 hashes as 64 lowercase hex characters")
	}
	hex.Decode(leaf[:], []byte(l.SHA256))
	hex.Decode(root[:], []byte(l.Root))
	p = merkle.Proof{LeafIndex: l.LeafIndex, TreeSize: l.Size}
	for i, s := range l.Path {
		var h [merkle.HashSize]byte
		if !isHex64(s) {
			return leaf, root, p, fmt.Errorf("proof: path[%d] must be 64 lowercase hex characters", i)
		}
		hex.Decode(h[:], []byte(s))
		p.Path = append(p.Path, h)
	}
	if err := p.Validate(); err != nil {
		return leaf, root, p, fmt.Errorf("proof: %w", err)
	}
	return leaf, root, p, nil
}
