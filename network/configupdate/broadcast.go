package configupdate

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/hyperledger/fabric-protos-go-apiv2/orderer"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/proto"
)

// ErrRefused: the ordering service answered the broadcast with a status
// other than SUCCESS (e.g. BAD_REQUEST for unmet policies or a stale
// update, FORBIDDEN for a submitter outside the Writers policy).
var ErrRefused = errors.New("the ordering service refused the envelope")

// Broadcast sends a signed envelope (a CONFIG_UPDATE from Envelope, or any
// transaction) to an orderer's AtomicBroadcast service and waits for its
// acknowledgement. SUCCESS means the orderer accepted the envelope for
// ordering, not that a block holding it has been committed; a refusal
// wraps ErrRefused with the status and the orderer's reason.
func Broadcast(ctx context.Context, conn *grpc.ClientConn, env *common.Envelope) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stream, err := orderer.NewAtomicBroadcastClient(conn).Broadcast(ctx)
	if err != nil {
		return fmt.Errorf("open broadcast stream: %w", err)
	}
	if err := stream.Send(env); err != nil {
		return fmt.Errorf("send envelope to the orderer: %w", err)
	}
	if err := stream.CloseSend(); err != nil {
		return fmt.Errorf("close broadcast stream: %w", err)
	}
	resp, err := stream.Recv()
	if errors.Is(err, io.EOF) {
		return errors.New("the orderer closed the broadcast stream without an answer")
	}
	if err != nil {
		return fmt.Errorf("receive the orderer's answer: %w", err)
	}
	if resp.GetStatus() != common.Status_SUCCESS {
		return fmt.Errorf("%w: %s: %s", ErrRefused, resp.GetStatus(), resp.GetInfo())
	}
	return nil
}

// ConfigFromBlock returns the channel configuration a config block (the
// genesis block, or the block of the latest config update, as a peer's
// cscc GetConfigBlock or `peer channel fetch config` return it) holds.
func ConfigFromBlock(block *common.Block) (*common.Config, error) {
	data := block.GetData().GetData()
	if len(data) != 1 {
		return nil, fmt.Errorf("not a config block: it holds %d envelopes, not one", len(data))
	}
	var env common.Envelope
	if err := proto.Unmarshal(data[0], &env); err != nil {
		return nil, fmt.Errorf("decode config block envelope: %w", err)
	}
	var payload common.Payload
	if err := proto.Unmarshal(env.GetPayload(), &payload); err != nil {
		return nil, fmt.Errorf("decode config block payload: %w", err)
	}
	var ch common.ChannelHeader
	if err := proto.Unmarshal(payload.GetHeader().GetChannelHeader(), &ch); err != nil {
		return nil, fmt.Errorf("decode config block channel header: %w", err)
	}
	if ch.GetType() != int32(common.HeaderType_CONFIG) {
		return nil, fmt.Errorf("not a config block: its envelope has type %s", common.HeaderType(ch.GetType()))
	}
	var cfg common.ConfigEnvelope
	if err := proto.Unmarshal(payload.GetData(), &cfg); err != nil {
		return nil, fmt.Errorf("decode config envelope: %w", err)
	}
	if cfg.GetConfig() == nil {
		return nil, errors.New("config block holds no configuration")
	}
	return cfg.GetConfig(), nil
}

// ConfigFromBlockBytes is ConfigFromBlock for a marshalled block.
func ConfigFromBlockBytes(raw []byte) (*common.Config, error) {
	var block common.Block
	if err := proto.Unmarshal(raw, &block); err != nil {
		return nil, fmt.Errorf("decode config block: %w", err)
	}
	return ConfigFromBlock(&block)
}
