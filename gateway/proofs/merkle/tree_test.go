package merkle

import (
	"crypto/sha256"
	"encoding/binary"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
)

// documentHashes returns n distinct 32-byte leaves, SHA-256 of "doc-<i>".
func documentHashes(n int) [][HashSize]byte {
	leaves := make([][HashSize]byte, n)
	for i := range leaves {
		leaves[i] = sha256.Sum256(binary.BigEndian.AppendUint64([]byte("doc-"), uint64(i)))
	}
	return leaves
}

// largestPowerOfTwoBelow returns k, the largest power of two smaller than n > 1.
func largestPowerOfTwoBelow(n int) int {
	k := 1
	for k<<1 < n {
		k <<= 1
	}
	return k
}

// reference computes MTH and PATH as RFC 6962 §2.1 and §2.1.1 define them,
// recursively, remembering subtree hashes so that all paths stay cheap.
type reference struct {
	leaves [][HashSize]byte
	memo   map[[2]int][HashSize]byte
}

// root is MTH(D[lo:hi]).
func (r *reference) root(lo, hi int) [HashSize]byte {
	if h, ok := r.memo[[2]int{lo, hi}]; ok {
		return h
	}
	var h [HashSize]byte
	if hi-lo == 1 {
		h = sha256.Sum256(append([]byte{0x00}, r.leaves[lo][:]...))
	} else {
		k := lo + largestPowerOfTwoBelow(hi-lo)
		left, right := r.root(lo, k), r.root(k, hi)
		h = sha256.Sum256(append(append([]byte{0x01}, left[:]...), right[:]...))
	}
	r.memo[[2]int{lo, hi}] = h
	return h
}

// path is PATH(m, D[lo:hi]) for lo <= m < hi.
func (r *reference) path(m, lo, hi int) [][HashSize]byte {
	if hi-lo == 1 {
		return [][HashSize]byte{}
	}
	k := lo + largestPowerOfTwoBelow(hi-lo)
	if m < k {
		return append(r.path(m, lo, k), r.root(k, hi))
	}
	return append(r.path(m, k, hi), r.root(lo, k))
}

func TestNew(t *testing.T) {
	t.Run("roots and audit paths match the recursive RFC 6962 definition for 1 to 130 leaves", func(t *testing.T) {
		for n := 1; n <= 130; n++ {
			leaves := documentHashes(n)
			tree, err := New(leaves)
			require.NoError(t, err)
			require.Equal(t, n, tree.Size())
			ref := &reference{leaves: leaves, memo: map[[2]int][HashSize]byte{}}
			require.Equal(t, ref.root(0, n), tree.Root(), "size %d", n)
			for i := range n {
				p, err := tree.Proof(i)
				require.NoError(t, err)
				require.Equal(t, ref.path(i, 0, n), p.Path, "leaf %d of %d", i, n)
				require.Equal(t, Proof{LeafIndex: uint64(i), TreeSize: uint64(n), Path: p.Path}, p)
				require.Equal(t, len(p.Path), pathLength(uint64(i), uint64(n)))
			}
		}
	})

	t.Run("Proofs returns the same proofs as Proof, leaf by leaf", func(t *testing.T) {
		for _, n := range []int{1, 2, 3, 7, 8, 9, 100, 1000} {
			tree, err := New(documentHashes(n))
			require.NoError(t, err)
			all := tree.Proofs()
			require.Len(t, all, n)
			for i := range n {
				p, err := tree.Proof(i)
				require.NoError(t, err)
				require.Equal(t, p, all[i], "leaf %d of %d", i, n)
			}
		}
	})

	t.Run("appending to one proof of Proofs does not overwrite the next one", func(t *testing.T) {
		tree, err := New(documentHashes(10))
		require.NoError(t, err)
		all := tree.Proofs()
		want, err := tree.Proof(1)
		require.NoError(t, err)
		_ = append(all[0].Path, [HashSize]byte{0xff})
		require.Equal(t, want, all[1])
	})

	t.Run("a batch of one leaf has the leaf hash as root and an empty path", func(t *testing.T) {
		leaf := documentHashes(1)[0]
		tree, err := New([][HashSize]byte{leaf})
		require.NoError(t, err)
		require.Equal(t, LeafHash(leaf), tree.Root())
		p, err := tree.Proof(0)
		require.NoError(t, err)
		require.Empty(t, p.Path)
		require.NoError(t, VerifyInclusion(leaf, p, tree.Root()))
	})

	t.Run("the tree keeps its own copy of the leaves", func(t *testing.T) {
		leaves := documentHashes(5)
		tree, err := New(leaves)
		require.NoError(t, err)
		root := tree.Root()
		leaves[3][0] ^= 1
		require.Equal(t, root, tree.Root())
	})

	t.Run("a document hash that appears twice gets two leaves", func(t *testing.T) {
		leaves := documentHashes(3)
		leaves[2] = leaves[0]
		tree, err := New(leaves)
		require.NoError(t, err)
		for _, i := range []int{0, 2} {
			p, err := tree.Proof(i)
			require.NoError(t, err)
			require.NoError(t, VerifyInclusion(leaves[0], p, tree.Root()))
		}
	})

	t.Run("bad batches are refused with a clear error", func(t *testing.T) {
		for _, tc := range []struct {
			name    string
			leaves  [][HashSize]byte
			wantErr error
			wantMsg string
		}{
			{"nil", nil, ErrEmptyBatch, "empty batch"},
			{"empty", [][HashSize]byte{}, ErrEmptyBatch, "empty batch"},
			{"one too many", make([][HashSize]byte, MaxLeaves+1), ErrBatchTooLarge, "batch too large: 1048577 leaves, at most 1048576"},
		} {
			tree, err := New(tc.leaves)
			require.ErrorIs(t, err, tc.wantErr, tc.name)
			require.EqualError(t, err, tc.wantMsg, tc.name)
			require.Nil(t, tree)
		}
	})

	t.Run("a proof of a leaf outside the tree is refused", func(t *testing.T) {
		tree, err := New(documentHashes(4))
		require.NoError(t, err)
		for _, i := range []int{-1, 4, 1 << 40} {
			_, err := tree.Proof(i)
			require.ErrorIs(t, err, ErrIndexOutOfRange, "index %d", i)
		}
		_, err = tree.Proof(4)
		require.EqualError(t, err, "leaf index out of range: leaf 4 of a tree of 4")
	})

	t.Run("a tree serves proofs to concurrent callers", func(t *testing.T) {
		leaves := documentHashes(300)
		tree, err := New(leaves)
		require.NoError(t, err)
		var wg sync.WaitGroup
		errs := make([]error, 8)
		for g := range errs {
			wg.Go(func() {
				for i := g; i < len(leaves); i += len(errs) {
					p, err := tree.Proof(i)
					if err == nil {
						err = VerifyInclusion(leaves[i], p, tree.Root())
					}
					if err != nil {
						errs[g] = err
						return
					}
				}
				_ = tree.Proofs()
			})
		}
		wg.Wait()
		for _, err := range errs {
			require.NoError(t, err)
		}
	})
}
