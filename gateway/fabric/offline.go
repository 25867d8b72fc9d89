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
	sig, err := personalSignature(u, SignProposal, raw, &gateway.ProposedTransaction{},
		func(m *gateway.ProposedTransaction) []byte { return m.GetProposal().GetProposalBytes() }, p.Digest())
	if err != nil {
		return nil, err
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
	sig, err = personalSignature(u, SignTransaction, raw, &gateway.PreparedTransaction{},
		func(m *gateway.PreparedTransaction) []byte { return m.GetEnvelope().GetPayload() }, txn.Digest())
	return raw, sig, err
}

// newCommit rebuilds the commit-status request raw as u; a person's is
// signed now, through their client.
func newCommit(gw *client.Gateway, u *User, raw []byte) (*client.Commit, error) {
	commit, err := gw.NewCommit(raw)
	if err != nil || !u.personal {
		return commit, err
	}
	sig, err := personalSignature(u, SignCommitStatus, raw, &gateway.SignedCommitStatusRequest{},
		func(m *gateway.SignedCommitStatusRequest) []byte { return m.GetRequest() }, commit.Digest())
	if err != nil {
		return nil, err
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
	sig, err := personalSignature(u, SignEventsRequest, raw, &gateway.SignedChaincodeEventsRequest{},
		func(m *gateway.SignedChaincodeEventsRequest) []byte { return m.GetRequest() }, req.Digest())
	if err != nil {
		return nil, err
	}
	return gw.NewSignedChaincodeEventsRequest(raw, sig)
}

// personalSignature asks person u's client to sign a message of the given
// kind: raw is the serialized fabric-gateway message, decoded into into,
// signed picks from it the bytes Fabric signs (whose SHA-256 is digest).
func personalSignature[M proto.Message](u *User, kind string, raw []byte, into M, signed func(M) []byte, digest []byte) ([]byte, error) {
	if err := proto.Unmarshal(raw, into); err != nil {
		return nil, fmt.Errorf("decode %s: %w", kind, err)
	}
	sig, err := u.signMsg(kind, signed(into), digest)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrNotSigned, err)
	}
	return sig, nil
}
