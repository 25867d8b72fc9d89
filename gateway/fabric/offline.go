package fabric

import (
	"fmt"

	"github.com/hyperledger/fabric-gateway/pkg/client"
	"github.com/hyperledger/fabric-protos-go-apiv2/gateway"
	"google.golang.org/protobuf/proto"
)

// A person's messages are signed with Fabric's offline-signing flow: the
// gateway builds each message unsigned (fabric-gateway's NewProposal,
// Endorse, Submit), sends the person's client the exact bytes Fabric signs
// with their digest (MessageSigner), and rebuilds the message with the
// returned signature (NewSignedProposal, NewSignedTransaction,
// NewSignedCommit, NewSignedChaincodeEventsRequest). The client can so check
// what it signs: that it names the person as creator, and which chaincode
// function it calls. Users of the users folder are signed for by the gateway.

// Kinds of message a person signs.
const (
	// SignProposal: the bytes of a peer.Proposal (evaluate or endorse).
	SignProposal = "proposal"
	// SignTransaction: the bytes of the common.Payload of the endorsed
	// transaction's envelope.
	SignTransaction = "transaction"
	// SignCommitStatus: the bytes of a gateway.CommitStatusRequest.
	SignCommitStatus = "commit-status"
	// SignEventsRequest: the bytes of a gateway.ChaincodeEventsRequest.
	SignEventsRequest = "events-request"
	// SignUnverified: a digest without its message, for a request the
	// gateway lets fabric-gateway sign itself; a person's client may refuse.
	SignUnverified = "unverified"
)

// MessageSigner signs, on the person's side, a message Fabric needs signed:
// kind names it, message is the exact bytes whose SHA-256 is digest.
type MessageSigner func(kind string, message, digest []byte) ([]byte, error)

// newProposal builds a proposal of name on contract as u; a person's is
// signed now, through their client.
func newProposal(gw *client.Gateway, u *User, contract *client.Contract, name string, opts ...client.ProposalOption) (*client.Proposal, error) {
	p, err := contract.NewProposal(name, opts...)
	if err != nil || !u.personal {
		return p, err
	}
	raw, err := p.Bytes()
	if err != nil {
		return nil, err
	}
	var pt gateway.ProposedTransaction
	if err := proto.Unmarshal(raw, &pt); err != nil {
		return nil, fmt.Errorf("decode proposal: %w", err)
	}
	sig, err := u.signMsg(SignProposal, pt.GetProposal().GetProposalBytes(), p.Digest())
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrNotSigned, err)
	}
	return gw.NewSignedProposal(raw, sig)
}

// signTransaction signs the endorsed txn as u and returns its bytes and
// signature.
func signTransaction(u *User, txn *client.Transaction) (raw, sig []byte, err error) {
	if raw, err = txn.Bytes(); err != nil {
		return nil, nil, err
	}
	if !u.personal {
		sig, err = u.sign(txn.Digest())
		return raw, sig, err
	}
	var pt gateway.PreparedTransaction
	if err := proto.Unmarshal(raw, &pt); err != nil {
		return nil, nil, fmt.Errorf("decode transaction: %w", err)
	}
	if sig, err = u.signMsg(SignTransaction, pt.GetEnvelope().GetPayload(), txn.Digest()); err != nil {
		return nil, nil, fmt.Errorf("%w: %w", ErrNotSigned, err)
	}
	return raw, sig, nil
}

// newCommit rebuilds the commit-status request raw as u; a person's is
// signed now, through their client.
func newCommit(gw *client.Gateway, u *User, raw []byte) (*client.Commit, error) {
	commit, err := gw.NewCommit(raw)
	if err != nil || !u.personal {
		return commit, err
	}
	var req gateway.SignedCommitStatusRequest
	if err := proto.Unmarshal(raw, &req); err != nil {
		return nil, fmt.Errorf("decode commit-status request: %w", err)
	}
	sig, err := u.signMsg(SignCommitStatus, req.GetRequest(), commit.Digest())
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrNotSigned, err)
	}
	return gw.NewSignedCommit(raw, sig)
}

// newEventsRequest builds a chaincode-events request as u; a person's is
// signed now, through their client.
func newEventsRequest(gw *client.Gateway, u *User, nw *client.Network, chaincode string, opts ...client.ChaincodeEventsOption) (*client.ChaincodeEventsRequest, error) {
	req, err := nw.NewChaincodeEventsRequest(chaincode, opts...)
	if err != nil || !u.personal {
		return req, err
	}
	raw, err := req.Bytes()
	if err != nil {
		return nil, err
	}
	var signed gateway.SignedChaincodeEventsRequest
	if err := proto.Unmarshal(raw, &signed); err != nil {
		return nil, fmt.Errorf("decode events request: %w", err)
	}
	sig, err := u.signMsg(SignEventsRequest, signed.GetRequest(), req.Digest())
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrNotSigned, err)
	}
	return gw.NewSignedChaincodeEventsRequest(raw, sig)
}
