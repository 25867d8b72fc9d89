package fabric

import (
	"context"
	"testing"
	"time"

	"github.com/hyperledger/fabric-gateway/pkg/client"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// fakeLibraryStream behaves as the fabric-gateway library's event channel:
// it sends n events without watching any context, and closes the channel
// once it has sent them all and the stream's context has ended. done closes
// when its goroutine has returned.
func fakeLibraryStream(ctx context.Context, n int) (<-chan *client.ChaincodeEvent, <-chan struct{}) {
	ch := make(chan *client.ChaincodeEvent)
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer close(ch)
		for i := range n {
			ch <- &client.ChaincodeEvent{BlockNumber: uint64(i)}
		}
		<-ctx.Done()
	}()
	return ch, done
}

func TestRelay(t *testing.T) {
	t.Run("a reader that stops early leaves no goroutine behind once its context ends", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		in, libraryDone := fakeLibraryStream(ctx, 10)
		out := relay(ctx, cancel, in)
		require.Equal(t, uint64(0), (<-out).BlockNumber)
		cancel() // the subscriber goes away with 9 events still to send

		select {
		case <-libraryDone:
		case <-time.After(5 * time.Second):
			t.Fatal("the library's goroutine is still blocked on its send")
		}
		for range out {
		}
	})

	t.Run("every event reaches a reader that keeps reading, and the end of the stream closes the channel", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		in := make(chan *client.ChaincodeEvent, 3)
		for i := range 3 {
			in <- &client.ChaincodeEvent{BlockNumber: uint64(i)}
		}
		close(in)
		var got []uint64
		for ev := range relay(ctx, cancel, in) {
			got = append(got, ev.BlockNumber)
		}
		require.Equal(t, []uint64{0, 1, 2}, got)
		require.Error(t, ctx.Err(), "the peer stream's context is cancelled once the stream ends")
	})
}

func TestClassifyConcurrencyLimit(t *testing.T) {
	t.Run("a peer at its Gateway concurrency limit is unavailable, not unknown", func(t *testing.T) {
		err := classify(status.Error(codes.Unknown, "too many requests for /gateway.Gateway, exceeding concurrency limit (500)"))
		require.ErrorIs(t, err, ErrUnavailable)
		require.Contains(t, err.Error(), "concurrency limit")
	})
}
