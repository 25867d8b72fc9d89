package server

import (
	"context"
	"encoding/hex"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/protobuf/proto"

	"github.com/civicledger/civicledger/chaincode/spec"
	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
	"github.com/civicledger/civicledger/gateway/config"
)

func TestAnchorsHandlers(t *testing.T) {
	leaves := testLeaves(5)
	tree := mustTree(t, leaves)
	rootBytes := tree.Root()
	root := hex.EncodeToString(rootBytes[:])
	proof, err := tree.Proof(2)
	require.NoError(t, err)
	anchorJSON := func(size int) string {
		return `{"root":"` + root + `","size":` + strconv.Itoa(size) + `,"label":"March","anchoredBy":"RegistryMSP/clerk1","anchoredAt":"2026-03-01T10:00:00Z","txId":"t1"}`
	}
	anchored := &apiv1.Anchor{Root: root, Size: 5, Label: "March", AnchoredBy: "RegistryMSP/clerk1", AnchoredAt: "2026-03-01T10:00:00Z", TransactionId: "t1"}
	anchors := func(l *fakeLedger) *anchorsService { return newAnchorsService(l, config.Default().Anchor) }
	batch := func() *fakeBatchStream {
		return &fakeBatchStream{ctx: asClerk(), msgs: []*apiv1.AnchorBatchRequest{{Label: "March", Hashes: leaves}}}
	}

	t.Run("AnchorBatch submits the root and size once and sends the anchor then the proofs", func(t *testing.T) {
		l := &fakeLedger{answers: map[string]string{spec.AnchorsAnchor: anchorJSON(5)}}
		s := batch()
		require.NoError(t, anchors(l).AnchorBatch(s))
		require.Equal(t, []ledgerCall{{Kind: "submit", Tx: spec.AnchorsAnchor, Args: []string{`{"root":"` + root + `","size":5,"label":"March"}`}}}, l.recorded())
		require.Len(t, s.sent, 2)
		want := proto.Clone(anchored).(*apiv1.Anchor)
		want.BlockNumber = fakeBlock
		require.True(t, proto.Equal(want, s.sent[0].GetAnchor()), "anchor %v", s.sent[0])
		require.Len(t, s.sent[1].GetProofs().GetProofs(), 5)
	})

	t.Run("a batch whose root is already anchored gets the existing anchor and its proofs", func(t *testing.T) {
		l := &fakeLedger{
			errs:    map[string]error{spec.AnchorsAnchor: refusal("ALREADY_EXISTS: root " + root + " is already anchored")},
			answers: map[string]string{spec.AnchorsGet: anchorJSON(5)},
		}
		s := batch()
		require.NoError(t, anchors(l).AnchorBatch(s))
		require.Equal(t, []string{spec.AnchorsAnchor, spec.AnchorsGet}, txNames(l.recorded()))
		require.True(t, s.sent[0].GetAnchor().AlreadyAnchored)
		require.Len(t, s.sent, 2)
	})

	t.Run("a valid request runs the contract's transaction and converts its result", func(t *testing.T) {
		runHandlerCases(t, map[string]handlerCase{
			"GetAnchor reads the root": {
				call: func(c context.Context, l *fakeLedger) (proto.Message, error) {
					return msg(anchors(l).GetAnchor(c, &apiv1.GetAnchorRequest{Root: root}))
				},
				want:   ledgerCall{Kind: "evaluate", Tx: spec.AnchorsGet, Args: []string{root}},
				answer: anchorJSON(5),
				resp:   anchored,
			},
			"VerifyInclusion is valid when the ledger anchors the root with the proof's size": {
				call: func(c context.Context, l *fakeLedger) (proto.Message, error) {
					return msg(anchors(l).VerifyInclusion(c, &apiv1.VerifyInclusionRequest{DocumentSha256: hex.EncodeToString(leaves[2]), Root: root, Proof: proofToProto(proof)}))
				},
				want:   ledgerCall{Kind: "evaluate", Tx: spec.AnchorsGet, Args: []string{root}},
				answer: anchorJSON(5),
				resp: &apiv1.VerifyInclusionResponse{Valid: true, Reason: "ok", Anchor: anchored,
					Message: "the document is in the batch anchored by RegistryMSP/clerk1 at 2026-03-01T10:00:00Z"},
			},
			"VerifyInclusion is a size mismatch when the ledger anchors another size": {
				call: func(c context.Context, l *fakeLedger) (proto.Message, error) {
					return msg(anchors(l).VerifyInclusion(c, &apiv1.VerifyInclusionRequest{DocumentSha256: hex.EncodeToString(leaves[2]), Root: root, Proof: proofToProto(proof)}))
				},
				want:   ledgerCall{Kind: "evaluate", Tx: spec.AnchorsGet, Args: []string{root}},
				answer: anchorJSON(6),
				resp: &apiv1.VerifyInclusionResponse{Reason: "size-mismatch", Anchor: func() *apiv1.Anchor {
					a := proto.Clone(anchored).(*apiv1.Anchor)
					a.Size = 6
					return a
				}(), Message: "the proof is for a tree of 5 leaves, the root is anchored with 6"},
			},
		})
	})

	t.Run("a chaincode refusal reaches the client with its gRPC code", func(t *testing.T) {
		runRefusalCases(t, map[string]refusalCase{
			"an unknown root is NotFound": {
				call: func(c context.Context, l *fakeLedger) (proto.Message, error) {
					return msg(anchors(l).GetAnchor(c, &apiv1.GetAnchorRequest{Root: root}))
				},
				tx: spec.AnchorsGet, refusal: "NOT_FOUND: no anchor " + root, want: codes.NotFound,
			},
			"a label the chaincode refuses is InvalidArgument": {
				call: func(c context.Context, l *fakeLedger) (proto.Message, error) {
					return nil, anchors(l).AnchorBatch(batch())
				},
				tx: spec.AnchorsAnchor, refusal: "INVALID_ARGUMENT: label is malformed", want: codes.InvalidArgument,
			},
		})
	})

	t.Run("a root the ledger does not know is an unknown-root verdict, not an error", func(t *testing.T) {
		l := &fakeLedger{errs: map[string]error{spec.AnchorsGet: refusal("NOT_FOUND: no anchor " + root)}}
		resp, err := anchors(l).VerifyInclusion(asClerk(), &apiv1.VerifyInclusionRequest{DocumentSha256: hex.EncodeToString(leaves[2]), Root: root, Proof: proofToProto(proof)})
		require.NoError(t, err)
		require.Equal(t, "unknown-root", resp.Reason)
		require.False(t, resp.Valid)
	})

	t.Run("an invalid request never reaches the ledger", func(t *testing.T) {
		runInvalidCases(t, map[string]invalidCase{
			"an anchor read with a malformed root": {field: "root", call: func(c context.Context, l *fakeLedger) (proto.Message, error) {
				return msg(anchors(l).GetAnchor(c, &apiv1.GetAnchorRequest{Root: "abc"}))
			}},
			"a batch with a hash of 31 bytes": {field: "hashes[0]", call: func(c context.Context, l *fakeLedger) (proto.Message, error) {
				return nil, anchors(l).AnchorBatch(&fakeBatchStream{ctx: c, msgs: []*apiv1.AnchorBatchRequest{{Hashes: [][]byte{leaves[0][:31]}}}})
			}},
			"a proof whose leaf index is beyond its tree": {field: "proof", call: func(c context.Context, l *fakeLedger) (proto.Message, error) {
				return msg(anchors(l).VerifyInclusion(c, &apiv1.VerifyInclusionRequest{DocumentSha256: hex.EncodeToString(leaves[2]), Root: root,
					Proof: &apiv1.InclusionProof{LeafIndex: 9, TreeSize: 5, Path: proofToProto(proof).Path}}))
			}},
		})
	})
}

// txNames lists the transaction names of calls, in order.
func txNames(calls []ledgerCall) []string {
	var out []string
	for _, c := range calls {
		out = append(out, c.Tx)
	}
	return out
}
