package server

import (
	"context"
	"sync"

	"github.com/hyperledger/fabric-gateway/pkg/client"
	"google.golang.org/grpc"

	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
	"github.com/civicledger/civicledger/gateway/fabric"
)

// fakeEventLedger is an eventLedger whose peer streams the test drives: it
// keeps every stream opened, and a stream's channel closes once its context
// ends, as *fabric.Client's does.
type fakeEventLedger struct {
	height uint64

	mu      sync.Mutex
	streams []*fakePeerStream
}

// fakePeerStream is one chaincode-events stream opened at the fake peer.
type fakePeerStream struct {
	ctx    context.Context
	replay bool
	in     chan *client.ChaincodeEvent // what the test publishes
	end    chan struct{}               // closed by the test: the peer ends the stream
	closed chan struct{}               // closed once the stream's channel is closed
}

func (f *fakeEventLedger) ChaincodeEvents(ctx context.Context, _ *fabric.User, opts ...client.ChaincodeEventsOption) (<-chan *client.ChaincodeEvent, error) {
	s := &fakePeerStream{ctx: ctx, replay: len(opts) > 0, in: make(chan *client.ChaincodeEvent),
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
	return f.height, nil
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
