package server

import (
	"context"
	"encoding/json"
	"strings"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
	"github.com/civicledger/civicledger/gateway/fabric"
)

// ledger is what a domain service needs of Fabric: run a chaincode
// transaction as the caller, read-only or submitted to commit. Services hold
// this rather than the whole *Server (as etcd's kvServer holds a RaftKV), so
// their handlers are tested with a fake; *fabric.Client is the real one.
type ledger interface {
	Evaluate(ctx context.Context, u *fabric.User, tx string, args ...string) ([]byte, error)
	Submit(ctx context.Context, u *fabric.User, s fabric.Submission) (fabric.Result, error)
}

// systemLedger reads the peer's system chaincodes (qscc), for LedgerService.
type systemLedger interface {
	EvaluateSystem(ctx context.Context, u *fabric.User, chaincode, tx string, args ...string) ([]byte, error)
}

var (
	_ ledger       = (*fabric.Client)(nil)
	_ systemLedger = (*fabric.Client)(nil)
)

// evaluateJSON runs a read-only chaincode transaction as the caller and
// decodes its JSON result into out. Errors come back as gRPC statuses.
func evaluateJSON(ctx context.Context, l ledger, out any, tx string, args ...string) error {
	raw, err := l.Evaluate(ctx, caller(ctx), tx, args...)
	if err != nil {
		return toStatus(err)
	}
	return decodeResult(tx, raw, out)
}

// submitJSON submits a chaincode transaction signed by the caller, waits for
// its commit and decodes its JSON result into out (unless out is nil). The
// caller's idempotency key, if any, is honoured.
func submitJSON(ctx context.Context, l ledger, out any, sub fabric.Submission) (*apiv1.Committed, error) {
	sub.IdempotencyKey = idempotencyKey(ctx)
	res, err := l.Submit(ctx, caller(ctx), sub)
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

// submitConverted submits a transaction whose result is a JSON object J and
// converts that result with conv.
func submitConverted[J, P any](ctx context.Context, l ledger, sub fabric.Submission, conv func(J) (P, error)) (P, *apiv1.Committed, error) {
	var out J
	var none P
	committed, err := submitJSON(ctx, l, &out, sub)
	if err != nil {
		return none, nil, err
	}
	p, err := conv(out)
	if err != nil {
		return none, nil, err
	}
	return p, committed, nil
}

// convertAll converts each chaincode object of a list, failing on the first
// that does not convert. A null element converts as the empty object.
func convertAll[J, P any](list []*J, conv func(J) (P, error)) ([]P, error) {
	var out []P
	for _, j := range list {
		var v J
		if j != nil {
			v = *j
		}
		p, err := conv(v)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

// ledgerEnum maps a chaincode name through m. A name the gateway does not
// know means the chaincode and the gateway disagree: Internal, rather than a
// silently wrong or UNSPECIFIED answer.
func ledgerEnum[E any](m map[string]E, what, name string) (E, error) {
	e, ok := m[name]
	if !ok {
		return e, status.Errorf(codes.Internal, "the ledger returned %s %q, unknown to this gateway", what, name)
	}
	return e, nil
}

// enumsByName maps each chaincode name of a spec list to the API's enum
// value named prefix + the name in upper case, '-' as '_' ("civil-status"
// is DOCUMENT_TYPE_CIVIL_STATUS), so the gateway lists no chaincode name of
// its own. A name with no API value is left out; the tests check none is.
func enumsByName[E ~int32](names []string, prefix string, values map[string]int32) map[string]E {
	m := make(map[string]E, len(names))
	for _, name := range names {
		if v, ok := values[prefix+strings.ToUpper(strings.ReplaceAll(name, "-", "_"))]; ok {
			m[name] = E(v)
		}
	}
	return m
}

// ownerOrCaller is the administration a read names: the caller's own when
// the request leaves it empty. A malformed one is the chaincode's to refuse.
func ownerOrCaller(ctx context.Context, mspID string) string {
	if mspID == "" {
		if u := caller(ctx); u != nil {
			return u.MSPID
		}
	}
	return mspID
}
