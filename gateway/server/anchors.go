package server

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/civicledger/civicledger/chaincode/records"
	"github.com/civicledger/civicledger/chaincode/spec"
	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
	"github.com/civicledger/civicledger/gateway/config"
	"github.com/civicledger/civicledger/gateway/fabric"
	"github.com/civicledger/civicledger/gateway/proofs/merkle"
)

// anchorsService anchors batches of document hashes as Merkle roots on the
// ledger (the Anchors contract) and verifies inclusion proofs against them.
// The stream halves are in anchors_batch.go, conversions in
// anchors_convert.go.
type anchorsService struct {
	apiv1.UnimplementedAnchorServiceServer
	ledger ledger
	limits config.Anchor
	// slots holds one token per AnchorBatch stream being served, at most
	// limits.MaxConcurrent.
	slots chan struct{}
}

// newAnchorsService serves anchoring over l within the configured limits.
func newAnchorsService(l ledger, limits config.Anchor) *anchorsService {
	return &anchorsService{ledger: l, limits: limits, slots: make(chan struct{}, limits.MaxConcurrent)}
}

// Reasons of VerifyInclusion, stable strings as for seals.
const (
	inclusionOK           = "ok"
	inclusionBadProof     = "bad-proof"
	inclusionUnknownRoot  = "unknown-root"
	inclusionSizeMismatch = "size-mismatch"
)

// anchorRoles may anchor batches, as the chaincode allows.
var anchorRoles = map[string]bool{spec.RoleClerk: true, spec.RoleApprover: true, spec.RoleAdmin: true}

func (a *anchorsService) AnchorBatch(stream apiv1.AnchorService_AnchorBatchServer) error {
	ctx := stream.Context()
	if u := caller(ctx); u == nil || !anchorRoles[u.Role] {
		return status.Error(codes.PermissionDenied, "anchoring a batch needs the role clerk, approver or admin")
	}
	select {
	case a.slots <- struct{}{}:
		defer func() { <-a.slots }()
	default:
		return status.Errorf(codes.ResourceExhausted,
			"%d anchoring batches are already in progress on this gateway (anchor.maxConcurrent); retry in a moment", cap(a.slots))
	}
	b, err := receiveBatch(ctx, stream, a.limits.MaxBatch, a.limits.ReceiveTimeout)
	if err != nil {
		return err
	}
	tree, err := merkle.New(b.leaves)
	if err != nil {
		return status.Errorf(codes.Internal, "build the merkle tree: %v", err)
	}
	b.leaves = nil // the tree keeps its own leaf hashes
	anchor, err := a.anchor(ctx, tree, b.label)
	if err != nil {
		return err
	}
	if err := stream.Send(&apiv1.AnchorBatchResponse{Body: &apiv1.AnchorBatchResponse_Anchor{Anchor: anchor}}); err != nil {
		return err
	}
	return sendProofs(stream.Send, tree)
}

// anchor submits the root and size of tree once and returns the committed
// anchor. A root already on the ledger returns its record, marked
// already_anchored, so a retried batch gets its proofs instead of an error.
func (a *anchorsService) anchor(ctx context.Context, tree *merkle.Tree, label string) (*apiv1.Anchor, error) {
	root := tree.Root()
	in := records.AnchorInput{Root: hex.EncodeToString(root[:]), Size: uint64(tree.Size()), Label: label}
	arg, err := jsonArg(in)
	if err != nil {
		return nil, err
	}
	var rec records.Anchor
	committed, err := submitJSON(ctx, a.ledger, &rec, fabric.Submission{Transaction: spec.AnchorsAnchor, Args: []string{arg}})
	if status.Code(err) == codes.AlreadyExists {
		return a.existingAnchor(ctx, in)
	}
	if err != nil {
		return nil, err
	}
	p := anchorProto(rec)
	p.BlockNumber = committed.BlockNumber
	return p, nil
}

// existingAnchor reads the anchor of a root the ledger already holds. Its
// size equals the batch's unless SHA-256 collides; a difference is reported
// rather than trusted.
func (a *anchorsService) existingAnchor(ctx context.Context, in records.AnchorInput) (*apiv1.Anchor, error) {
	var rec records.Anchor
	if err := evaluateJSON(ctx, a.ledger, &rec, spec.AnchorsGet, in.Root); err != nil {
		return nil, err
	}
	if rec.Size != in.Size {
		return nil, status.Errorf(codes.FailedPrecondition,
			"root %s is anchored with a tree size of %d, this batch has %d hashes", in.Root, rec.Size, in.Size)
	}
	p := anchorProto(rec)
	p.AlreadyAnchored = true
	return p, nil
}

func (a *anchorsService) GetAnchor(ctx context.Context, req *apiv1.GetAnchorRequest) (*apiv1.Anchor, error) {
	if err := sha256Hex("root", req.Root); err != nil {
		return nil, err
	}
	var rec records.Anchor
	if err := evaluateJSON(ctx, a.ledger, &rec, spec.AnchorsGet, req.Root); err != nil {
		return nil, err
	}
	return anchorProto(rec), nil
}

// VerifyInclusion checks offline that the proof leads from the document
// hash to the root, then that the ledger anchors the root with the proof's
// tree size: the root does not commit to the size, so both checks are needed.
func (a *anchorsService) VerifyInclusion(ctx context.Context, req *apiv1.VerifyInclusionRequest) (*apiv1.VerifyInclusionResponse, error) {
	leaf, err := hexHash("document_sha256", req.DocumentSha256)
	if err != nil {
		return nil, err
	}
	root, err := hexHash("root", req.Root)
	if err != nil {
		return nil, err
	}
	proof, err := proofFromProto(req.Proof)
	if err != nil {
		return nil, err
	}
	if err := merkle.VerifyInclusion(leaf, proof, root); err != nil {
		if !errors.Is(err, merkle.ErrRootMismatch) {
			return nil, invalid("proof", "%v", err)
		}
		return &apiv1.VerifyInclusionResponse{Reason: inclusionBadProof, Message: err.Error()}, nil
	}
	var rec records.Anchor
	if err := evaluateJSON(ctx, a.ledger, &rec, spec.AnchorsGet, req.Root); status.Code(err) == codes.NotFound {
		return &apiv1.VerifyInclusionResponse{Reason: inclusionUnknownRoot,
			Message: "the proof leads to the root, but the root is not anchored on the ledger"}, nil
	} else if err != nil {
		return nil, err
	}
	anchor := anchorProto(rec)
	if rec.Size != proof.TreeSize {
		return &apiv1.VerifyInclusionResponse{Reason: inclusionSizeMismatch, Anchor: anchor,
			Message: sizeMismatch(proof.TreeSize, rec.Size)}, nil
	}
	return &apiv1.VerifyInclusionResponse{Valid: true, Reason: inclusionOK, Anchor: anchor,
		Message: "the document is in the batch anchored by " + rec.AnchoredBy + " at " + rec.AnchoredAt}, nil
}

func sizeMismatch(proofSize, anchored uint64) string {
	return fmt.Sprintf("the proof is for a tree of %d leaves, the root is anchored with %d", proofSize, anchored)
}
