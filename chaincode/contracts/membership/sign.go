package membership

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/sha256"
	"encoding/asn1"
	"encoding/base64"
	"encoding/pem"
	"math/big"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/hyperledger/fabric-protos-go-apiv2/msp"
	"google.golang.org/protobuf/proto"

	"github.com/civicledger/civicledger/chaincode/contracts/base"
	"github.com/civicledger/civicledger/chaincode/records"
	"github.com/civicledger/civicledger/chaincode/spec"
)

// Sign records the caller's signature over an open proposal's update:
// signature is the base64 of a marshalled common.ConfigSignature whose
// creator is exactly the transaction's creator (nobody records someone
// else's signature) and whose ECDSA signature verifies as Fabric checks it.
// The caller is an admin of a member administration that has not signed
// yet (ALREADY_EXISTS otherwise); an expired, applied or withdrawn
// proposal is FAILED_PRECONDITION. It emits EventMembershipSigned.
func (c *Contract) Sign(ctx *base.TxContext, proposalID, signature string) (*records.MembershipProposal, error) {
	signer, err := base.RequireMemberAdmin(ctx, "sign a membership proposal")
	if err != nil {
		return nil, err
	}
	at, err := ctx.TxTime()
	if err != nil {
		return nil, err
	}
	key, p, err := requireProposal(ctx, proposalID)
	if err != nil {
		return nil, err
	}
	if derive(p, at); p.Status != spec.MembershipOpen {
		return nil, base.FailedPrecondition("proposal %s is %s (expiry %s): it takes no more signatures", p.ID, p.Status, p.ExpiresAt)
	}
	for _, s := range p.Signatures {
		if s.MSPID == signer.MSPID {
			return nil, base.AlreadyExists("%s already signed proposal %s (at %s)", s.MSPID, p.ID, s.SignedAt)
		}
	}
	raw, err := decodeBase64("signature", signature, spec.MaxMembershipSignature)
	if err != nil {
		return nil, err
	}
	update, err := base64.StdEncoding.DecodeString(p.Update)
	if err != nil {
		return nil, base.Internal(err, "decode the stored update of proposal %s", p.ID)
	}
	if err := verifyConfigSignature(signer, update, raw); err != nil {
		return nil, err
	}
	p.Signatures = append(p.Signatures, &records.MembershipSignature{
		MSPID: signer.MSPID, SignerCertID: signer.CertID, SignedAt: base.FormatTime(at),
		ConfigSignature: base64.StdEncoding.EncodeToString(raw),
	})
	return p, save(ctx, key, p, spec.EventMembershipSigned)
}

// verifyConfigSignature checks raw, a marshalled ConfigSignature over
// update, as Fabric does, and that signer made it: the signature header's
// creator is signer's MSP and certificate, and the signature is an ASN.1
// ECDSA signature in low-S form over SHA-256(signature header || update).
func verifyConfigSignature(signer *base.MemberAdmin, update, raw []byte) error {
	var cs common.ConfigSignature
	if err := proto.Unmarshal(raw, &cs); err != nil {
		return base.InvalidArgument("signature is not a marshalled config signature: %v", err)
	}
	var sh common.SignatureHeader
	if err := proto.Unmarshal(cs.GetSignatureHeader(), &sh); err != nil || len(sh.GetCreator()) == 0 {
		return base.InvalidArgument("signature has no signature header with a creator")
	}
	var creator msp.SerializedIdentity
	if err := proto.Unmarshal(sh.GetCreator(), &creator); err != nil {
		return base.InvalidArgument("the signature's creator is not a serialized identity: %v", err)
	}
	block, _ := pem.Decode(creator.GetIdBytes())
	if creator.GetMspid() != signer.MSPID || block == nil || !bytes.Equal(block.Bytes, signer.Cert.Raw) {
		return base.PermissionDenied("the signature was made by another identity (of %s) than the transaction's creator (of %s): each admin records only their own signature", base.Clip(creator.GetMspid()), signer.MSPID)
	}
	pub, ok := signer.Cert.PublicKey.(*ecdsa.PublicKey)
	if !ok {
		return base.InvalidArgument("the signer's certificate has no ecdsa key")
	}
	var sig struct{ R, S *big.Int }
	if rest, err := asn1.Unmarshal(cs.GetSignature(), &sig); err != nil || len(rest) != 0 || sig.R == nil || sig.S == nil || sig.R.Sign() <= 0 || sig.S.Sign() <= 0 {
		return base.InvalidArgument("signature is not an asn.1 ecdsa signature")
	}
	if half := new(big.Int).Rsh(pub.Curve.Params().N, 1); sig.S.Cmp(half) > 0 {
		return base.InvalidArgument("signature is not in low-s form, which fabric requires")
	}
	digest := sha256.Sum256(append(append([]byte{}, cs.GetSignatureHeader()...), update...))
	if !ecdsa.Verify(pub, digest[:], sig.R, sig.S) {
		return base.InvalidArgument("signature does not verify over the proposal's update with the signer's certificate")
	}
	return nil
}
