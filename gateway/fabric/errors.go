package fabric

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/hyperledger/fabric-gateway/pkg/client"
	"github.com/hyperledger/fabric-protos-go-apiv2/gateway"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/civicledger/civicledger/chaincode/errcode"
)

// ChaincodeError is a transaction the chaincode refused, with its reason.
type ChaincodeError struct {
	Code    errcode.Code
	Message string
}

func (e *ChaincodeError) Error() string { return string(e.Code) + ": " + e.Message }

// TxInvalidError is a transaction that was ordered but not valid at commit.
type TxInvalidError struct {
	TransactionID string
	Code          peer.TxValidationCode
	Attempts      int
}

func (e *TxInvalidError) Error() string {
	return fmt.Sprintf("transaction %s was not committed: %s (after %d attempt(s))", e.TransactionID, e.Code, e.Attempts)
}

// IdempotencyKeyReusedError is an idempotency key sent again with a request
// other than the one it was first used for (another transaction, or other
// arguments): the second request is refused, not answered with the first
// one's result.
type IdempotencyKeyReusedError struct {
	Key string
	// First and Second are the transactions the key was used for.
	First, Second string
}

func (e *IdempotencyKeyReusedError) Error() string {
	what := "first for " + e.First + ", now for " + e.Second
	if e.First == e.Second {
		what = "both " + e.First + ", with other arguments"
	}
	return fmt.Sprintf("idempotency key %q was already used for a different request (%s); use a new key for a new request", e.Key, what)
}

// outcomeUnknownError is a submission that may have reached the orderer but
// whose commit status is not known (every peer was lost, or the wait ended):
// the transaction may still commit. It wraps the cause (usually
// ErrUnavailable) and holds the transaction, which a retry under the same
// idempotency key settles instead of proposing a new one.
type outcomeUnknownError struct {
	tx  *pendingTx
	err error
}

func (e *outcomeUnknownError) Error() string { return e.err.Error() }
func (e *outcomeUnknownError) Unwrap() error { return e.err }

// PendingTransaction returns the id of the transaction whose outcome err
// leaves unknown: it may still commit, and a retry under the same
// idempotency key settles it. ok is false for every other error.
func PendingTransaction(err error) (txID string, ok bool) {
	var unknown *outcomeUnknownError
	if errors.As(err, &unknown) && unknown.tx != nil {
		return unknown.tx.id, true
	}
	return "", false
}

// Sentinel errors for the cases callers branch on.
var (
	// ErrUnavailable means no configured peer could be reached.
	ErrUnavailable = errors.New("no peer of this administration is reachable")
	// ErrEndorsement means the endorsement could not be collected (e.g. not
	// enough administrations' peers available for the policy).
	ErrEndorsement = errors.New("endorsement could not be collected")
	// ErrNotSigned means a person's client did not sign a message of the
	// call (it refused, closed its signer session or did not answer).
	ErrNotSigned = errors.New("the caller's client did not sign")
)

// peerConcurrencyLimit is in the message of a peer that refuses a call
// because it already serves its limit of Gateway calls
// (peer.limits.concurrency.gatewayService).
const peerConcurrencyLimit = "exceeding concurrency limit"

// Refusal is the chaincode's refusal that a Fabric Gateway error carries
// (its "CODE: " message, in the status or one of the peers' error
// details), or nil when err is no refusal (an outage, a timeout).
func Refusal(err error) *ChaincodeError {
	if err == nil {
		return nil
	}
	st := status.Convert(err)
	texts := []string{st.Message()}
	for _, d := range st.Details() {
		if ed, ok := d.(*gateway.ErrorDetail); ok {
			texts = append(texts, ed.GetMessage())
		}
	}
	for _, t := range texts {
		if code, text, ok := errcode.Parse(t); ok {
			return &ChaincodeError{Code: code, Message: strings.TrimSpace(text)}
		}
	}
	return nil
}

// classify turns an error of the Fabric Gateway client into a
// *ChaincodeError when a peer's chaincode refused the transaction, or wraps
// it with a sentinel otherwise.
func classify(err error) error {
	if err == nil || errors.Is(err, ErrUnavailable) || errors.Is(err, ErrNotSigned) {
		return err
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	if ce := Refusal(err); ce != nil {
		return ce
	}
	st := status.Convert(err)
	if strings.Contains(st.Message(), peerConcurrencyLimit) {
		return fmt.Errorf("%w: the peer is at its concurrency limit, retry in a moment: %s", ErrUnavailable, st.Message())
	}
	var ee *client.EndorseError
	if errors.As(err, &ee) {
		switch st.Code() {
		case codes.FailedPrecondition, codes.Unavailable, codes.Aborted:
			return fmt.Errorf("%w: %s", ErrEndorsement, st.Message())
		}
	}
	if st.Code() == codes.DeadlineExceeded {
		return fmt.Errorf("%w: %s", context.DeadlineExceeded, st.Message())
	}
	return err
}
