package server

import (
	"context"
	"fmt"
	"sync"

	"github.com/hyperledger/fabric-gateway/pkg/client"
	"google.golang.org/grpc"

	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
	"github.com/civicledger/civicledger/gateway/fabric"
)

// fakeEventLedger is an eventLedger whose peer streams the test drives: it
// keeps every stream opened, and a stream's channel closes once its context
// ends, as *fabric.Client's does. Its blocks hold the events BlockEvents
// gives; onBlock, when set, runs as a block is read.
type fakeEventLedger struct {
	height uint64

	mu      sync.Mutex
	streams []*fakePeerStream
	blocks  map[uint64][]*client.ChaincodeEvent
	onBlock func(n uint64)
	read    []uint64 // blocks read, in order
}

// fakePeerStream is one chaincode-events stream opened at the fake peer.
type fakePeerStream struct {
	ctx    context.Context
	in     chan *client.ChaincodeEvent // what the test publishes
	end    chan struct{}               // closed by the test: the peer ends the stream
	closed chan struct{}               // closed once the stream's channel is closed
}

func (f *fakeEventLedger) ChaincodeEvents(ctx context.Context, _ *fabric.User, _ ...client.ChaincodeEventsOption) (<-chan *client.ChaincodeEvent, error) {
	s := &fakePeerStream{ctx: ctx, in: make(chan *client.ChaincodeEvent),
		end: make(chan struct{}), closed: make(chan struct{})}
	out := make(chan *client.ChaincodeEvent)
	go func() {
		defer close(s.closed)
		defer close(out)
		for {
			select {
			case <-ctx.Done():
				return
			case <-s.end:
				return
			case ev := <-s.in:
				select {
				case out <- ev:
				case <-ctx.Done():
					return
				}
			}
		}
	}()
	f.mu.Lock()
	f.streams = append(f.streams, s)
	f.mu.Unlock()
	return out, nil
}

func (f *fakeEventLedger) LedgerHeight(context.Context, *fabric.User) (uint64, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.height, nil
}

func (f *fakeEventLedger) setHeight(h uint64) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.height = h
}

func (f *fakeEventLedger) BlockEvents(ctx context.Context, _ *fabric.User, n uint64) ([]*client.ChaincodeEvent, error) {
	f.mu.Lock()
	hook := f.onBlock
	f.read = append(f.read, n)
	f.mu.Unlock()
	if hook != nil {
		hook(n)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if n >= f.height {
		return nil, fmt.Errorf("block %d is not on the ledger (height %d)", n, f.height)
	}
	return f.blocks[n], ctx.Err()
}

// blocksRead returns the blocks read so far.
func (f *fakeEventLedger) blocksRead() []uint64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]uint64(nil), f.read...)
}

// opened returns the streams opened so far.
func (f *fakeEventLedger) opened() []*fakePeerStream {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]*fakePeerStream(nil), f.streams...)
}

// fakeSubscribeStream is the server side of one Subscribe call: it records
// what the handler sends and forwards it on sent.
type fakeSubscribeStream struct {
	grpc.ServerStream
	ctx  context.Context
	sent chan *apiv1.Event
}

func newFakeSubscribeStream(ctx context.Context) *fakeSubscribeStream {
	return &fakeSubscribeStream{ctx: ctx, sent: make(chan *apiv1.Event, 100)}
}

func (s *fakeSubscribeStream) Context() context.Context { return s.ctx }

func (s *fakeSubscribeStream) Send(ev *apiv1.Event) error {
	select {
	case s.sent <- ev:
		return nil
	case <-s.ctx.Done():
		return s.ctx.Err()
	}
}

// asUser is a call context authenticated as the named user of Registry.
func asUser(ctx context.Context, name string) context.Context {
	return context.WithValue(ctx, userKey, &fabric.User{Name: name, MSPID: "RegistryMSP", Role: "clerk"})
}
