package merkle

import (
	"math/bits"
	"testing"

	"github.com/stretchr/testify/require"
)

// batch is a tree with its leaves and all its proofs, for verification tests.
type batch struct {
	leaves [][HashSize]byte
	root   [HashSize]byte
	proofs []Proof
}

// batches returns the batches of 1 to maxSize leaves.
func batches(t testing.TB, maxSize int) []batch {
	t.Helper()
	out := make([]batch, 0, maxSize)
	for n := 1; n <= maxSize; n++ {
		leaves := documentHashes(n)
		tree, err := New(leaves)
		require.NoError(t, err)
		out = append(out, batch{leaves: leaves, root: tree.Root(), proofs: tree.Proofs()})
	}
	return out
}

// seq returns 0, 1, …, n-1.
func seq(n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = i
	}
	return s
}

// withPath returns a copy of p with its own copy of the path.
func withPath(p Proof, path [][HashSize]byte) Proof {
	p.Path = append([][HashSize]byte{}, path...)
	return p
}

func TestVerifyInclusion(t *testing.T) {
	all := batches(t, 130)

	t.Run("every proof of every tree size from 1 to 130 verifies", func(t *testing.T) {
		for _, b := range all {
			for i, p := range b.proofs {
				require.NoError(t, VerifyInclusion(b.leaves[i], p, b.root), "leaf %d of %d", i, len(b.leaves))
				root, err := ComputeRoot(b.leaves[i], p)
				require.NoError(t, err)
				require.Equal(t, b.root, root)
			}
		}
	})

	t.Run("a flipped bit in the leaf fails with a root mismatch", func(t *testing.T) {
		for _, b := range all {
			for i, p := range b.proofs {
				leaf := b.leaves[i]
				leaf[i%HashSize] ^= 1 << (i % 8)
				require.ErrorIs(t, VerifyInclusion(leaf, p, b.root), ErrRootMismatch, "leaf %d of %d", i, len(b.leaves))
			}
		}
	})

	t.Run("a flipped bit in any path element fails with a root mismatch", func(t *testing.T) {
		for _, b := range all {
			for i, p := range b.proofs {
				bad := withPath(p, p.Path)
				for j := range bad.Path {
					k, mask := (i+j)%HashSize, byte(0x80>>(j%8))
					bad.Path[j][k] ^= mask
					require.ErrorIs(t, VerifyInclusion(b.leaves[i], bad, b.root), ErrRootMismatch,
						"path[%d] of leaf %d of %d", j, i, len(b.leaves))
					bad.Path[j][k] ^= mask
				}
			}
		}
	})

	t.Run("a flipped bit in the leaf index fails", func(t *testing.T) {
		for _, b := range all {
			for i, p := range b.proofs {
				// Flipping any higher bit than these gives an index out of range too.
				for _, bit := range append(seq(bits.Len64(p.TreeSize)+1), 63) {
					bad := p
					bad.LeafIndex ^= 1 << bit
					err := VerifyInclusion(b.leaves[i], bad, b.root)
					require.Error(t, err, "bit %d of leaf %d of %d", bit, i, len(b.leaves))
					if bad.LeafIndex >= bad.TreeSize {
						require.ErrorIs(t, err, ErrIndexOutOfRange)
					} else if len(p.Path) == pathLength(bad.LeafIndex, bad.TreeSize) {
						require.ErrorIs(t, err, ErrRootMismatch)
					} else {
						require.ErrorIs(t, err, ErrPathLength)
					}
				}
			}
		}
	})

	t.Run("a flipped bit in the root fails with a root mismatch", func(t *testing.T) {
		for _, b := range all {
			for i, p := range b.proofs {
				root := b.root
				root[(i*7)%HashSize] ^= 1 << (i % 8)
				require.ErrorIs(t, VerifyInclusion(b.leaves[i], p, root), ErrRootMismatch)
			}
		}
	})

	t.Run("a proof with a hash removed, added or moved fails", func(t *testing.T) {
		for _, b := range all {
			for i, p := range b.proofs {
				if len(p.Path) == 0 {
					continue
				}
				for _, bad := range [][][HashSize]byte{
					p.Path[:len(p.Path)-1],
					p.Path[1:],
					append(withPath(p, p.Path).Path, b.root),
					append([][HashSize]byte{b.root}, p.Path...),
				} {
					require.ErrorIs(t, VerifyInclusion(b.leaves[i], withPath(p, bad), b.root), ErrPathLength)
				}
				if len(p.Path) > 1 {
					swapped := withPath(p, p.Path)
					swapped.Path[0], swapped.Path[1] = swapped.Path[1], swapped.Path[0]
					require.ErrorIs(t, VerifyInclusion(b.leaves[i], swapped, b.root), ErrRootMismatch)
				}
			}
		}
	})

	t.Run("malformed proofs fail with a clear error", func(t *testing.T) {
		b := all[7] // 8 leaves
		p := b.proofs[5]
		for _, tc := range []struct {
			name    string
			proof   Proof
			wantErr error
			wantMsg string
		}{
			{"truncated", withPath(p, p.Path[:2]), ErrPathLength,
				"wrong path length for the tree size: 2 hashes, leaf 5 of a tree of 8 needs 3"},
			{"too long", withPath(p, append(withPath(p, p.Path).Path, p.Path[0])), ErrPathLength,
				"wrong path length for the tree size: 4 hashes, leaf 5 of a tree of 8 needs 3"},
			{"index beyond the tree", Proof{LeafIndex: 8, TreeSize: 8, Path: p.Path}, ErrIndexOutOfRange,
				"leaf index out of range: leaf 8 of a tree of 8"},
			{"empty tree", Proof{}, ErrIndexOutOfRange,
				"leaf index out of range: leaf 0 of a tree of 0"},
			{"largest sizes", Proof{LeafIndex: 1<<64 - 1, TreeSize: 1<<64 - 1}, ErrIndexOutOfRange,
				"leaf index out of range: leaf 18446744073709551615 of a tree of 18446744073709551615"},
		} {
			err := VerifyInclusion(b.leaves[5], tc.proof, b.root)
			require.ErrorIs(t, err, tc.wantErr, tc.name)
			require.EqualError(t, err, tc.wantMsg, tc.name)
			require.Equal(t, err.Error(), tc.proof.Validate().Error(), tc.name)
		}

		err := VerifyInclusion(b.leaves[4], p, b.root)
		require.ErrorIs(t, err, ErrRootMismatch)
		require.Regexp(t, `^computed root does not match: proof leads to [0-9a-f]{64}, expected `+hexOf(b.root)+`$`, err.Error())
	})

	t.Run("a proof of the last leaf of a tree of 2^64-1 leaves has the expected shape", func(t *testing.T) {
		require.Equal(t, 63, pathLength(1<<64-2, 1<<64-1))
		require.Equal(t, 64, pathLength(0, 1<<64-1))
		require.Equal(t, 0, pathLength(0, 1))
	})

	t.Run("the tree size is not bound by the root, so the anchor must record it", func(t *testing.T) {
		// Leaf 0 of 5 has the same path shape as leaf 0 of 6, 7 and 8: the
		// proof checks out against the 5-leaf root with any of those sizes.
		b := all[4]
		for _, size := range []uint64{6, 7, 8} {
			p := b.proofs[0]
			p.TreeSize = size
			require.NoError(t, VerifyInclusion(b.leaves[0], p, b.root), "size %d", size)
		}
	})
}
