// Package merkle anchors a batch of document hashes as one Merkle root and
// gives each document an inclusion proof that anyone can check offline.
//
// The tree is the Merkle Tree Hash of RFC 6962 §2.1, as used by Certificate
// Transparency: a leaf hash is SHA-256(0x00 || leaf), an interior node is
// SHA-256(0x01 || left || right), and a tree of n > 1 leaves splits at the
// largest power of two smaller than n (no padding, no duplicated leaves). The
// leaves of a batch are the 32-byte SHA-256 hashes of the documents, taken as
// raw bytes. A Proof is the RFC 6962 §2.1.1 audit path, checked with the
// RFC 9162 §2.1.3.2 algorithm; it travels as JSON (hex hashes) or in a compact
// binary form.
//
// For a given root and tree size, a proof that checks out shows that the leaf
// sits at LeafIndex. It does not show the tree size: the root does not commit
// to it, and a proof can
// also check out with another size whose path has the same shape (leaf 0 of 5
// and of 8, say). Whoever anchors a root must therefore record the batch size
// with it, and a verifier must compare Proof.TreeSize with that record.
package merkle
