package server

import (
	"context"
	"errors"
	"fmt"

	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/civicledger/civicledger/chaincode/errcode"
	"github.com/civicledger/civicledger/gateway/fabric"
	"github.com/civicledger/civicledger/network/configupdate"
)

// toStatus maps an error from package fabric to the gRPC status the client
// gets. It is the only place errors become statuses, so every service reports
// the same failure the same way.
func toStatus(err error) error {
	if err == nil {
		return nil
	}
	if _, ok := status.FromError(err); ok && !isFabricError(err) {
		return err // already a status (e.g. from validation)
	}
	var ce *fabric.ChaincodeError
	if errors.As(err, &ce) {
		return status.Error(chaincodeCodes[ce.Code], ce.Message)
	}
	var reused *fabric.IdempotencyKeyReusedError
	if errors.As(err, &reused) {
		return status.Error(codes.InvalidArgument, reused.Error())
	}
	var ti *fabric.TxInvalidError
	if errors.As(err, &ti) {
		code := codes.FailedPrecondition
		switch ti.Code {
		case peer.TxValidationCode_MVCC_READ_CONFLICT, peer.TxValidationCode_PHANTOM_READ_CONFLICT:
			code = codes.Aborted
		case peer.TxValidationCode_ENDORSEMENT_POLICY_FAILURE:
			code = codes.PermissionDenied
		}
		return status.Error(code, ti.Error())
	}
	switch {
	case errors.Is(err, fabric.ErrUnavailable):
		return status.Error(codes.Unavailable, err.Error())
	case errors.Is(err, fabric.ErrEndorsement):
		return status.Error(codes.Unavailable, err.Error())
	case errors.Is(err, fabric.ErrLifecycle), errors.Is(err, fabric.ErrNotInstalled), errors.Is(err, fabric.ErrCommitNotFound),
		errors.Is(err, fabric.ErrNotSigned):
		return status.Error(codes.FailedPrecondition, err.Error())
	case errors.Is(err, context.DeadlineExceeded):
		if txID, ok := fabric.PendingTransaction(err); ok {
			return status.Errorf(codes.DeadlineExceeded, "the ledger did not answer in time: transaction %s may still commit; "+
				"retry with the same idempotency key to learn its outcome", txID)
		}
		return status.Error(codes.DeadlineExceeded, "the ledger did not answer in time")
	case errors.Is(err, context.Canceled):
		return status.Error(codes.Canceled, "call cancelled")
	}
	if code, ok := configUpdateCode(err); ok {
		return status.Error(code, err.Error())
	}
	return status.Error(codes.Internal, fmt.Sprintf("ledger call failed: %v", err))
}

// configUpdateCode maps package configupdate's refusals (a config update
// the caller asked for that cannot be made or applied) and a gateway with
// no orderer.
func configUpdateCode(err error) (codes.Code, bool) {
	switch {
	case errors.Is(err, configupdate.ErrInvalidAdministration), errors.Is(err, configupdate.ErrInvalidUpdate):
		return codes.InvalidArgument, true
	case errors.Is(err, configupdate.ErrDuplicateAdministration):
		return codes.AlreadyExists, true
	case errors.Is(err, configupdate.ErrUnknownAdministration):
		return codes.NotFound, true
	case errors.Is(err, configupdate.ErrTooFewAdministrations), errors.Is(err, configupdate.ErrQuorumLoss),
		errors.Is(err, configupdate.ErrStaleUpdate), errors.Is(err, configupdate.ErrRefused),
		errors.Is(err, fabric.ErrNoOrderers):
		return codes.FailedPrecondition, true
	}
	return codes.OK, false
}

func isFabricError(err error) bool {
	var ce *fabric.ChaincodeError
	var ti *fabric.TxInvalidError
	return errors.As(err, &ce) || errors.As(err, &ti) || errors.Is(err, fabric.ErrUnavailable) || errors.Is(err, fabric.ErrEndorsement) || errors.Is(err, fabric.ErrLifecycle) || errors.Is(err, fabric.ErrNotInstalled) || errors.Is(err, fabric.ErrCommitNotFound)
}

var chaincodeCodes = map[errcode.Code]codes.Code{
	errcode.InvalidArgument:    codes.InvalidArgument,
	errcode.NotFound:           codes.NotFound,
	errcode.AlreadyExists:      codes.AlreadyExists,
	errcode.PermissionDenied:   codes.PermissionDenied,
	errcode.FailedPrecondition: codes.FailedPrecondition,
	errcode.Internal:           codes.Internal,
}

// invalid is the error for a request field a person must fix.
func invalid(field, format string, a ...any) error {
	return status.Errorf(codes.InvalidArgument, "%s: %s", field, fmt.Sprintf(format, a...))
}
