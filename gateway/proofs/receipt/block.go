package receipt

import (
	"bytes"
	"crypto/sha256"
	"encoding/asn1"
	"fmt"
	"math/big"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"google.golang.org/protobuf/proto"
)

// headerBytes is what an orderer signs of a block header and what the next
// block's previous hash covers: the DER encoding of
// SEQUENCE { number INTEGER, previousHash OCTET STRING, dataHash OCTET STRING }.
func headerBytes(h *common.BlockHeader) []byte {
	der, err := asn1.Marshal(struct {
		Number       *big.Int
		PreviousHash []byte
		DataHash     []byte
	}{new(big.Int).SetUint64(h.GetNumber()), h.GetPreviousHash(), h.GetDataHash()})
	if err != nil {
		// Only types asn1 cannot encode fail; these three always encode.
		panic(fmt.Sprintf("encode block header: %v", err))
	}
	return der
}

// headerHash is the block's hash: SHA-256 of headerBytes.
func headerHash(h *common.BlockHeader) [32]byte {
	return sha256.Sum256(headerBytes(h))
}

// checkDataHash compares the header's data hash with SHA-256 of the
// concatenated transactions.
func checkDataHash(b *common.Block) error {
	sum := sha256.Sum256(bytes.Join(b.GetData().GetData(), nil))
	if !bytes.Equal(sum[:], b.GetHeader().GetDataHash()) {
		return fmt.Errorf("data hash in the header is %x, the transactions hash to %x", b.GetHeader().GetDataHash(), sum)
	}
	return nil
}

// envelope is a decoded transaction envelope with its headers.
type envelope struct {
	raw       *common.Envelope
	payload   *common.Payload
	channel   *common.ChannelHeader
	signature *common.SignatureHeader
}

func decodeEnvelope(data []byte) (*envelope, error) {
	e := &envelope{raw: &common.Envelope{}, payload: &common.Payload{}, channel: &common.ChannelHeader{}, signature: &common.SignatureHeader{}}
	if err := proto.Unmarshal(data, e.raw); err != nil {
		return nil, fmt.Errorf("decode envelope: %w", err)
	}
	if err := proto.Unmarshal(e.raw.GetPayload(), e.payload); err != nil {
		return nil, fmt.Errorf("decode payload: %w", err)
	}
	if e.payload.GetHeader() == nil {
		return nil, fmt.Errorf("payload has no header")
	}
	if err := proto.Unmarshal(e.payload.GetHeader().GetChannelHeader(), e.channel); err != nil {
		return nil, fmt.Errorf("decode channel header: %w", err)
	}
	if err := proto.Unmarshal(e.payload.GetHeader().GetSignatureHeader(), e.signature); err != nil {
		return nil, fmt.Errorf("decode signature header: %w", err)
	}
	return e, nil
}

// blockSignatures returns the SIGNATURES metadata of a block and the index
// of the configuration block it names (OrdererBlockMetadata.last_config).
func blockSignatures(b *common.Block) (*common.Metadata, uint64, error) {
	md := b.GetMetadata().GetMetadata()
	if len(md) <= int(common.BlockMetadataIndex_SIGNATURES) {
		return nil, 0, fmt.Errorf("block %d has no signature metadata", b.GetHeader().GetNumber())
	}
	var m common.Metadata
	if err := proto.Unmarshal(md[common.BlockMetadataIndex_SIGNATURES], &m); err != nil {
		return nil, 0, fmt.Errorf("decode signature metadata: %w", err)
	}
	var obm common.OrdererBlockMetadata
	if err := proto.Unmarshal(m.GetValue(), &obm); err != nil {
		return nil, 0, fmt.Errorf("decode orderer block metadata: %w", err)
	}
	return &m, obm.GetLastConfig().GetIndex(), nil
}

// LastConfigIndex returns the number of the configuration block that a
// serialized block names as in force for it.
func LastConfigIndex(raw []byte) (uint64, error) {
	var b common.Block
	if err := proto.Unmarshal(raw, &b); err != nil {
		return 0, fmt.Errorf("decode block: %w", err)
	}
	_, last, err := blockSignatures(&b)
	return last, err
}
