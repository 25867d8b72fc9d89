package server

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/civicledger/civicledger/chaincode/errcode"
	"github.com/civicledger/civicledger/gateway/fabric"
	"github.com/civicledger/civicledger/network/configupdate"
)

func TestToStatus(t *testing.T) {
	for name, tc := range map[string]struct {
		err  error
		code codes.Code
		msg  string
	}{
		"a chaincode refusal keeps its code and reason, even wrapped": {
			fmt.Errorf("submit: %w", &fabric.ChaincodeError{Code: errcode.NotFound, Message: "document D-1 not found"}),
			codes.NotFound, "document D-1 not found"},
		"a reused idempotency key is the caller's mistake": {
			&fabric.IdempotencyKeyReusedError{Key: "k", First: "A:B", Second: "C:D"}, codes.InvalidArgument, `idempotency key "k"`},
		"a read conflict after the retries is aborted": {
			&fabric.TxInvalidError{TransactionID: "t", Code: peer.TxValidationCode_MVCC_READ_CONFLICT}, codes.Aborted, "t"},
		"an endorsement policy failure is a permission refusal": {
			&fabric.TxInvalidError{TransactionID: "t", Code: peer.TxValidationCode_ENDORSEMENT_POLICY_FAILURE}, codes.PermissionDenied, "t"},
		"any other invalid transaction is a failed precondition": {
			&fabric.TxInvalidError{TransactionID: "t", Code: peer.TxValidationCode_BAD_PAYLOAD}, codes.FailedPrecondition, "t"},
		"an unreachable peer is unavailable": {
			fmt.Errorf("%w: connection refused", fabric.ErrUnavailable), codes.Unavailable, "reachable"},
		"a deadline says the ledger did not answer": {
			context.DeadlineExceeded, codes.DeadlineExceeded, "the ledger did not answer in time"},
		"a cancelled call is cancelled": {context.Canceled, codes.Canceled, "cancelled"},
		"a validation status passes unchanged": {
			invalid("id", "is required"), codes.InvalidArgument, "id: is required"},
		"an invalid join request is the caller's mistake": {
			fmt.Errorf("X: %w: no root CA certificate", configupdate.ErrInvalidAdministration), codes.InvalidArgument, "no root CA"},
		"adding a member again already exists": {
			fmt.Errorf("%w: CouncilMSP", configupdate.ErrDuplicateAdministration), codes.AlreadyExists, "CouncilMSP"},
		"removing a non-member is not found": {
			fmt.Errorf("%w: XMSP", configupdate.ErrUnknownAdministration), codes.NotFound, "XMSP"},
		"a removal leaving too few administrations is a failed precondition": {
			fmt.Errorf("%w: 2 of 3", configupdate.ErrTooFewAdministrations), codes.FailedPrecondition, "too few"},
		"a removal losing Raft quorum is a failed precondition": {
			fmt.Errorf("%w: 1 of 3", configupdate.ErrQuorumLoss), codes.FailedPrecondition, "quorum"},
		"a stale update is a failed precondition": {
			fmt.Errorf("%w: compute it again", configupdate.ErrStaleUpdate), codes.FailedPrecondition, "compute it again"},
		"an orderer's refusal is a failed precondition": {
			fmt.Errorf("orderer o: %w: BAD_REQUEST", configupdate.ErrRefused), codes.FailedPrecondition, "BAD_REQUEST"},
		"a gateway without orderers is a failed precondition": {fabric.ErrNoOrderers, codes.FailedPrecondition, "no orderers"},
		"anything unforeseen is internal":                     {errors.New("boom"), codes.Internal, "boom"},
	} {
		t.Run(name, func(t *testing.T) {
			st := status.Convert(toStatus(tc.err))
			require.Equal(t, tc.code, st.Code(), st.Message())
			require.Contains(t, st.Message(), tc.msg)
		})
	}
	t.Run("no error is no status", func(t *testing.T) {
		require.NoError(t, toStatus(nil))
	})
}
