package server

import (
	"context"
	"fmt"

	"google.golang.org/grpc/status"

	"github.com/civicledger/civicledger/chaincode/records"
	"github.com/civicledger/civicledger/chaincode/spec"
	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
	"github.com/civicledger/civicledger/gateway/fabric"
)

func (d *documentsService) RegisterDocuments(ctx context.Context, req *apiv1.RegisterDocumentsRequest) (*apiv1.RegisterDocumentsResponse, error) {
	switch n := len(req.Documents); {
	case n == 0:
		return nil, invalid("documents", "is required: 1 to %d registrations", spec.MaxDocumentBatch)
	case n > spec.MaxDocumentBatch:
		return nil, invalid("documents", "has %d registrations, at most %d: split the batch", n, spec.MaxDocumentBatch)
	}
	batch := records.DocumentBatch{Documents: make([]records.DocumentRegistration, len(req.Documents)), SkipRegistered: req.SkipRegistered}
	first := make(map[string]int, len(req.Documents))
	for i, r := range req.Documents {
		in, err := documentRegistration(r)
		if err != nil {
			return nil, batchEntryStatus(i, r.GetId(), err)
		}
		if j, dup := first[r.GetId()]; dup {
			return nil, batchEntryStatus(i, r.GetId(), invalid("id", "repeats documents[%d] of the same batch", j))
		}
		first[r.GetId()] = i
		batch.Documents[i] = in
	}
	arg, err := jsonArg(batch)
	if err != nil {
		return nil, err
	}
	var res records.DocumentBatchResult
	committed, err := submitJSON(ctx, d.ledger, &res, fabric.Submission{Transaction: spec.DocumentsRegisterBatch, Args: []string{arg}})
	if err != nil {
		return nil, err
	}
	return &apiv1.RegisterDocumentsResponse{
		Issuer: res.Issuer, Registered: res.Registered, Skipped: res.Skipped,
		RegisteredAt: res.RegisteredAt, Committed: committed,
	}, nil
}

// batchEntryStatus names entry i of a batch, and its id when it has one, in
// the status its check gave, as the chaincode names a refused entry.
func batchEntryStatus(i int, id string, err error) error {
	st := status.Convert(err)
	name := fmt.Sprintf("documents[%d]", i)
	if id != "" {
		name += fmt.Sprintf(" (id %q)", clip(id))
	}
	return status.Error(st.Code(), name+": "+st.Message())
}
