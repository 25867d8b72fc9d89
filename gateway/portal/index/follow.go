package index

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
)

// BlockSource streams committed blocks from a block number on, as the
// peer's deliver service does; the channel closes when the stream ends.
type BlockSource interface {
	Blocks(ctx context.Context, start uint64) (<-chan *common.Block, error)
}

// Follow indexes blocks from the checkpoint on until ctx ends. When the
// stream breaks (peer restarted, network down) it reconnects from the
// checkpoint after retry, so nothing is missed or applied twice.
func (x *Index) Follow(ctx context.Context, src BlockSource, chaincode string, retry time.Duration, log *slog.Logger) {
	for ctx.Err() == nil {
		if err := x.followOnce(ctx, src, chaincode); err != nil && ctx.Err() == nil {
			log.Warn("block stream ended; reconnecting", "err", err, "retry", retry)
		}
		select {
		case <-ctx.Done():
		case <-time.After(retry):
		}
	}
}

// followOnce reads one block stream from the checkpoint until it ends.
func (x *Index) followOnce(ctx context.Context, src BlockSource, chaincode string) error {
	ctx, cancel := context.WithCancel(ctx)
	next, err := x.NextBlock(ctx)
	if err != nil {
		cancel()
		return err
	}
	blocks, err := src.Blocks(ctx, next)
	if err != nil {
		cancel()
		return fmt.Errorf("open block stream at %d: %w", next, err)
	}
	defer func() {
		cancel()
		for range blocks { //nolint:revive // drain until the library closes the stream
		}
	}()
	for b := range blocks {
		decoded, err := DecodeBlock(b, chaincode)
		if err != nil {
			return err
		}
		if err := x.Apply(ctx, decoded); err != nil {
			return err
		}
	}
	return fmt.Errorf("block stream closed")
}
