package ledgerctl

import (
	"context"
	"errors"
	"fmt"
	"io"

	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
)

// hashesPerMessage keeps each AnchorBatch request near 128 KiB.
const hashesPerMessage = 4096

// anchorBatch sends hashes on one AnchorBatch stream, the label with the
// first message, half-closes it and collects the anchor and every proof. A
// gateway that refuses the batch may stop reading early: sending then ends
// and the refusal comes from Recv.
func anchorBatch(ctx context.Context, c apiv1.AnchorServiceClient, label string, hashes [][]byte) (*apiv1.Anchor, []*apiv1.InclusionProof, error) {
	stream, err := c.AnchorBatch(ctx)
	if err != nil {
		return nil, nil, err
	}
	for start := 0; start == 0 || start < len(hashes); start += hashesPerMessage {
		req := &apiv1.AnchorBatchRequest{Hashes: hashes[start:min(start+hashesPerMessage, len(hashes))]}
		if start == 0 {
			req.Label = label
		}
		if err := stream.Send(req); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return nil, nil, err
		}
	}
	if err := stream.CloseSend(); err != nil {
		return nil, nil, err
	}
	first, err := stream.Recv()
	if err != nil {
		return nil, nil, err
	}
	anchor := first.GetAnchor()
	if anchor == nil {
		return nil, nil, errors.New("the gateway's first message holds no anchor")
	}
	proofs := make([]*apiv1.InclusionProof, 0, len(hashes))
	for {
		msg, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, nil, err
		}
		proofs = append(proofs, msg.GetProofs().GetProofs()...)
	}
	if len(proofs) != len(hashes) {
		return nil, nil, fmt.Errorf("the gateway sent %d proofs for %d hashes", len(proofs), len(hashes))
	}
	return anchor, proofs, nil
}
