package fabric

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/hyperledger/fabric-protos-go-apiv2/gateway"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/civicledger/civicledger/chaincode/errcode"
)

// peerError is the status a Fabric Gateway returns when the chaincode on
// the endorsing peers refused the transaction: a generic message, and the
// chaincode's answer in one ErrorDetail per peer.
func peerError(t *testing.T, code codes.Code, msg string, details ...string) error {
	t.Helper()
	st := status.New(code, msg)
	for i, d := range details {
		var err error
		st, err = st.WithDetails(&gateway.ErrorDetail{Address: fmt.Sprintf("peer%d.registry:7051", i), MspId: "RegistryMSP", Message: d})
		require.NoError(t, err)
	}
	return st.Err()
}

func TestClassify(t *testing.T) {
	const endorseFailed = "failed to endorse transaction, see attached details for more info"
	refusals := map[string]struct {
		err  error
		want ChaincodeError
	}{
		"a refusal in a peer's detail": {
			err:  peerError(t, codes.Aborted, endorseFailed, "chaincode response 500, NOT_FOUND: no document X"),
			want: ChaincodeError{Code: errcode.NotFound, Message: "no document X"},
		},
		"a refusal in the status message": {
			err:  peerError(t, codes.Unknown, `evaluate call to endorser returned error: chaincode response 500, PERMISSION_DENIED: caller of RegistryMSP has role "clerk", requires one of [admin]`),
			want: ChaincodeError{Code: errcode.PermissionDenied, Message: `caller of RegistryMSP has role "clerk", requires one of [admin]`},
		},
		"the first detail that holds a refusal": {
			err: peerError(t, codes.Aborted, endorseFailed, "failed to execute transaction: timeout expired",
				"chaincode response 500, ALREADY_EXISTS: document EXT-1 is already registered by RegistryMSP"),
			want: ChaincodeError{Code: errcode.AlreadyExists, Message: "document EXT-1 is already registered by RegistryMSP"},
		},
		"an invalid argument, with the spaces around its message trimmed": {
			err:  peerError(t, codes.Aborted, endorseFailed, "chaincode response 500, INVALID_ARGUMENT:  sha256 is required  "),
			want: ChaincodeError{Code: errcode.InvalidArgument, Message: "sha256 is required"},
		},
		"a failed precondition": {
			err:  peerError(t, codes.Aborted, endorseFailed, "chaincode response 500, FAILED_PRECONDITION: document X is already revoked"),
			want: ChaincodeError{Code: errcode.FailedPrecondition, Message: "document X is already revoked"},
		},
		"an internal error": {
			err:  peerError(t, codes.Aborted, endorseFailed, "chaincode response 500, INTERNAL: read state: boom"),
			want: ChaincodeError{Code: errcode.Internal, Message: "read state: boom"},
		},
		"a refusal wrapped by the caller": {
			err:  fmt.Errorf("evaluate: %w", peerError(t, codes.Aborted, endorseFailed, "chaincode response 500, NOT_FOUND: no grant G")),
			want: ChaincodeError{Code: errcode.NotFound, Message: "no grant G"},
		},
	}
	for name, tc := range refusals {
		t.Run(name+" becomes a *ChaincodeError", func(t *testing.T) {
			var ce *ChaincodeError
			require.ErrorAs(t, classify(tc.err), &ce)
			require.Equal(t, tc.want, *ce)
			require.Equal(t, string(tc.want.Code)+": "+tc.want.Message, ce.Error())
		})
	}

	t.Run("no error stays no error", func(t *testing.T) {
		require.NoError(t, classify(nil))
	})

	passThrough := map[string]error{
		"an unreachable administration":          fmt.Errorf("%w: connection refused", ErrUnavailable),
		"a cancelled call":                       context.Canceled,
		"a call past its deadline":               fmt.Errorf("commit: %w", context.DeadlineExceeded),
		"an error that is not a gRPC status":     errors.New("open gateway session: bad key"),
		"a status without a chaincode refusal":   peerError(t, codes.Unavailable, "no peers available to evaluate chaincode civic"),
		"a refusal code not followed by a colon": peerError(t, codes.Aborted, endorseFailed, "chaincode response 500, NOT_FOUND"),
	}
	for name, err := range passThrough {
		t.Run(name+" is returned unchanged", func(t *testing.T) {
			require.Equal(t, err, classify(err))
		})
	}

	t.Run("a gateway timeout is context.DeadlineExceeded with the gateway's message", func(t *testing.T) {
		err := classify(status.Error(codes.DeadlineExceeded, "endorsement timeout expired"))
		require.ErrorIs(t, err, context.DeadlineExceeded)
		require.ErrorContains(t, err, "endorsement timeout expired")
	})
}

func TestUnreachable(t *testing.T) {
	for name, tc := range map[string]struct {
		err  error
		want bool
	}{
		"a refused connection to our peer": {
			err:  status.Error(codes.Unavailable, `connection error: desc = "transport: Error while dialing: dial tcp 127.0.0.1:7051: connect: connection refused"`),
			want: true,
		},
		"a transport failure": {
			err: status.Error(codes.Unavailable, "transport: authentication handshake failed"), want: true,
		},
		"our peer answering that it cannot reach other administrations' peers": {
			err: peerError(t, codes.Unavailable, "failed to endorse transaction", "connection error: peer1.treasury unreachable"),
		},
		"our peer answering Unavailable for another reason": {
			err: status.Error(codes.Unavailable, "no peers available to evaluate chaincode civic"),
		},
		"a connection error with another code": {
			err: status.Error(codes.Internal, "connection error"),
		},
		"an error that is not a gRPC status": {err: errors.New("connection error")},
		"no error":                           {err: nil},
	} {
		t.Run(fmt.Sprintf("%s is unreachable: %t", name, tc.want), func(t *testing.T) {
			require.Equal(t, tc.want, unreachable(tc.err))
		})
	}
}

func TestTxInvalidError(t *testing.T) {
	t.Run("the message names the transaction, the code and the attempts", func(t *testing.T) {
		err := &TxInvalidError{TransactionID: "tx1", Code: 11, Attempts: 4}
		require.Equal(t, "transaction tx1 was not committed: MVCC_READ_CONFLICT (after 4 attempt(s))", err.Error())
	})
}
