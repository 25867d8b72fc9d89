package merkle

import (
	"errors"
	"fmt"
)

// MaxLeaves caps a batch at 2^20 documents, about four years of Lorient's
// 20,000 anchorings a month; larger batches should be split.
const MaxLeaves = 1 << 20

var (
	// ErrEmptyBatch is returned by New for a batch without leaves: RFC 6962
	// defines a root for it, but there is nothing to prove.
	ErrEmptyBatch = errors.New("empty batch")
	// ErrBatchTooLarge is returned by New for more than MaxLeaves leaves.
	ErrBatchTooLarge = errors.New("batch too large")
)

// Tree is the RFC 6962 Merkle tree of one batch, built by New. It is
// immutable and safe for concurrent use.
type Tree struct {
	// levels[0] holds the leaf hashes and each next level the parents of the
	// one below; a level's unpaired last node moves up unchanged, which gives
	// RFC 6962's split at the largest power of two. The last level is the root.
	levels [][][HashSize]byte
}

// New builds the tree of a batch of document hashes, in the order given. The
// same hash may appear twice; each occurrence gets its own leaf.
func New(leaves [][HashSize]byte) (*Tree, error) {
	switch {
	case len(leaves) == 0:
		return nil, ErrEmptyBatch
	case len(leaves) > MaxLeaves:
		return nil, fmt.Errorf("%w: %d leaves, at most %d", ErrBatchTooLarge, len(leaves), MaxLeaves)
	}
	hashes := make([][HashSize]byte, len(leaves))
	for i := range leaves {
		hashes[i] = hashLeaf(leaves[i][:])
	}
	return fromLeafHashes(hashes), nil
}

// fromLeafHashes builds the levels above non-empty leaf hashes, which it keeps.
func fromLeafHashes(level [][HashSize]byte) *Tree {
	t := &Tree{levels: [][][HashSize]byte{level}}
	for len(level) > 1 {
		next := make([][HashSize]byte, (len(level)+1)/2)
		for i := 0; i+1 < len(level); i += 2 {
			next[i/2] = hashChildren(&level[i], &level[i+1])
		}
		if len(level)%2 == 1 {
			next[len(next)-1] = level[len(level)-1]
		}
		t.levels = append(t.levels, next)
		level = next
	}
	return t
}

// Root returns the Merkle Tree Hash of the batch, the value to anchor.
func (t *Tree) Root() [HashSize]byte {
	return t.levels[len(t.levels)-1][0]
}

// Size returns the number of leaves.
func (t *Tree) Size() int {
	return len(t.levels[0])
}

// Proof returns the inclusion proof of the leaf at index (0-based).
func (t *Tree) Proof(index int) (Proof, error) {
	if index < 0 || index >= t.Size() {
		return Proof{}, fmt.Errorf("%w: leaf %d of a tree of %d", ErrIndexOutOfRange, index, t.Size())
	}
	n := pathLength(uint64(index), uint64(t.Size()))
	return t.proof(index, make([][HashSize]byte, 0, n)), nil
}

// Proofs returns the inclusion proofs of all leaves, in leaf order, in
// O(n log n) time: no hashing, only copies of the stored nodes. The paths
// share one backing array (about 32·n·log2(n) bytes: 9.4 MB for 20,000
// leaves), so keeping any proof keeps all of them in memory; for very large
// batches, call Proof leaf by leaf instead.
func (t *Tree) Proofs() []Proof {
	size := uint64(t.Size())
	total := 0
	for i := range size {
		total += pathLength(i, size)
	}
	backing := make([][HashSize]byte, 0, total)
	proofs := make([]Proof, size)
	for i := range proofs {
		start := len(backing)
		n := pathLength(uint64(i), size)
		proofs[i] = t.proof(i, backing[start:start:start+n])
		backing = backing[:start+n]
	}
	return proofs
}

// proof appends the audit path of leaf index to path, bottom up: at each
// level the sibling, if the node has one.
func (t *Tree) proof(index int, path [][HashSize]byte) Proof {
	p := Proof{LeafIndex: uint64(index), TreeSize: uint64(t.Size())}
	for _, level := range t.levels[:len(t.levels)-1] {
		if sibling := index ^ 1; sibling < len(level) {
			path = append(path, level[sibling])
		}
		index >>= 1
	}
	p.Path = path
	return p
}
