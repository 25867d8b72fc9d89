package merkle

import (
	"encoding/hex"
	"testing"

	"github.com/stretchr/testify/require"
)

// The Certificate Transparency test vectors (RFC 6962 hashing), as published in
// the CT reference implementations (transparency-dev/merkle testonly and
// proof/verify_test.go, and the C++ log's merkle_tree_test.cc).
var (
	ctLeaves = []string{
		"", "00", "10", "2021", "3031", "40414243",
		"5051525354555657", "606162636465666768696a6b6c6d6e6f",
	}
	// ctRoots[i] is the root of the tree over the first i+1 leaves.
	ctRoots = []string{
		"6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
		"fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
		"aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
		"d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
		"4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
		"76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
		"ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
		"5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
	}
	// ctNodes[level][i] are the complete subtrees of the 8-leaf tree.
	ctNodes = [][]string{{
		"6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
		"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
		"0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7",
		"07506a85fd9dd2f120eb694f86011e5bb4662e5c415a62917033d4a9624487e7",
		"bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
		"4271a26be0d8a84f0bd54c8c302e7cb3a3b5d1fa6780a40bcce2873477dab658",
		"b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
		"46f6ffadd3d06a09ff3c5860d2755c8b9819db7df44251788c7d8e3180de8eb1",
	}, {
		"fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
		"5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
		"0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
		"ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
	}, {
		"d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
		"6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
	}, {
		"5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
	}}
	// ctProofs are the published inclusion proofs (0-based leaf index).
	ctProofs = []struct {
		leaf, size uint64
		path       []string
	}{
		{0, 1, nil},
		{0, 8, []string{
			"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
			"5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
			"6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
		}},
		{5, 8, []string{
			"bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
			"ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
			"d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
		}},
		{2, 3, []string{
			"fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
		}},
		{1, 5, []string{
			"6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
			"5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
			"bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
		}},
	}
)

// mustHex decodes a hex test vector.
func mustHex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	require.NoError(t, err)
	return b
}

// mustHash decodes a 32-byte hex test vector.
func mustHash(t testing.TB, s string) [HashSize]byte {
	t.Helper()
	var h [HashSize]byte
	require.Equal(t, HashSize, copy(h[:], mustHex(t, s)), "vector %q", s)
	return h
}

// hexOf returns a hash in lowercase hex.
func hexOf(h [HashSize]byte) string {
	return hex.EncodeToString(h[:])
}

// treeOfData builds a tree over leaf data of any length, as the vectors need.
func treeOfData(t testing.TB, leaves [][]byte) *Tree {
	t.Helper()
	require.NotEmpty(t, leaves)
	hashes := make([][HashSize]byte, len(leaves))
	for i, l := range leaves {
		hashes[i] = hashLeaf(l)
	}
	return fromLeafHashes(hashes)
}

// ctLeafData returns the first n CT vector leaves.
func ctLeafData(t testing.TB, n int) [][]byte {
	data := make([][]byte, n)
	for i := range data {
		data[i] = mustHex(t, ctLeaves[i])
	}
	return data
}

func TestCertificateTransparencyVectors(t *testing.T) {
	t.Run("the roots of the trees over the first 1 to 8 leaves are the published ones", func(t *testing.T) {
		for i, want := range ctRoots {
			tree := treeOfData(t, ctLeafData(t, i+1))
			require.Equal(t, i+1, tree.Size())
			require.Equal(t, want, hexOf(tree.Root()), "size %d", i+1)
		}
	})

	t.Run("every node of the 8-leaf tree is the published one", func(t *testing.T) {
		tree := treeOfData(t, ctLeafData(t, 8))
		require.Len(t, tree.levels, len(ctNodes))
		for level, nodes := range ctNodes {
			require.Len(t, tree.levels[level], len(nodes))
			for i, want := range nodes {
				require.Equal(t, want, hexOf(tree.levels[level][i]), "level %d node %d", level, i)
			}
		}
	})

	t.Run("the published inclusion proofs are produced and verify", func(t *testing.T) {
		for _, v := range ctProofs {
			data := ctLeafData(t, int(v.size))
			tree := treeOfData(t, data)
			p, err := tree.Proof(int(v.leaf))
			require.NoError(t, err)
			want := Proof{LeafIndex: v.leaf, TreeSize: v.size, Path: [][HashSize]byte{}}
			for _, h := range v.path {
				want.Path = append(want.Path, mustHash(t, h))
			}
			require.Equal(t, want, p, "leaf %d of %d", v.leaf, v.size)

			root, err := rootFromLeafHash(hashLeaf(data[v.leaf]), p)
			require.NoError(t, err)
			require.Equal(t, mustHash(t, ctRoots[v.size-1]), root)
		}
	})

	t.Run("leaf data longer than the stack buffer hashes as SHA-256 of 0x00 and the data", func(t *testing.T) {
		long := make([]byte, 1000)
		for i := range long {
			long[i] = byte(i)
		}
		short := long[:HashSize]
		require.Equal(t, hashLeaf(append([]byte(nil), short...)), LeafHash([HashSize]byte(short)))
		require.Equal(t,
			"b3f81a3986cb4ad0b1fa2f76747a9a6c354d97b93aaf624f99f54f07c83e0721",
			hexOf(hashLeaf(long)))
	})
}
