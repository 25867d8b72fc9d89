package server

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/hyperledger/fabric-gateway/pkg/client"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"

	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
	"github.com/civicledger/civicledger/gateway/config"
)

// txEvent is the event of transaction tx in block.
func txEvent(block uint64, tx, name string) *client.ChaincodeEvent {
	return &client.ChaincodeEvent{BlockNumber: block, TransactionID: tx, EventName: name, Payload: []byte(`{"tx":"` + tx + `"}`)}
}

// ledgerOf is a fake ledger of blocks 0 … height-1 holding one
// documents.Registered event per block from 1 on, plus the extra events.
func ledgerOf(height uint64, extra ...*client.ChaincodeEvent) *fakeEventLedger {
	f := &fakeEventLedger{height: height, blocks: map[uint64][]*client.ChaincodeEvent{}}
	for b := uint64(1); b < 100; b++ {
		f.blocks[b] = []*client.ChaincodeEvent{event(b, "documents.Registered")}
	}
	for _, ev := range extra {
		f.blocks[ev.BlockNumber] = append(f.blocks[ev.BlockNumber], ev)
	}
	return f
}

// receiveAll reads events until one of transaction last arrives.
func receiveAll(t *testing.T, r *running, last string) []string {
	t.Helper()
	var got []string
	for {
		ev := r.next(t)
		require.Equal(t, &apiv1.Checkpoint{BlockNumber: ev.BlockNumber, TransactionId: ev.TransactionId}, ev.Checkpoint)
		got = append(got, fmt.Sprintf("%d/%s", ev.BlockNumber, ev.TransactionId))
		if ev.TransactionId == last {
			return got
		}
	}
}

// blocksTx lists "n/txn" for the blocks from … to.
func blocksTx(from, to uint64) []string {
	var out []string
	for b := from; b <= to; b++ {
		out = append(out, fmt.Sprintf("%d/tx%d", b, b))
	}
	return out
}

func TestSubscribeReplayHandover(t *testing.T) {
	limits := config.Events{MaxSubscriptions: 100, MaxPerCaller: 60, MaxReplays: 3, Buffer: 16}
	// While block 2 is read, the hub gets these blocks' events (the ledger
	// grows to block 6 meanwhile).
	cases := map[string][]uint64{
		"a block committed during the replay comes from the hub, once":               {6},
		"blocks the hub gives that the replay also reads are given once, in order":   {1, 2, 3, 4, 5, 6},
		"a hub that starts in the middle of the replay is joined without a gap":      {4, 5, 6},
		"a hub that gives nothing leaves the replay to read up to the ledger height": nil,
	}
	for name, fromHub := range cases {
		t.Run(name+", without a peer stream of the replay's own", func(t *testing.T) {
			f := ledgerOf(6)
			svc := newEventService(f, limits, time.Second)
			f.onBlock = func(n uint64) {
				if n != 2 {
					return
				}
				f.setHeight(7)
				for _, b := range fromHub {
					publish(t, f.opened()[0], event(b, "documents.Registered"))
				}
			}
			s := subscribe(svc, "clerk", &apiv1.SubscribeRequest{StartBlock: 1})
			defer s.cancel()
			want := blocksTx(1, 5)
			if len(fromHub) > 0 {
				want = blocksTx(1, 6)
			}
			require.Equal(t, want, receiveAll(t, s, want[len(want)-1][2:]))
			require.Len(t, f.opened(), 1, "the hub's stream is the only peer stream")
			publish(t, f.opened()[0], event(7, "documents.Registered"))
			require.Equal(t, uint64(7), s.next(t).BlockNumber, "new events follow")
		})
	}

	t.Run("a replay that the hub drops while it reads the past joins again and loses nothing", func(t *testing.T) {
		f := ledgerOf(3)
		svc := newEventService(f, config.Events{MaxSubscriptions: 10, MaxPerCaller: 10, MaxReplays: 3, Buffer: 2}, time.Second)
		f.onBlock = func(n uint64) {
			if n == 1 {
				f.setHeight(11)
				for b := uint64(3); b <= 10; b++ { // more than its buffer holds
					publish(t, f.opened()[0], event(b, "documents.Registered"))
				}
			}
		}
		s := subscribe(svc, "clerk", &apiv1.SubscribeRequest{StartBlock: 1})
		defer s.cancel()
		require.Equal(t, blocksTx(1, 10), receiveAll(t, s, "tx10"))
	})
}

func TestSubscribeReplayCheckpoint(t *testing.T) {
	// Block 3 holds transactions a, b (another type), c; the others one event each.
	extra := []*client.ChaincodeEvent{
		txEvent(3, "a", "documents.Registered"), txEvent(3, "b", "directory.ProfileSet"), txEvent(3, "c", "documents.Registered"),
	}
	t.Run("a checkpoint resumes right after its transaction within the block, even when the filter leaves that transaction out", func(t *testing.T) {
		f := ledgerOf(6, extra...)
		svc := newEventService(f, testLimits, time.Second)
		s := subscribe(svc, "clerk", &apiv1.SubscribeRequest{Types: []string{"documents."}, After: &apiv1.Checkpoint{BlockNumber: 3, TransactionId: "b"}})
		defer s.cancel()
		require.Equal(t, []string{"3/c", "4/tx4", "5/tx5"}, receiveAll(t, s, "tx5"))
		require.Equal(t, uint64(3), f.blocksRead()[0], "the replay starts at the checkpoint's block")
	})

	t.Run("a checkpoint in the block still to commit resumes on the hub after its transaction", func(t *testing.T) {
		f := ledgerOf(3)
		svc := newEventService(f, testLimits, time.Second)
		s := subscribe(svc, "clerk", &apiv1.SubscribeRequest{Types: []string{"documents."}, After: &apiv1.Checkpoint{BlockNumber: 3, TransactionId: "b"}})
		defer s.cancel()
		peer := liveStream(t, f, svc, 1)
		for _, ev := range append(extra, event(4, "documents.Registered")) {
			publish(t, peer, ev)
		}
		require.Equal(t, []string{"3/c", "4/tx4"}, receiveAll(t, s, "tx4"))
		require.Empty(t, f.blocksRead(), "no block to read")
	})

	t.Run("a checkpoint whose transaction has no event in its block is InvalidArgument", func(t *testing.T) {
		f := ledgerOf(6, extra...)
		svc := newEventService(f, testLimits, time.Second)
		st := subscribe(svc, "clerk", &apiv1.SubscribeRequest{After: &apiv1.Checkpoint{BlockNumber: 3, TransactionId: "nope"}}).result(t)
		require.Equal(t, codes.InvalidArgument, st.Code())
		require.Contains(t, st.Message(), "block 3 has no event of transaction nope")
	})
}

func TestSubscribeReplayEnds(t *testing.T) {
	t.Run("a cancelled replay stops reading blocks and leaves the hub", func(t *testing.T) {
		f := ledgerOf(50)
		svc := newEventService(f, testLimits, time.Second)
		ctx, cancel := context.WithCancel(asUser(context.Background(), "clerk"))
		s := &running{stream: &fakeSubscribeStream{ctx: ctx, sent: make(chan *apiv1.Event)}, cancel: cancel, err: make(chan error, 1)}
		go func() { s.err <- svc.Subscribe(&apiv1.SubscribeRequest{StartBlock: 1}, s.stream) }()
		require.Equal(t, uint64(1), s.next(t).BlockNumber)
		s.cancel()
		require.Equal(t, codes.Canceled, s.result(t).Code())
		require.LessOrEqual(t, len(f.blocksRead()), 2, "the blocks after the one being sent are not read")
		svc.hub.mu.Lock()
		defer svc.hub.mu.Unlock()
		require.Empty(t, svc.hub.subs)
	})

	t.Run("a replay up to the next block to commit reads no block and continues on the hub", func(t *testing.T) {
		f := ledgerOf(42)
		svc := newEventService(f, testLimits, time.Second)
		s := subscribe(svc, "clerk", &apiv1.SubscribeRequest{StartBlock: 42, Types: []string{"documents."}})
		defer s.cancel()
		peer := liveStream(t, f, svc, 1)
		publish(t, peer, event(42, "directory.ProfileSet"))
		publish(t, peer, event(43, "documents.Registered"))
		require.Equal(t, uint64(43), s.next(t).BlockNumber, "the filter applies")
		require.Empty(t, f.blocksRead())
	})
}
