package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"
	"unicode/utf8"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/civicledger/civicledger/chaincode/spec"
	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
	"github.com/civicledger/civicledger/gateway/proofs/merkle"
)

// The receiving and sending halves of AnchorBatch, free of any ledger call.

const (
	// proofsPerMessage bounds a proofs message of AnchorBatch: 1,024 proofs
	// of at most 64 hashes stay under 2.2 MB, within gRPC's default 4 MB,
	// and a tree of up to 2^20 leaves (20 hashes a path) under 0.8 MB.
	proofsPerMessage = 1024
)

// batchReceiver is the receiving side of an AnchorBatch stream.
type batchReceiver interface {
	Recv() (*apiv1.AnchorBatchRequest, error)
}

// batch is what a client sent on an AnchorBatch stream.
type batch struct {
	leaves [][merkle.HashSize]byte
	label  string
}

// receiveBatch reads a batch (readBatch) for at most timeout. On timeout the
// handler returns, which ends the stream and so the reader's pending Recv.
func receiveBatch(ctx context.Context, stream batchReceiver, max int, timeout time.Duration) (*batch, error) {
	type result struct {
		b   *batch
		err error
	}
	done := make(chan result, 1)
	go func() {
		b, err := readBatch(stream, max)
		done <- result{b, err}
	}()
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	select {
	case r := <-done:
		return r.b, r.err
	case <-timer.C:
		return nil, status.Errorf(codes.DeadlineExceeded,
			"the batch was not completely sent within %s (anchor.receiveTimeout): close the stream once every hash is sent, or send smaller batches", timeout)
	case <-ctx.Done():
		return nil, status.FromContextError(ctx.Err()).Err()
	}
}

// readBatch reads an AnchorBatch stream until the client half-closes it.
// It stops reading as soon as the batch holds more than max hashes, so a
// client cannot make the gateway buffer more than max hashes. Every refusal
// is InvalidArgument and names the offending item by its 0-based position
// in the batch.
func readBatch(stream batchReceiver, max int) (*batch, error) {
	b := &batch{}
	for msg := 1; ; msg++ {
		req, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err // a status already: the client went away
		}
		if req.Label != "" {
			if msg > 1 {
				return nil, invalid("label", "only the first message of a batch may carry it, message %d does", msg)
			}
			if err := anchorLabel(req.Label); err != nil {
				return nil, err
			}
			b.label = req.Label
		}
		if len(b.leaves)+len(req.Hashes) > max {
			return nil, status.Errorf(codes.InvalidArgument,
				"batch holds more than %d hashes; split it into several batches", max)
		}
		for _, h := range req.Hashes {
			if len(h) != merkle.HashSize {
				return nil, invalid(fmt.Sprintf("hashes[%d]", len(b.leaves)),
					"must be a SHA-256 digest of 32 bytes, got %d bytes (message %d)", len(h), msg)
			}
			b.leaves = append(b.leaves, [merkle.HashSize]byte(h))
		}
	}
	if len(b.leaves) == 0 {
		return nil, invalid("hashes", "the batch is empty: send at least one 32-byte SHA-256 digest before closing the stream")
	}
	return b, nil
}

// anchorLabel checks a batch label as the chaincode will, to refuse it
// before the tree is built.
func anchorLabel(label string) error {
	if !utf8.ValidString(label) {
		return invalid("label", "is not valid UTF-8")
	}
	if n := utf8.RuneCountInString(label); n > spec.MaxAnchorLabel {
		return invalid("label", "is too long: %d characters, at most %d", n, spec.MaxAnchorLabel)
	}
	return nil
}

// sendProofs sends the inclusion proof of every leaf of tree, in leaf order,
// at most proofsPerMessage to a message. Each chunk's proofs are made just
// before it is sent, so memory stays bounded whatever the batch size.
func sendProofs(send func(*apiv1.AnchorBatchResponse) error, tree *merkle.Tree) error {
	size := tree.Size()
	for start := 0; start < size; start += proofsPerMessage {
		end := min(start+proofsPerMessage, size)
		chunk := make([]*apiv1.InclusionProof, 0, end-start)
		for i := start; i < end; i++ {
			p, err := tree.Proof(i)
			if err != nil {
				return status.Errorf(codes.Internal, "proof of leaf %d: %v", i, err)
			}
			chunk = append(chunk, proofToProto(p))
		}
		msg := &apiv1.AnchorBatchResponse{Body: &apiv1.AnchorBatchResponse_Proofs{Proofs: &apiv1.InclusionProofs{Proofs: chunk}}}
		if err := send(msg); err != nil {
			return err
		}
	}
	return nil
}
