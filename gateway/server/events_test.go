package server

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/hyperledger/fabric-gateway/pkg/client"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
	"github.com/civicledger/civicledger/gateway/config"
)

const wait = 5 * time.Second

var testLimits = config.Events{MaxSubscriptions: 100, MaxPerCaller: 60, MaxReplays: 3, Buffer: 4}

// running is one Subscribe call served in the background.
type running struct {
	stream *fakeSubscribeStream
	cancel context.CancelFunc
	err    chan error
}

func subscribe(svc *eventService, user string, req *apiv1.SubscribeRequest) *running {
	ctx, cancel := context.WithCancel(asUser(context.Background(), user))
	r := &running{stream: newFakeSubscribeStream(ctx), cancel: cancel, err: make(chan error, 1)}
	go func() { r.err <- svc.Subscribe(req, r.stream) }()
	return r
}

// result is the status the call ended with.
func (r *running) result(t *testing.T) *status.Status {
	t.Helper()
	select {
	case err := <-r.err:
		return status.Convert(err)
	case <-time.After(wait):
		t.Fatal("the subscription did not end")
		return nil
	}
}

func (r *running) next(t *testing.T) *apiv1.Event {
	t.Helper()
	select {
	case ev := <-r.stream.sent:
		return ev
	case <-time.After(wait):
		t.Fatal("no event")
		return nil
	}
}

// publish sends ev on the peer stream s.
func publish(t *testing.T, s *fakePeerStream, ev *client.ChaincodeEvent) {
	t.Helper()
	select {
	case s.in <- ev:
	case <-time.After(wait):
		t.Fatal("the peer stream is not read")
	}
}

// liveStream waits until the shared stream is open and attached to n subscribers.
func liveStream(t *testing.T, f *fakeEventLedger, svc *eventService, n int) *fakePeerStream {
	t.Helper()
	require.Eventually(t, func() bool {
		svc.hub.mu.Lock()
		defer svc.hub.mu.Unlock()
		return len(svc.hub.subs) == n
	}, wait, time.Millisecond)
	live := f.opened()
	require.Len(t, live, 1, "one peer stream for every subscriber")
	return live[0]
}

func event(block uint64, name string) *client.ChaincodeEvent {
	return &client.ChaincodeEvent{BlockNumber: block, TransactionID: fmt.Sprintf("tx%d", block), EventName: name, Payload: []byte("{}")}
}

func TestSubscribeLive(t *testing.T) {
	t.Run("fifty live subscribers share one peer stream and each gets the events it wants", func(t *testing.T) {
		f := &fakeEventLedger{height: 10}
		svc := newEventService(f, testLimits, time.Second)
		var subs []*running
		for i := range 50 {
			types := []string{"documents."}
			if i%2 == 1 {
				types = []string{"directory.ProfileSet"}
			}
			subs = append(subs, subscribe(svc, fmt.Sprintf("user%d", i%5), &apiv1.SubscribeRequest{Types: types}))
		}
		peer := liveStream(t, f, svc, 50)
		publish(t, peer, event(11, "documents.Registered"))
		publish(t, peer, event(12, "directory.ProfileSet"))
		for i, s := range subs {
			want := uint64(11 + i%2)
			ev := s.next(t)
			require.Equal(t, want, ev.BlockNumber)
			require.Equal(t, &apiv1.Checkpoint{BlockNumber: want, TransactionId: fmt.Sprintf("tx%d", want)}, ev.Checkpoint)
			s.cancel()
			require.Equal(t, codes.Canceled, s.result(t).Code())
		}
		require.Len(t, f.opened(), 1)
	})

	t.Run("a subscriber that does not read is dropped with Aborted while the others keep receiving", func(t *testing.T) {
		f := &fakeEventLedger{height: 10}
		svc := newEventService(f, testLimits, time.Second)
		slowCtx, cancelSlow := context.WithCancel(asUser(context.Background(), "slow"))
		defer cancelSlow()
		slow := &running{stream: &fakeSubscribeStream{ctx: slowCtx, sent: make(chan *apiv1.Event)}, cancel: cancelSlow, err: make(chan error, 1)}
		go func() { slow.err <- svc.Subscribe(&apiv1.SubscribeRequest{}, slow.stream) }()
		fast := subscribe(svc, "fast", &apiv1.SubscribeRequest{})
		defer fast.cancel()
		peer := liveStream(t, f, svc, 2)

		// The slow one's Send blocks on its first event; its buffer holds 4 more.
		for b := uint64(11); b <= 16; b++ {
			publish(t, peer, event(b, "documents.Registered"))
			require.Equal(t, b, fast.next(t).BlockNumber)
		}
		// Once it reads again it gets what was queued, then the status.
		var st *status.Status
		for st == nil {
			select {
			case <-slow.stream.sent:
			case err := <-slow.err:
				st = status.Convert(err)
			case <-time.After(wait):
				t.Fatal("the slow subscription did not end")
			}
		}
		require.Equal(t, codes.Aborted, st.Code())
		require.Contains(t, st.Message(), "events.buffer")
		require.Contains(t, st.Message(), "start_block 11 if none was received")
		publish(t, peer, event(17, "documents.Registered"))
		require.Equal(t, uint64(17), fast.next(t).BlockNumber)
	})

	t.Run("when the peer ends the shared stream every live subscriber gets Unavailable, and the next one opens a new stream", func(t *testing.T) {
		f := &fakeEventLedger{height: 10}
		svc := newEventService(f, testLimits, time.Second)
		a, b := subscribe(svc, "a", &apiv1.SubscribeRequest{}), subscribe(svc, "b", &apiv1.SubscribeRequest{})
		close(liveStream(t, f, svc, 2).end)
		for _, s := range []*running{a, b} {
			st := s.result(t)
			require.Equal(t, codes.Unavailable, st.Code())
			require.Contains(t, st.Message(), "resume from the last checkpoint")
		}
		c := subscribe(svc, "c", &apiv1.SubscribeRequest{})
		defer c.cancel()
		require.Eventually(t, func() bool { return len(f.opened()) == 2 }, wait, time.Millisecond)
	})

	t.Run("the shared stream is kept while subscribers come back, and closed once the last one has been gone a while", func(t *testing.T) {
		f := &fakeEventLedger{height: 10}
		svc := newEventService(f, testLimits, time.Second)
		svc.hub.linger = 50 * time.Millisecond
		for range 20 {
			s := subscribe(svc, "churn", &apiv1.SubscribeRequest{})
			liveStream(t, f, svc, 1)
			s.cancel()
			s.result(t)
		}
		require.Len(t, f.opened(), 1, "subscribing and cancelling in a loop reuses the stream")
		select {
		case <-f.opened()[0].closed:
		case <-time.After(wait):
			t.Fatal("the idle shared stream was not closed")
		}
		require.Error(t, f.opened()[0].ctx.Err(), "the idle peer stream's context is cancelled")
	})
}

func TestSubscribeReplay(t *testing.T) {
	t.Run("a start block or checkpoint beyond the ledger height is OutOfRange, naming the field and the height", func(t *testing.T) {
		f := &fakeEventLedger{height: 42}
		svc := newEventService(f, testLimits, time.Second)
		for field, req := range map[string]*apiv1.SubscribeRequest{
			"start_block 10000":        {StartBlock: 10_000},
			"after.block_number 43":    {After: &apiv1.Checkpoint{BlockNumber: 43, TransactionId: "tx"}},
			"after.block_number 10000": {After: &apiv1.Checkpoint{BlockNumber: 10_000, TransactionId: "tx"}},
		} {
			st := subscribe(svc, "clerk", req).result(t)
			require.Equal(t, codes.OutOfRange, st.Code())
			require.Contains(t, st.Message(), field+" is beyond the ledger height 42")
		}
		require.Empty(t, f.opened(), "no peer stream was opened")
	})

	t.Run("requests a person must fix are InvalidArgument", func(t *testing.T) {
		svc := newEventService(&fakeEventLedger{height: 42}, testLimits, time.Second)
		for field, req := range map[string]*apiv1.SubscribeRequest{
			"types":                {Types: []string{"documents.", " "}},
			"after.transaction_id": {After: &apiv1.Checkpoint{BlockNumber: 3}},
		} {
			st := subscribe(svc, "clerk", req).result(t)
			require.Equal(t, codes.InvalidArgument, st.Code())
			require.Contains(t, st.Message(), field)
		}
	})
}

func TestSubscriptionLimits(t *testing.T) {
	limits := config.Events{MaxSubscriptions: 5, MaxPerCaller: 3, MaxReplays: 2, Buffer: 4}
	cases := map[string]struct {
		hold    map[string]*apiv1.SubscribeRequest // user → request, held open
		user    string
		req     *apiv1.SubscribeRequest
		setting string
	}{
		"a caller's fourth subscription is refused": {
			hold: map[string]*apiv1.SubscribeRequest{"a1": {}, "a2": {}, "a3": {}}, user: "a", req: &apiv1.SubscribeRequest{},
			setting: "events.maxPerCaller",
		},
		"the gateway's sixth subscription is refused": {
			hold: map[string]*apiv1.SubscribeRequest{"a": {}, "b": {}, "c": {}, "d": {}, "e": {}}, user: "f", req: &apiv1.SubscribeRequest{},
			setting: "events.maxSubscriptions",
		},
		"a third replay is refused": {
			hold: map[string]*apiv1.SubscribeRequest{"a": {StartBlock: 1}, "b": {StartBlock: 2}}, user: "c", req: &apiv1.SubscribeRequest{StartBlock: 3},
			setting: "events.maxReplays",
		},
	}
	for name, tc := range cases {
		t.Run(name+" with ResourceExhausted naming the setting, and accepted again once one ends", func(t *testing.T) {
			svc := newEventService(&fakeEventLedger{height: 42}, limits, time.Second)
			var held []*running
			for key, req := range tc.hold {
				held = append(held, subscribe(svc, key[:1], req))
			}
			require.Eventually(t, func() bool {
				svc.limits.mu.Lock()
				defer svc.limits.mu.Unlock()
				return svc.limits.total == len(tc.hold)
			}, wait, time.Millisecond)

			st := subscribe(svc, tc.user, tc.req).result(t)
			require.Equal(t, codes.ResourceExhausted, st.Code())
			require.Contains(t, st.Message(), tc.setting)

			held[0].cancel()
			require.Equal(t, codes.Canceled, held[0].result(t).Code())
			again := subscribe(svc, tc.user, tc.req)
			select {
			case err := <-again.err:
				t.Fatalf("refused again after one ended: %v", err)
			case <-time.After(100 * time.Millisecond):
			}
			for _, r := range append(held[1:], again) {
				r.cancel()
				r.result(t)
			}
		})
	}
}
