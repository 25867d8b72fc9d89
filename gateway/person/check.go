package person

import (
	"bytes"
	"crypto/sha256"
	"crypto/x509"
	"errors"
	"fmt"
	"sync"

	"github.com/hyperledger/fabric-gateway/pkg/identity"
	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/hyperledger/fabric-protos-go-apiv2/gateway"
	"github.com/hyperledger/fabric-protos-go-apiv2/msp"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"google.golang.org/protobuf/proto"

	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
)

// checker decides, on the person's side, whether to sign what the gateway
// asks for: the digest must be the SHA-256 of the message, the message must
// name the person as creator, and a transaction or a commit-status request
// must be of a proposal the person signed in this session. A digest without
// its message is refused.
type checker struct {
	mspID string
	cert  *x509.Certificate

	mu    sync.Mutex
	txIDs map[string]bool // transactions whose proposal was signed
	order []string        // txIDs in signing order, to forget the oldest
}

// maxRemembered bounds the transactions a session remembers.
const maxRemembered = 4096

func newChecker(mspID string, cert *x509.Certificate) *checker {
	return &checker{mspID: mspID, cert: cert, txIDs: map[string]bool{}}
}

// Signed describes one message the person signed.
type Signed struct {
	Kind          string
	TransactionID string
	// Function is the chaincode and function a proposal calls, e.g.
	// "civic Documents:Register"; empty for other kinds.
	Function string
}

// check returns what req asks to sign, or why it must not be signed.
func (c *checker) check(req *apiv1.SignatureRequest) (Signed, error) {
	sum := sha256.Sum256(req.GetMessage())
	if len(req.GetMessage()) == 0 || !bytes.Equal(sum[:], req.GetDigest()) {
		return Signed{}, fmt.Errorf("refused to sign a %q digest that is not the SHA-256 of the message sent with it", req.GetKind())
	}
	s := Signed{Kind: req.GetKind()}
	switch req.GetKind() {
	case "proposal":
		var p peer.Proposal
		if err := proto.Unmarshal(req.GetMessage(), &p); err != nil {
			return s, fmt.Errorf("refused: the proposal does not decode: %w", err)
		}
		txID, err := c.header(p.GetHeader())
		if err != nil {
			return s, err
		}
		s.TransactionID, s.Function = txID, function(p.GetPayload())
		c.remember(txID)
	case "transaction":
		var pl common.Payload
		if err := proto.Unmarshal(req.GetMessage(), &pl); err != nil {
			return s, fmt.Errorf("refused: the transaction does not decode: %w", err)
		}
		raw, err := proto.Marshal(pl.GetHeader())
		if err != nil {
			return s, err
		}
		if s.TransactionID, err = c.header(raw); err != nil {
			return s, err
		}
		if !c.known(s.TransactionID) {
			return s, fmt.Errorf("refused: transaction %s is not one whose proposal this session signed", s.TransactionID)
		}
	case "commit-status":
		var r gateway.CommitStatusRequest
		if err := proto.Unmarshal(req.GetMessage(), &r); err != nil {
			return s, fmt.Errorf("refused: the commit-status request does not decode: %w", err)
		}
		if err := c.creator(r.GetIdentity()); err != nil {
			return s, err
		}
		s.TransactionID = r.GetTransactionId()
		if !c.known(s.TransactionID) {
			return s, fmt.Errorf("refused: transaction %s is not one whose proposal this session signed", s.TransactionID)
		}
	case "events-request":
		var r gateway.ChaincodeEventsRequest
		if err := proto.Unmarshal(req.GetMessage(), &r); err != nil {
			return s, fmt.Errorf("refused: the events request does not decode: %w", err)
		}
		if err := c.creator(r.GetIdentity()); err != nil {
			return s, err
		}
	default:
		return s, fmt.Errorf("refused to sign a %q message: only proposals, transactions, commit-status and events requests are signed", req.GetKind())
	}
	return s, nil
}

// header checks that a serialized common.Header names the person as
// creator and returns its transaction id.
func (c *checker) header(raw []byte) (string, error) {
	var h common.Header
	if err := proto.Unmarshal(raw, &h); err != nil {
		return "", fmt.Errorf("refused: the header does not decode: %w", err)
	}
	var sh common.SignatureHeader
	if err := proto.Unmarshal(h.GetSignatureHeader(), &sh); err != nil {
		return "", fmt.Errorf("refused: the signature header does not decode: %w", err)
	}
	if err := c.creator(sh.GetCreator()); err != nil {
		return "", err
	}
	var ch common.ChannelHeader
	if err := proto.Unmarshal(h.GetChannelHeader(), &ch); err != nil {
		return "", fmt.Errorf("refused: the channel header does not decode: %w", err)
	}
	if ch.GetTxId() == "" {
		return "", errors.New("refused: the message has no transaction id")
	}
	return ch.GetTxId(), nil
}

// creator checks that a serialized identity is the person's.
func (c *checker) creator(raw []byte) error {
	var id msp.SerializedIdentity
	if err := proto.Unmarshal(raw, &id); err != nil {
		return fmt.Errorf("refused: the creator does not decode: %w", err)
	}
	cert, err := identity.CertificateFromPEM(id.GetIdBytes())
	if err != nil || id.GetMspid() != c.mspID || !cert.Equal(c.cert) {
		return errors.New("refused: the message does not name this person as its creator")
	}
	return nil
}

// function reads "chaincode function" from a proposal payload.
func function(payload []byte) string {
	var cpp peer.ChaincodeProposalPayload
	if proto.Unmarshal(payload, &cpp) != nil {
		return ""
	}
	var spec peer.ChaincodeInvocationSpec
	if proto.Unmarshal(cpp.GetInput(), &spec) != nil {
		return ""
	}
	args := spec.GetChaincodeSpec().GetInput().GetArgs()
	name := spec.GetChaincodeSpec().GetChaincodeId().GetName()
	if len(args) == 0 {
		return name
	}
	return name + " " + string(args[0])
}

func (c *checker) remember(txID string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.txIDs[txID] {
		return
	}
	c.txIDs[txID] = true
	c.order = append(c.order, txID)
	if len(c.order) > maxRemembered {
		delete(c.txIDs, c.order[0])
		c.order = c.order[1:]
	}
}

func (c *checker) known(txID string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.txIDs[txID]
}
