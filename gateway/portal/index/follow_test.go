package index_test

import (
	"context"
	"log/slog"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"github.com/stretchr/testify/require"

	"github.com/civicledger/civicledger/chaincode/spec"
)

// fakeSource serves the blocks of a list from the requested start, then
// ends the stream, as a peer that goes away would; it records each start.
type fakeSource struct {
	mu     sync.Mutex
	blocks []*common.Block
	starts []uint64
}

func (f *fakeSource) Blocks(ctx context.Context, start uint64) (<-chan *common.Block, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.starts = append(f.starts, start)
	out := make(chan *common.Block, len(f.blocks))
	for _, b := range f.blocks {
		if b.GetHeader().GetNumber() >= start {
			out <- b
		}
	}
	close(out)
	return out, nil
}

func (f *fakeSource) add(b *common.Block) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.blocks = append(f.blocks, b)
}

func (f *fakeSource) startsSeen() []uint64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]uint64(nil), f.starts...)
}

func TestFollow(t *testing.T) {
	t.Run("a broken stream is reopened from the checkpoint, so no block is applied twice or skipped", func(t *testing.T) {
		x := open(t, filepath.Join(t.TempDir(), "index.db"))
		defer x.Close()
		src := &fakeSource{}
		tx := func(n int) fakeTx {
			return fakeTx{id: "tx" + string(rune('a'+n)), function: spec.DocumentsRegister, msp: "RegistryMSP", code: peer.TxValidationCode_VALID}
		}
		for n := range 3 {
			src.add(makeBlock(t, uint64(n), tx(n)))
		}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() {
			defer close(done)
			x.Follow(ctx, src, "civic", 10*time.Millisecond, slog.New(slog.DiscardHandler))
		}()
		waitNext := func(want uint64) {
			require.Eventually(t, func() bool {
				n, err := x.NextBlock(context.Background())
				return err == nil && n == want
			}, 5*time.Second, 5*time.Millisecond)
		}
		waitNext(3)
		src.add(makeBlock(t, 3, tx(3)))
		waitNext(4)
		require.Eventually(t, func() bool { return slices.Contains(src.startsSeen(), 4) }, 5*time.Second, 5*time.Millisecond)
		cancel()
		<-done

		c, err := x.Count(context.Background())
		require.NoError(t, err)
		require.Equal(t, 4, c.Blocks)
		require.Equal(t, 4, c.Transactions)
		starts := src.startsSeen()
		require.Equal(t, uint64(0), starts[0])
		require.Contains(t, starts, uint64(3), "the stream was reopened at the checkpoint")
	})
}
