package receipt

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"google.golang.org/protobuf/proto"
)

// Format names the receipt format; a receipt of another format is refused.
const Format = "civicledger-receipt/1"

// MaxSize bounds the JSON form of a receipt: a block is at most 10 MB on a
// CivicLedger channel (AbsoluteMaxBytes), base64 adds a third.
const MaxSize = 32 << 20

// Receipt is the exported form of one transaction. Block and ConfigBlock are
// serialized common.Block protobuf messages as the peer stores them.
type Receipt struct {
	Format           string `json:"format"`
	Channel          string `json:"channel"`
	TransactionID    string `json:"transactionId"`
	BlockNumber      uint64 `json:"blockNumber"`
	TransactionIndex int    `json:"transactionIndex"`
	Block            []byte `json:"block"`
	ConfigBlock      []byte `json:"configBlock"`
}

// New builds the receipt of transaction txID from the serialized block that
// holds it and the serialized configuration block that block refers to.
func New(channel, txID string, block, configBlock []byte) (*Receipt, error) {
	var b common.Block
	if err := proto.Unmarshal(block, &b); err != nil {
		return nil, fmt.Errorf("decode block: %w", err)
	}
	for i, data := range b.GetData().GetData() {
		env, err := decodeEnvelope(data)
		if err != nil {
			continue
		}
		if env.channel.GetTxId() == txID {
			return &Receipt{
				Format: Format, Channel: channel, TransactionID: txID,
				BlockNumber: b.GetHeader().GetNumber(), TransactionIndex: i,
				Block: block, ConfigBlock: configBlock,
			}, nil
		}
	}
	return nil, fmt.Errorf("block %d does not hold transaction %s", b.GetHeader().GetNumber(), txID)
}

// Marshal returns the receipt's JSON (binary fields in standard base64).
func (r *Receipt) Marshal() ([]byte, error) {
	return json.MarshalIndent(r, "", "  ")
}

// ErrMalformed is wrapped by every error of Parse.
var ErrMalformed = errors.New("malformed receipt")

// Parse decodes a receipt's JSON strictly: unknown fields, another format,
// missing parts and trailing data are refused.
func Parse(data []byte) (*Receipt, error) {
	if len(data) > MaxSize {
		return nil, fmt.Errorf("%w: %d bytes, at most %d", ErrMalformed, len(data), MaxSize)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var r Receipt
	if err := dec.Decode(&r); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	if dec.More() {
		return nil, fmt.Errorf("%w: data after the receipt", ErrMalformed)
	}
	switch {
	case r.Format != Format:
		return nil, fmt.Errorf("%w: format %q, want %q", ErrMalformed, r.Format, Format)
	case r.Channel == "" || r.TransactionID == "":
		return nil, fmt.Errorf("%w: channel and transactionId are required", ErrMalformed)
	case len(r.Block) == 0 || len(r.ConfigBlock) == 0:
		return nil, fmt.Errorf("%w: block and configBlock are required", ErrMalformed)
	case r.TransactionIndex < 0:
		return nil, fmt.Errorf("%w: negative transactionIndex", ErrMalformed)
	}
	return &r, nil
}
