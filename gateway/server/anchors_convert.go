package server

import (
	"encoding/hex"
	"fmt"

	"github.com/civicledger/civicledger/chaincode/records"
	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
	"github.com/civicledger/civicledger/gateway/proofs/merkle"
)

// Conversion between the Anchors contract's records (chaincode/records),
// the merkle package and the API's messages.

// anchorProto converts the chaincode's Anchor record; the block number is
// the caller's to set.
func anchorProto(a records.Anchor) *apiv1.Anchor {
	return &apiv1.Anchor{
		Root: a.Root, Size: a.Size, Label: a.Label, AnchoredBy: a.AnchoredBy,
		AnchoredAt: a.AnchoredAt, TransactionId: a.TxID,
	}
}

// proofToProto converts a proof; the path's bytes are shared, not copied.
func proofToProto(p merkle.Proof) *apiv1.InclusionProof {
	path := make([][]byte, len(p.Path))
	for i := range p.Path {
		path[i] = p.Path[i][:]
	}
	return &apiv1.InclusionProof{LeafIndex: p.LeafIndex, TreeSize: p.TreeSize, Path: path}
}

// proofFromProto converts and checks the shape of a proof from a request.
// Every refusal is InvalidArgument: a path hash that is not 32 bytes, more
// than merkle.MaxPathLength hashes, and the merkle package's shape errors
// (leaf index out of range, wrong path length, e.g. a truncated path).
func proofFromProto(p *apiv1.InclusionProof) (merkle.Proof, error) {
	if p == nil {
		return merkle.Proof{}, invalid("proof", "is required: leaf_index, tree_size and path")
	}
	if len(p.Path) > merkle.MaxPathLength {
		return merkle.Proof{}, invalid("proof.path", "%v: %d path hashes, at most %d", merkle.ErrMalformedProof, len(p.Path), merkle.MaxPathLength)
	}
	out := merkle.Proof{LeafIndex: p.LeafIndex, TreeSize: p.TreeSize, Path: make([][merkle.HashSize]byte, len(p.Path))}
	for i, h := range p.Path {
		if len(h) != merkle.HashSize {
			return merkle.Proof{}, invalid(fmt.Sprintf("proof.path[%d]", i), "%v: a path hash has 32 bytes, got %d", merkle.ErrMalformedProof, len(h))
		}
		out.Path[i] = [merkle.HashSize]byte(h)
	}
	if err := out.Validate(); err != nil {
		return merkle.Proof{}, invalid("proof", "%v: %v", merkle.ErrMalformedProof, err)
	}
	return out, nil
}

// hexHash decodes a request's 64-hex SHA-256 or root, checked by sha256Hex.
func hexHash(field, v string) ([merkle.HashSize]byte, error) {
	var h [merkle.HashSize]byte
	if err := sha256Hex(field, v); err != nil {
		return h, err
	}
	_, err := hex.Decode(h[:], []byte(v))
	return h, err
}
