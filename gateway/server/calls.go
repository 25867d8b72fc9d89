package server

import (
	"context"
	"encoding/json"
	"fmt"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
	"github.com/civicledger/civicledger/gateway/fabric"
)

// evaluateJSON runs a read-only chaincode transaction as the caller and
// decodes its JSON result into out. Errors come back as gRPC statuses.
func (s *Server) evaluateJSON(ctx context.Context, out any, tx string, args ...string) error {
	raw, err := s.fabric.Evaluate(ctx, caller(ctx), tx, args...)
	if err != nil {
		return toStatus(err)
	}
	return decodeResult(tx, raw, out)
}

// submitJSON submits a chaincode transaction signed by the caller, waits for
// its commit and decodes its JSON result into out (unless out is nil). The
// caller's idempotency key, if any, is honoured.
func (s *Server) submitJSON(ctx context.Context, out any, sub fabric.Submission) (*apiv1.Committed, error) {
	sub.IdempotencyKey = idempotencyKey(ctx)
	res, err := s.fabric.Submit(ctx, caller(ctx), sub)
	if err != nil {
		return nil, toStatus(err)
	}
	setTxID(ctx, res.TransactionID)
	if out != nil {
		if err := decodeResult(sub.Transaction, res.Payload, out); err != nil {
			return nil, err
		}
	}
	return &apiv1.Committed{TransactionId: res.TransactionID, BlockNumber: res.BlockNumber}, nil
}

func decodeResult(tx string, raw []byte, out any) error {
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(raw, out); err != nil {
		return status.Errorf(codes.Internal, "decode result of %s: %v", tx, err)
	}
	return nil
}

// jsonArg encodes a chaincode input object; the chaincode decodes it strictly.
func jsonArg(v any) (string, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return "", status.Errorf(codes.Internal, "encode chaincode input: %v", err)
	}
	return string(b), nil
}

// pageSize turns a request's page size into the chaincode's argument
// ("" lets the chaincode apply its default).
func pageSize(n int32) (string, error) {
	if n < 0 || n > 100 {
		return "", invalid("page_size", "must be between 0 and 100, got %d", n)
	}
	if n == 0 {
		return "", nil
	}
	return fmt.Sprint(n), nil
}

// required fails when a request field is empty.
func required(field, v string) error {
	if v == "" {
		return invalid(field, "is required")
	}
	return nil
}
