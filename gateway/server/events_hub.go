package server

import (
	"context"
	"sync"
	"time"

	"github.com/hyperledger/fabric-gateway/pkg/client"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/civicledger/civicledger/gateway/fabric"
)

// hubLinger is how long the shared peer stream stays open after its last
// live subscriber has gone: a client that reconnects reuses it, and a client
// that subscribes and cancels in a loop cannot make the gateway open (and
// leave at the peer, until the next block with events) one stream per
// subscription.
const hubLinger = time.Minute

// eventHub serves every live subscription (new events only) of the gateway
// from one peer chaincode-events stream. Each subscriber has a bounded buffer:
// one that falls behind is dropped, never waited for, so it cannot hold
// back the others.
type eventHub struct {
	ledger        eventLedger
	buffer        int
	linger        time.Duration
	heightTimeout time.Duration

	mu     sync.Mutex
	subs   map[*liveSubscription]struct{}
	stream *hubStream // nil while no peer stream is open
}

// hubStream is one open peer stream of the hub.
type hubStream struct {
	cancel context.CancelFunc
	idle   *time.Timer // set while the stream has no subscriber
}

// liveSubscription is one subscriber's view of the hub: events it wants, in
// order, until done closes; then err says why the hub ended it.
type liveSubscription struct {
	types  []string
	events chan *client.ChaincodeEvent
	done   chan struct{}
	err    error
	queued bool   // an event was queued for it
	first  uint64 // block of the first event queued for it
}

func newEventHub(ledger eventLedger, buffer int, linger, heightTimeout time.Duration) *eventHub {
	return &eventHub{ledger: ledger, buffer: buffer, linger: linger, heightTimeout: heightTimeout, subs: map[*liveSubscription]struct{}{}}
}

// subscribe attaches a subscriber for the events named by types (all when
// empty), opening the shared peer stream as u if none is open. Chaincode
// events are readable by every member of the channel, so the stream of one
// user of the administration serves all of them.
//
// The peer stream starts at the ledger height read before it is opened, not
// at whatever block commits next when the peer gets round to it: so every
// block at or beyond a height read after subscribe returns reaches the
// subscriber, which is what lets a replay hand over to the hub without a gap.
func (h *eventHub) subscribe(u *fabric.User, types []string) (*liveSubscription, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.stream == nil {
		hctx, cancelHeight := context.WithTimeout(context.Background(), h.heightTimeout)
		height, err := h.ledger.LedgerHeight(hctx, u)
		cancelHeight()
		if err != nil {
			return nil, err
		}
		ctx, cancel := context.WithCancel(context.Background())
		events, err := h.ledger.ChaincodeEvents(ctx, u, client.WithStartBlock(height))
		if err != nil {
			cancel()
			return nil, err
		}
		h.stream = &hubStream{cancel: cancel}
		go h.pump(h.stream, events)
	}
	if h.stream.idle != nil {
		h.stream.idle.Stop()
		h.stream.idle = nil
	}
	sub := &liveSubscription{types: types, events: make(chan *client.ChaincodeEvent, h.buffer), done: make(chan struct{})}
	h.subs[sub] = struct{}{}
	return sub, nil
}

// unsubscribe detaches a subscriber; the last one leaving starts the
// linger after which the peer stream is closed.
func (h *eventHub) unsubscribe(sub *liveSubscription) {
	h.mu.Lock()
	defer h.mu.Unlock()
	delete(h.subs, sub)
	if st := h.stream; st != nil && len(h.subs) == 0 && st.idle == nil {
		st.idle = time.AfterFunc(h.linger, func() { h.closeIdle(st) })
	}
}

// closeIdle closes st if it is still the hub's stream and still unused.
func (h *eventHub) closeIdle(st *hubStream) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.stream == st && len(h.subs) == 0 {
		h.stream = nil
		st.cancel()
	}
}

// pump hands each event of the peer stream to the subscribers that want it
// and, when the peer ends the stream, ends every subscription.
func (h *eventHub) pump(st *hubStream, events <-chan *client.ChaincodeEvent) {
	for ev := range events {
		h.mu.Lock()
		if h.stream == st {
			h.deliver(ev)
		}
		h.mu.Unlock()
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	st.cancel()
	if h.stream != st {
		return // closed for idleness; its subscribers are another stream's
	}
	h.stream = nil
	if st.idle != nil {
		st.idle.Stop()
	}
	for sub := range h.subs {
		h.end(sub, status.Error(codes.Unavailable, "the peer closed the event stream; resume from the last checkpoint"))
	}
}

// deliver queues ev for every subscriber that wants it, without waiting:
// a subscriber whose buffer is full is dropped. Called with h.mu held.
func (h *eventHub) deliver(ev *client.ChaincodeEvent) {
	for sub := range h.subs {
		if !wanted(sub.types, ev.EventName) {
			continue
		}
		if !sub.queued {
			sub.queued, sub.first = true, ev.BlockNumber
		}
		select {
		case sub.events <- ev:
		default:
			h.end(sub, status.Errorf(codes.Aborted,
				"this subscription read events more slowly than they came and %d were waiting (events.buffer); "+
					"subscribe again with after = the last checkpoint received, or start_block %d if none was received",
				h.buffer, sub.first))
		}
	}
}

// end detaches sub and tells it why. Called with h.mu held.
func (h *eventHub) end(sub *liveSubscription, err error) {
	delete(h.subs, sub)
	sub.err = err
	close(sub.done)
}
