package merkle

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// ctProof returns the CT vector proof of leaf 5 of 8 and its exact encodings.
func ctProof(t testing.TB) (p Proof, bin []byte, text string) {
	t.Helper()
	v := ctProofs[2]
	p = Proof{LeafIndex: v.leaf, TreeSize: v.size}
	bin = []byte{0x01, 0x05, 0x08, 0x03}
	for _, h := range v.path {
		p.Path = append(p.Path, mustHash(t, h))
		bin = append(bin, mustHex(t, h)...)
	}
	text = `{"leafIndex":5,"treeSize":8,"path":["` + strings.Join(v.path, `","`) + `"]}`
	return p, bin, text
}

func TestProofEncoding(t *testing.T) {
	t.Run("a proof has the documented binary and JSON forms", func(t *testing.T) {
		p, bin, text := ctProof(t)
		got, err := p.MarshalBinary()
		require.NoError(t, err)
		require.Equal(t, bin, got)
		js, err := json.Marshal(p)
		require.NoError(t, err)
		require.Equal(t, text, string(js))

		single, err := json.Marshal(Proof{TreeSize: 1})
		require.NoError(t, err)
		require.JSONEq(t, `{"leafIndex":0,"treeSize":1,"path":[]}`, string(single))
	})

	t.Run("every proof of trees of 1 to 33 leaves survives both forms unchanged", func(t *testing.T) {
		for _, b := range batches(t, 33) {
			for _, p := range b.proofs {
				bin, err := p.MarshalBinary()
				require.NoError(t, err)
				require.Len(t, bin, 1+len(p.Path)*HashSize+uvarintLen(p.LeafIndex)+uvarintLen(p.TreeSize)+1)
				fromBin, err := DecodeProof(bin)
				require.NoError(t, err)
				require.Equal(t, p, fromBin)

				js, err := json.Marshal(p)
				require.NoError(t, err)
				var fromJSON Proof
				require.NoError(t, json.Unmarshal(js, &fromJSON))
				require.Equal(t, p, fromJSON)
			}
		}
	})

	t.Run("a proof survives inside a larger JSON document and in uppercase hex", func(t *testing.T) {
		p, _, text := ctProof(t)
		var doc struct {
			Root  string `json:"root"`
			Proof Proof  `json:"proof"`
		}
		require.NoError(t, json.Unmarshal([]byte(`{"root":"x","proof":`+strings.ToUpper(text[:len(text)-1])+"}}"), &doc))
		require.Equal(t, p, doc.Proof)
	})

	t.Run("an invalid proof is not encoded", func(t *testing.T) {
		p, _, _ := ctProof(t)
		p.Path = p.Path[:2]
		_, err := p.MarshalBinary()
		require.ErrorIs(t, err, ErrPathLength)
		_, err = json.Marshal(p)
		require.ErrorIs(t, err, ErrPathLength)
	})

	t.Run("every truncation of a binary proof is refused", func(t *testing.T) {
		_, bin, _ := ctProof(t)
		for n := range len(bin) {
			_, err := DecodeProof(bin[:n])
			require.ErrorIs(t, err, ErrMalformedProof, "%d of %d bytes", n, len(bin))
		}
	})

	t.Run("bad binary proofs are refused with a clear error", func(t *testing.T) {
		_, bin, _ := ctProof(t)
		for _, tc := range []struct {
			name    string
			data    []byte
			wantMsg string
		}{
			{"empty", nil, "malformed proof: no data"},
			{"unknown version", append([]byte{0x02}, bin[1:]...), "malformed proof: unknown version 2"},
			{"truncated index", []byte{0x01, 0x80}, "malformed proof: truncated in the leaf index at byte 1"},
			{"truncated size", []byte{0x01, 0x05}, "malformed proof: truncated in the tree size at byte 2"},
			{"truncated count", []byte{0x01, 0x05, 0x08}, "malformed proof: truncated in the path length at byte 3"},
			{"truncated path", bin[:len(bin)-1], "malformed proof: truncated: 3 path hashes need 96 bytes, 95 left"},
			{"trailing bytes", append(bytes.Clone(bin), 0), "malformed proof: 1 trailing bytes"},
			{"index overflows", append([]byte{0x01}, bytes.Repeat([]byte{0xff}, 11)...), "malformed proof: leaf index at byte 1 overflows 64 bits"},
			{"non-minimal varint", []byte{0x01, 0x85, 0x00, 0x08, 0x03}, "malformed proof: leaf index at byte 1 is not a minimal varint"},
			{"too many hashes", []byte{0x01, 0x05, 0x08, 65}, "malformed proof: 65 path hashes, at most 64"},
			{"oversized", make([]byte, MaxBinarySize+1), "malformed proof: 2071 bytes, at most 2070"},
			{"index beyond the tree", append([]byte{0x01, 0x08, 0x08}, bin[3:]...),
				"malformed proof: leaf index out of range: leaf 8 of a tree of 8"},
			{"hash count wrong for the shape", append([]byte{0x01, 0x05, 0x08, 0x02}, bin[4:4+64]...),
				"malformed proof: wrong path length for the tree size: 2 hashes, leaf 5 of a tree of 8 needs 3"},
		} {
			p, err := DecodeProof(tc.data)
			require.ErrorIs(t, err, ErrMalformedProof, tc.name)
			require.EqualError(t, err, tc.wantMsg, tc.name)
			require.Zero(t, p, tc.name)
			var q Proof
			require.EqualError(t, q.UnmarshalBinary(tc.data), tc.wantMsg, tc.name)
		}
	})

	t.Run("bad JSON proofs are refused with a clear error", func(t *testing.T) {
		_, _, text := ctProof(t)
		h := strings.Repeat("00", HashSize)
		for _, tc := range []struct {
			name    string
			data    string
			wantMsg string
		}{
			{"not an object", `[]`, "malformed proof: json: cannot unmarshal array into Go value of type merkle.proofJSON"},
			{"null", ` null `, "malformed proof: null instead of a proof object"},
			{"empty object", `{}`, "malformed proof: leafIndex is missing"},
			{"null path", `{"leafIndex":0,"treeSize":1,"path":null}`, "malformed proof: path is missing"},
			{"missing index", `{"treeSize":1,"path":[]}`, "malformed proof: leafIndex is missing"},
			{"missing size", `{"leafIndex":0,"path":[]}`, "malformed proof: treeSize is missing"},
			{"missing path", `{"leafIndex":0,"treeSize":1}`, "malformed proof: path is missing"},
			{"unknown field", `{"leafIndex":0,"treeSize":1,"path":[],"root":""}`, `malformed proof: json: unknown field "root"`},
			{"negative index", `{"leafIndex":-1,"treeSize":1,"path":[]}`, "malformed proof: json: cannot unmarshal number -1 into Go struct field proofJSON.leafIndex of type uint64"},
			{"short hash", `{"leafIndex":0,"treeSize":2,"path":["00"]}`, "malformed proof: path[0] has 2 characters, expected 64 hex digits"},
			{"not hex", `{"leafIndex":0,"treeSize":2,"path":["` + strings.Repeat("zz", HashSize) + `"]}`, "malformed proof: path[0]: encoding/hex: invalid byte: U+007A 'z'"},
			{"too many hashes", `{"leafIndex":0,"treeSize":2,"path":["` + strings.Repeat(h+`","`, 64) + h + `"]}`, "malformed proof: 65 path hashes, at most 64"},
			{"wrong shape", `{"leafIndex":0,"treeSize":2,"path":[]}`, "malformed proof: wrong path length for the tree size: 0 hashes, leaf 0 of a tree of 2 needs 1"},
			{"trailing data", text + ` {}`, "malformed proof: data after the JSON object"},
			{"oversized", strings.Repeat(" ", 16<<10) + text, "malformed proof: 16622 bytes of JSON, at most 16384"},
		} {
			var p Proof
			err := p.UnmarshalJSON([]byte(tc.data))
			require.ErrorIs(t, err, ErrMalformedProof, tc.name)
			require.EqualError(t, err, tc.wantMsg, tc.name)
			require.Zero(t, p, tc.name)
		}
	})

	t.Run("the largest possible proof fits MaxBinarySize", func(t *testing.T) {
		p := Proof{LeafIndex: 0, TreeSize: 1<<64 - 1, Path: make([][HashSize]byte, 64)}
		bin, err := p.MarshalBinary()
		require.NoError(t, err)
		require.Len(t, bin, MaxBinarySize-uvarintLen(1<<64-1)+1)
		got, err := DecodeProof(bin)
		require.NoError(t, err)
		require.Equal(t, p, got)
	})
}

// uvarintLen is the size of the minimal uvarint encoding of v.
func uvarintLen(v uint64) int {
	n := 1
	for ; v >= 0x80; v >>= 7 {
		n++
	}
	return n
}

func FuzzDecodeProof(f *testing.F) {
	_, bin, text := ctProof(f)
	f.Add(bin)
	f.Add([]byte(text))
	f.Add([]byte{})
	f.Add([]byte{0x01, 0x00, 0x01, 0x00})
	f.Add([]byte{0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01, 0x00, 0x00})
	f.Add([]byte{0x01, 0x05, 0x08, 0xff, 0xff, 0xff, 0xff, 0x0f})
	f.Add([]byte(`{"leafIndex":0,"treeSize":1,"path":[]}`))
	f.Add([]byte(`{"leafIndex":18446744073709551615,"treeSize":0,"path":null}`))
	for _, q := range batches(f, 9)[8].proofs {
		b, err := q.MarshalBinary()
		require.NoError(f, err)
		f.Add(b)
	}

	f.Fuzz(func(t *testing.T, data []byte) {
		if p, err := DecodeProof(data); err != nil {
			require.ErrorIs(t, err, ErrMalformedProof)
			require.Zero(t, p)
		} else {
			require.NoError(t, p.Validate())
			again, err := p.MarshalBinary()
			require.NoError(t, err)
			require.Equal(t, data, again, "the binary form is canonical")
		}

		var p Proof
		if err := p.UnmarshalJSON(data); err != nil {
			require.ErrorIs(t, err, ErrMalformedProof)
			require.Zero(t, p)
		} else {
			require.NoError(t, p.Validate())
			js, err := json.Marshal(p)
			require.NoError(t, err)
			var again Proof
			require.NoError(t, json.Unmarshal(js, &again))
			require.Equal(t, p, again)
		}
	})
}
