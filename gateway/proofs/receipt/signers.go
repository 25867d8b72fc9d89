package receipt

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	mspproto "github.com/hyperledger/fabric-protos-go-apiv2/msp"
	"google.golang.org/protobuf/proto"
)

// blockSigners verifies every orderer signature of block b under cfg and
// returns the signers. Each signature covers metadata value || signature
// header || header DER; every signer must be an orderer node of an orderer
// organization, and together they must satisfy the channel's
// /Channel/Orderer/BlockValidation policy.
func (c *Config) blockSigners(b *common.Block, at time.Time) ([]*Identity, error) {
	md, _, err := blockSignatures(b)
	if err != nil {
		return nil, err
	}
	if len(md.GetSignatures()) == 0 {
		return nil, fmt.Errorf("no orderer signature")
	}
	header := headerBytes(b.GetHeader())
	var signers []*Identity
	for i, s := range md.GetSignatures() {
		var sh common.SignatureHeader
		if err := proto.Unmarshal(s.GetSignatureHeader(), &sh); err != nil {
			return nil, fmt.Errorf("signature %d: decode signature header: %w", i+1, err)
		}
		id, err := c.identityOf(sh.GetCreator(), at)
		if err != nil {
			return nil, fmt.Errorf("signature %d: %w", i+1, err)
		}
		if !c.MSPs[id.MSPID].Orderer || !c.hasRole(id, mspproto.MSPRole_ORDERER) {
			return nil, fmt.Errorf("signature %d: %s of %s is not an orderer node of the network", i+1, id.Subject, id.MSPID)
		}
		msg := append(append(append([]byte{}, md.GetValue()...), s.GetSignatureHeader()...), header...)
		if err := verifySignature(id, msg, s.GetSignature()); err != nil {
			return nil, fmt.Errorf("signature %d by %s of %s: %w", i+1, id.Subject, id.MSPID, err)
		}
		signers = append(signers, id)
	}
	ok, err := c.satisfied(c.group("Orderer"), "BlockValidation", signers)
	if err != nil {
		return nil, fmt.Errorf("evaluate the block validation policy: %w", err)
	}
	if !ok {
		return nil, fmt.Errorf("signers %s do not satisfy the block validation policy %s", mspIDs(signers), describePolicy(c.group("Orderer"), "BlockValidation"))
	}
	return signers, nil
}

// computeTxID is Fabric's transaction id: hex SHA-256(nonce || creator).
func computeTxID(nonce, creator []byte) string {
	h := sha256.New()
	h.Write(nonce)
	h.Write(creator)
	return hex.EncodeToString(h.Sum(nil))
}

// describePolicy names a policy for people, e.g. "MAJORITY Endorsement of 3
// organizations".
func describePolicy(g *common.ConfigGroup, name string) string {
	cp := g.GetPolicies()[name].GetPolicy()
	if common.Policy_PolicyType(cp.GetType()) == common.Policy_IMPLICIT_META {
		var meta common.ImplicitMetaPolicy
		if proto.Unmarshal(cp.GetValue(), &meta) == nil {
			n := len(g.GetGroups())
			return fmt.Sprintf("%q (%s %s of %d organizations: %d needed)", name, meta.GetRule(), meta.GetSubPolicy(), n, threshold(meta.GetRule(), n))
		}
	}
	return fmt.Sprintf("%q", name)
}
