//go:build integration

package integration

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"

	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
)

func setProfile(t *testing.T, name string) string {
	t.Helper()
	resp, err := apiv1.NewDirectoryServiceClient(gw(t, council, "admin")).SetProfile(ctx(t),
		&apiv1.SetProfileRequest{DisplayName: name, Kind: "city", Contact: "council@example.org"})
	require.NoError(t, err)
	return resp.Committed.TransactionId
}

// receive reads the next event of the stream, failing after a minute.
func receive(t *testing.T, stream apiv1.EventService_SubscribeClient) *apiv1.Event {
	t.Helper()
	type result struct {
		ev  *apiv1.Event
		err error
	}
	ch := make(chan result, 1)
	go func() { ev, err := stream.Recv(); ch <- result{ev, err} }()
	select {
	case r := <-ch:
		require.NoError(t, r.err)
		return r.ev
	case <-time.After(time.Minute):
		t.Fatal("no event within a minute")
		return nil
	}
}

func TestEventService(t *testing.T) {
	t.Run("the stream resumes after a gateway restart from a checkpoint, with no event lost or repeated", func(t *testing.T) {
		sctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
		defer cancel()
		conn, err := tn.Conn.DialGateway(registry, "clerk")
		require.NoError(t, err)
		defer conn.Close()
		stream, err := apiv1.NewEventServiceClient(conn).Subscribe(sctx, &apiv1.SubscribeRequest{Types: []string{"directory."}})
		require.NoError(t, err)

		tx1 := setProfile(t, uniqueID("Council one"))
		ev1 := receive(t, stream)
		require.Equal(t, tx1, ev1.TransactionId)
		require.Equal(t, "directory.ProfileSet", ev1.Type)
		require.Contains(t, ev1.PayloadJson, `"mspId":"CouncilMSP"`)

		// Two more events happen while the gateway is down for a restart.
		require.NoError(t, tn.RestartGateway(sctx, registry))
		tx2 := setProfile(t, uniqueID("Council two"))
		tx3 := setProfile(t, uniqueID("Council three"))

		conn2, err := tn.Conn.DialGateway(registry, "clerk")
		require.NoError(t, err)
		defer conn2.Close()
		resumed, err := apiv1.NewEventServiceClient(conn2).Subscribe(sctx,
			&apiv1.SubscribeRequest{Types: []string{"directory."}, After: ev1.Checkpoint})
		require.NoError(t, err)
		require.Equal(t, tx2, receive(t, resumed).TransactionId, "the first event after the checkpoint, not the checkpointed one")
		require.Equal(t, tx3, receive(t, resumed).TransactionId)
	})

	t.Run("a filter delivers only the named event types", func(t *testing.T) {
		sctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		stream, err := apiv1.NewEventServiceClient(gw(t, treasury, "clerk")).Subscribe(sctx,
			&apiv1.SubscribeRequest{Types: []string{"directory.ProfileSet"}})
		require.NoError(t, err)
		tx := setProfile(t, uniqueID("Council four"))
		ev := receive(t, stream)
		require.Equal(t, tx, ev.TransactionId)
	})

	t.Run("a checkpoint without a transaction id is refused", func(t *testing.T) {
		stream, err := apiv1.NewEventServiceClient(gw(t, treasury, "clerk")).Subscribe(ctx(t),
			&apiv1.SubscribeRequest{After: &apiv1.Checkpoint{BlockNumber: 3}})
		require.NoError(t, err)
		_, err = stream.Recv()
		requireCode(t, err, codes.InvalidArgument)
	})
}
