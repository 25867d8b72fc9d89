package merkle

import (
	"errors"
	"fmt"
	"math/bits"
)

var (
	// ErrIndexOutOfRange is returned for a leaf index at or beyond the tree
	// size, including any index of a tree of size 0.
	ErrIndexOutOfRange = errors.New("leaf index out of range")
	// ErrPathLength is returned for a proof whose path has more or fewer
	// hashes than the leaf index and tree size call for.
	ErrPathLength = errors.New("wrong path length for the tree size")
	// ErrRootMismatch is returned when a well-formed proof leads to a root
	// other than the expected one: the leaf is not in that tree at that index.
	ErrRootMismatch = errors.New("computed root does not match")
)

// Proof is an RFC 6962 inclusion proof: the audit path from leaf LeafIndex
// (0-based) of a tree of TreeSize leaves up to the root, nearest sibling first.
type Proof struct {
	LeafIndex uint64
	TreeSize  uint64
	Path      [][HashSize]byte
}

// Validate checks the proof's shape without hashing: the index lies inside
// the tree and the path has the length that index and size call for.
func (p Proof) Validate() error {
	if p.LeafIndex >= p.TreeSize {
		return fmt.Errorf("%w: leaf %d of a tree of %d", ErrIndexOutOfRange, p.LeafIndex, p.TreeSize)
	}
	if want := pathLength(p.LeafIndex, p.TreeSize); len(p.Path) != want {
		return fmt.Errorf("%w: %d hashes, leaf %d of a tree of %d needs %d",
			ErrPathLength, len(p.Path), p.LeafIndex, p.TreeSize, want)
	}
	return nil
}

// pathLength is the number of hashes in the audit path of leaf index in a tree
// of size leaves (index < size): one per level below the point where the
// index's path leaves the right border of the tree, plus one per left subtree
// it passes on that border.
func pathLength(index, size uint64) int {
	inner := bits.Len64(index ^ (size - 1))
	return inner + bits.OnesCount64(index>>inner)
}

// VerifyInclusion checks that leaf (a document hash) is leaf p.LeafIndex of
// the tree of p.TreeSize leaves whose root is root. It returns nil, or an
// error wrapping ErrIndexOutOfRange, ErrPathLength or ErrRootMismatch. The
// caller must also check p.TreeSize against the size anchored with the root.
func VerifyInclusion(leaf [HashSize]byte, p Proof, root [HashSize]byte) error {
	got, err := ComputeRoot(leaf, p)
	if err != nil {
		return err
	}
	if got != root {
		return fmt.Errorf("%w: proof leads to %x, expected %x", ErrRootMismatch, got, root)
	}
	return nil
}

// ComputeRoot returns the root that proof p leads to from leaf, for a caller
// that looks the root up (on the ledger) rather than comparing with a known one.
func ComputeRoot(leaf [HashSize]byte, p Proof) ([HashSize]byte, error) {
	return rootFromLeafHash(hashLeaf(leaf[:]), p)
}

// rootFromLeafHash is RFC 9162 §2.1.3.2, after a shape check for clear errors.
func rootFromLeafHash(leafHash [HashSize]byte, p Proof) ([HashSize]byte, error) {
	if err := p.Validate(); err != nil {
		return [HashSize]byte{}, err
	}
	fn, sn := p.LeafIndex, p.TreeSize-1
	r := leafHash
	for i := range p.Path {
		if sn == 0 { // unreachable after Validate; kept as in the RFC
			return [HashSize]byte{}, fmt.Errorf("%w: path too long", ErrPathLength)
		}
		if fn&1 == 1 || fn == sn {
			r = hashChildren(&p.Path[i], &r)
			for fn&1 == 0 && fn != 0 {
				fn >>= 1
				sn >>= 1
			}
		} else {
			r = hashChildren(&r, &p.Path[i])
		}
		fn >>= 1
		sn >>= 1
	}
	if sn != 0 { // unreachable after Validate; kept as in the RFC
		return [HashSize]byte{}, fmt.Errorf("%w: path too short", ErrPathLength)
	}
	return r, nil
}
