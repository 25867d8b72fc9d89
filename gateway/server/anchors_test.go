package server

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"

	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
	"github.com/civicledger/civicledger/gateway/config"
	"github.com/civicledger/civicledger/gateway/fabric"
	"github.com/civicledger/civicledger/gateway/proofs/merkle"
)

// fakeBatchStream plays the client of AnchorBatch: it hands out msgs, then
// io.EOF (or err), and records what the server reads and sends.
type fakeBatchStream struct {
	grpc.ServerStream
	ctx  context.Context
	msgs []*apiv1.AnchorBatchRequest
	err  error
	read int
	sent []*apiv1.AnchorBatchResponse
}

func (f *fakeBatchStream) Context() context.Context { return f.ctx }

func (f *fakeBatchStream) Recv() (*apiv1.AnchorBatchRequest, error) {
	if f.read == len(f.msgs) {
		if f.err != nil {
			return nil, f.err
		}
		return nil, io.EOF
	}
	f.read++
	return f.msgs[f.read-1], nil
}

func (f *fakeBatchStream) Send(m *apiv1.AnchorBatchResponse) error {
	f.sent = append(f.sent, m)
	return nil
}

// blockingBatchStream is a client that sends nothing and never closes: Recv
// blocks until release is closed.
type blockingBatchStream struct {
	fakeBatchStream
	release chan struct{}
}

func (b *blockingBatchStream) Recv() (*apiv1.AnchorBatchRequest, error) {
	<-b.release
	return nil, io.EOF
}

// testLeaves returns n distinct document hashes.
func testLeaves(n int) [][]byte {
	out := make([][]byte, n)
	for i := range out {
		h := sha256.Sum256([]byte{byte(i), byte(i >> 8), byte(i >> 16)})
		out[i] = h[:]
	}
	return out
}

func TestReadBatch(t *testing.T) {
	leaves := testLeaves(10)

	t.Run("hashes from every message form the batch in order and the first message's label is kept", func(t *testing.T) {
		s := &fakeBatchStream{msgs: []*apiv1.AnchorBatchRequest{
			{Hashes: leaves[:3], Label: "March"}, {Hashes: leaves[3:3]}, {Hashes: leaves[3:]},
		}}
		b, err := readBatch(s, 10)
		require.NoError(t, err)
		require.Equal(t, "March", b.label)
		require.Len(t, b.leaves, 10)
		for i := range leaves {
			require.Equal(t, leaves[i], b.leaves[i][:])
		}
	})

	cases := map[string]struct {
		msgs []*apiv1.AnchorBatchRequest
		max  int
		want string
		read int // messages read before the refusal
	}{
		"an empty batch is refused": {
			msgs: []*apiv1.AnchorBatchRequest{{Label: "nothing"}, {}}, max: 10, read: 2,
			want: "hashes: the batch is empty: send at least one 32-byte SHA-256 digest before closing the stream",
		},
		"a batch over the limit is refused and reading stops there": {
			msgs: []*apiv1.AnchorBatchRequest{{Hashes: leaves[:4]}, {Hashes: leaves[4:7]}, {Hashes: leaves[7:]}}, max: 6, read: 2,
			want: "batch holds more than 6 hashes; split it into several batches",
		},
		"a hash of the wrong length is named by its position in the batch": {
			msgs: []*apiv1.AnchorBatchRequest{{Hashes: leaves[:3]}, {Hashes: [][]byte{leaves[3], leaves[4][:31]}}}, max: 10, read: 2,
			want: "hashes[4]: must be a SHA-256 digest of 32 bytes, got 31 bytes (message 2)",
		},
		"a hex digest sent as bytes is refused": {
			msgs: []*apiv1.AnchorBatchRequest{{Hashes: [][]byte{[]byte(hex.EncodeToString(leaves[0]))}}}, max: 10, read: 1,
			want: "hashes[0]: must be a SHA-256 digest of 32 bytes, got 64 bytes (message 1)",
		},
		"a label after the first message is refused": {
			msgs: []*apiv1.AnchorBatchRequest{{Hashes: leaves[:1]}, {Hashes: leaves[1:2], Label: "late"}}, max: 10, read: 2,
			want: "label: only the first message of a batch may carry it, message 2 does",
		},
		"a label over 200 characters is refused": {
			msgs: []*apiv1.AnchorBatchRequest{{Hashes: leaves[:1], Label: strings.Repeat("é", 201)}}, max: 10, read: 1,
			want: "label: is too long: 201 characters, at most 200",
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			s := &fakeBatchStream{msgs: tc.msgs}
			_, err := readBatch(s, tc.max)
			requireInvalid(t, err, tc.want)
			require.Equal(t, tc.read, s.read)
		})
	}

	t.Run("a client that goes away ends the read with its status", func(t *testing.T) {
		gone := status.Error(codes.Canceled, "context canceled")
		_, err := readBatch(&fakeBatchStream{msgs: []*apiv1.AnchorBatchRequest{{Hashes: leaves}}, err: gone}, 100)
		require.ErrorIs(t, err, gone)
	})
}

func TestSendProofs(t *testing.T) {
	t.Run("proofs come in leaf order, 1024 to a message, and each verifies against the root", func(t *testing.T) {
		leaves := testLeaves(2500)
		tree := mustTree(t, leaves)
		s := &fakeBatchStream{}
		require.NoError(t, sendProofs(s.Send, tree))
		require.Len(t, s.sent, 3)
		next := uint64(0)
		for i, msg := range s.sent {
			proofs := msg.GetProofs().GetProofs()
			require.Len(t, proofs, []int{1024, 1024, 452}[i])
			for _, p := range proofs {
				require.Equal(t, next, p.LeafIndex)
				require.EqualValues(t, 2500, p.TreeSize)
				mp, err := proofFromProto(p)
				require.NoError(t, err)
				require.NoError(t, merkle.VerifyInclusion([32]byte(leaves[next]), mp, tree.Root()))
				next++
			}
		}
		require.EqualValues(t, 2500, next)
	})

	t.Run("a batch of one hash gets one proof with an empty path", func(t *testing.T) {
		s := &fakeBatchStream{}
		require.NoError(t, sendProofs(s.Send, mustTree(t, testLeaves(1))))
		require.Len(t, s.sent, 1)
		require.True(t, proto.Equal(&apiv1.InclusionProof{TreeSize: 1}, s.sent[0].GetProofs().Proofs[0]))
	})

	t.Run("a failed send stops the stream with its error", func(t *testing.T) {
		boom := errors.New("connection reset")
		calls := 0
		err := sendProofs(func(*apiv1.AnchorBatchResponse) error { calls++; return boom }, mustTree(t, testLeaves(3000)))
		require.ErrorIs(t, err, boom)
		require.Equal(t, 1, calls)
	})
}

func mustTree(t *testing.T, leaves [][]byte) *merkle.Tree {
	t.Helper()
	arr := make([][32]byte, len(leaves))
	for i := range leaves {
		arr[i] = [32]byte(leaves[i])
	}
	tree, err := merkle.New(arr)
	require.NoError(t, err)
	return tree
}

func TestProofFromProto(t *testing.T) {
	tree := mustTree(t, testLeaves(8))
	p, err := tree.Proof(5)
	require.NoError(t, err)
	good := proofToProto(p)

	t.Run("a proof converts back to the same merkle proof", func(t *testing.T) {
		got, err := proofFromProto(good)
		require.NoError(t, err)
		require.Equal(t, p, got)
	})

	for name, tc := range map[string]struct {
		proof *apiv1.InclusionProof
		want  string
	}{
		"a missing proof": {nil, "proof: is required: leaf_index, tree_size and path"},
		"a truncated path": {&apiv1.InclusionProof{LeafIndex: 5, TreeSize: 8, Path: good.Path[:2]},
			"proof: malformed proof: wrong path length for the tree size: 2 hashes, leaf 5 of a tree of 8 needs 3"},
		"a leaf index beyond the tree": {&apiv1.InclusionProof{LeafIndex: 8, TreeSize: 8, Path: good.Path},
			"proof: malformed proof: leaf index out of range: leaf 8 of a tree of 8"},
		"a tree size that changes the path's shape": {&apiv1.InclusionProof{LeafIndex: 5, TreeSize: 6, Path: good.Path},
			"proof: malformed proof: wrong path length for the tree size: 3 hashes, leaf 5 of a tree of 6 needs 2"},
		"a cut path hash": {&apiv1.InclusionProof{LeafIndex: 5, TreeSize: 8, Path: [][]byte{good.Path[0], good.Path[1][:31], good.Path[2]}},
			"proof.path[1]: malformed proof: a path hash has 32 bytes, got 31"},
		"too many path hashes": {&apiv1.InclusionProof{LeafIndex: 5, TreeSize: 8, Path: make([][]byte, 65)},
			"proof.path: malformed proof: 65 path hashes, at most 64"},
	} {
		t.Run(name+" is an invalid argument with the merkle package's message", func(t *testing.T) {
			_, err := proofFromProto(tc.proof)
			requireInvalid(t, err, tc.want)
		})
	}
}

func TestAnchorServiceWithoutLedger(t *testing.T) {
	a := newAnchorsService(&fakeLedger{}, config.Default().Anchor)
	clerk := context.WithValue(context.Background(), userKey, &fabric.User{Name: "clerk", Role: "clerk"})
	leaves := testLeaves(5)
	tree := mustTree(t, leaves)
	root := tree.Root()
	p, err := tree.Proof(2)
	require.NoError(t, err)

	t.Run("a caller without an anchoring role is refused before the batch is read", func(t *testing.T) {
		ctx := context.WithValue(context.Background(), userKey, &fabric.User{Name: "auditor", Role: "auditor"})
		s := &fakeBatchStream{ctx: ctx, msgs: []*apiv1.AnchorBatchRequest{{Hashes: leaves}}}
		err := a.AnchorBatch(s)
		require.Equal(t, codes.PermissionDenied, status.Code(err))
		require.Zero(t, s.read)
	})

	t.Run("a stream beyond anchor.maxConcurrent is refused as ResourceExhausted", func(t *testing.T) {
		full := newAnchorsService(&fakeLedger{}, config.Default().Anchor)
		for range cap(full.slots) {
			full.slots <- struct{}{}
		}
		s := &fakeBatchStream{ctx: clerk, msgs: []*apiv1.AnchorBatchRequest{{Hashes: leaves}}}
		err := full.AnchorBatch(s)
		require.Equal(t, codes.ResourceExhausted, status.Code(err))
		require.Contains(t, status.Convert(err).Message(), "4 anchoring batches are already in progress on this gateway")
		require.Zero(t, s.read)
	})

	t.Run("a client that never closes its stream is cut off after anchor.receiveTimeout", func(t *testing.T) {
		slow := config.Default().Anchor
		slow.ReceiveTimeout = 50 * time.Millisecond
		s := &blockingBatchStream{fakeBatchStream: fakeBatchStream{ctx: clerk}, release: make(chan struct{})}
		defer close(s.release)
		err := newAnchorsService(&fakeLedger{}, slow).AnchorBatch(s)
		require.Equal(t, codes.DeadlineExceeded, status.Code(err))
		require.Contains(t, status.Convert(err).Message(), "the batch was not completely sent within 50ms")
	})

	t.Run("an empty batch is refused and nothing is sent", func(t *testing.T) {
		s := &fakeBatchStream{ctx: clerk}
		requireInvalid(t, a.AnchorBatch(s), "hashes: the batch is empty: send at least one 32-byte SHA-256 digest before closing the stream")
		require.Empty(t, s.sent)
	})

	t.Run("the default limit refuses a batch of 100001 hashes", func(t *testing.T) {
		big := make([][]byte, 100_001)
		for i := range big {
			big[i] = leaves[0]
		}
		s := &fakeBatchStream{ctx: clerk, msgs: []*apiv1.AnchorBatchRequest{{Hashes: big}}}
		requireInvalid(t, a.AnchorBatch(s), "batch holds more than 100000 hashes; split it into several batches")
	})

	t.Run("a proof that does not lead to the root is bad-proof, decided offline", func(t *testing.T) {
		tampered := proofToProto(p)
		tampered.Path[0] = append([]byte(nil), tampered.Path[0]...)
		tampered.Path[0][0] ^= 1
		resp, err := a.VerifyInclusion(clerk, &apiv1.VerifyInclusionRequest{
			DocumentSha256: hex.EncodeToString(leaves[2]), Root: hex.EncodeToString(root[:]), Proof: tampered})
		require.NoError(t, err)
		require.False(t, resp.Valid)
		require.Equal(t, "bad-proof", resp.Reason)
		require.Contains(t, resp.Message, "computed root does not match")
		require.Nil(t, resp.Anchor)
	})

	t.Run("another document's hash is bad-proof", func(t *testing.T) {
		resp, err := a.VerifyInclusion(clerk, &apiv1.VerifyInclusionRequest{
			DocumentSha256: hex.EncodeToString(leaves[3]), Root: hex.EncodeToString(root[:]), Proof: proofToProto(p)})
		require.NoError(t, err)
		require.Equal(t, "bad-proof", resp.Reason)
	})

	for name, tc := range map[string]struct {
		req  *apiv1.VerifyInclusionRequest
		want string
	}{
		"a document hash that is not hex": {&apiv1.VerifyInclusionRequest{DocumentSha256: "X" + hex.EncodeToString(leaves[2])[1:], Root: hex.EncodeToString(root[:]), Proof: proofToProto(p)},
			"document_sha256: must be a SHA-256 as 64 hex characters, character 1 is not 0-9, a-f or A-F"},
		"a missing root": {&apiv1.VerifyInclusionRequest{DocumentSha256: hex.EncodeToString(leaves[2]), Proof: proofToProto(p)},
			"root: is required: a SHA-256 as 64 hex characters"},
		"a truncated proof": {&apiv1.VerifyInclusionRequest{DocumentSha256: hex.EncodeToString(leaves[2]), Root: hex.EncodeToString(root[:]),
			Proof: &apiv1.InclusionProof{LeafIndex: 2, TreeSize: 5, Path: proofToProto(p).Path[1:]}},
			"proof: malformed proof: wrong path length for the tree size: 2 hashes, leaf 2 of a tree of 5 needs 3"},
	} {
		t.Run(name+" is an invalid argument", func(t *testing.T) {
			_, err := a.VerifyInclusion(clerk, tc.req)
			requireInvalid(t, err, tc.want)
		})
	}

	t.Run("GetAnchor refuses a malformed root", func(t *testing.T) {
		_, err := a.GetAnchor(clerk, &apiv1.GetAnchorRequest{Root: "abc"})
		requireInvalid(t, err, "root: must be a SHA-256 as 64 hex characters, got 3 characters")
	})
}
