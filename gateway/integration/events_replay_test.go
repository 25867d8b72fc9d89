//go:build integration

package integration

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
)

// replayFirst opens a replay from block 1, reads its first event and
// cancels it, as a clerk who opens and closes replays in a loop does.
func replayFirst(client apiv1.EventServiceClient) error {
	sctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	stream, err := client.Subscribe(sctx, &apiv1.SubscribeRequest{StartBlock: 1})
	if err != nil {
		return err
	}
	_, err = stream.Recv()
	return err
}

func TestReplaysHoldNoPeerSlot(t *testing.T) {
	t.Run("600 replays opened and cancelled with no block committed meanwhile leave the administration's calls working", func(t *testing.T) {
		// At least one event to replay, then no block until the checks.
		_, err := documents(t, registry, "clerk").RegisterDocument(ctx(t), docRequest(uniqueID("EVREPLAY"), apiv1.DocumentType_DOCUMENT_TYPE_OTHER))
		require.NoError(t, err)
		height := ledgerHeight(t)

		// Sequential, three users of one administration: well within the
		// per-caller and replay limits, yet more replays than the peer's
		// 500 Gateway slots.
		users := []string{"clerk", "approver", "admin"}
		const replays = 600
		start := time.Now()
		var failed error
		for i := 0; i < replays && failed == nil; i++ {
			if err := replayFirst(apiv1.NewEventServiceClient(gw(t, registry, users[i%len(users)]))); err != nil {
				failed = fmt.Errorf("replay %d of %d: %w", i+1, replays, err)
			}
		}
		t.Logf("%d replays opened, read and cancelled in %s", replays, time.Since(start).Round(time.Millisecond))
		require.NoError(t, failed, "every replay is served")

		c, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		_, err = documents(t, registry, "clerk").ListDocuments(c, &apiv1.ListDocumentsRequest{Issuer: registry})
		require.NoError(t, err, "Documents:List still works: the peer's Gateway is not saturated")
		require.Equal(t, height, ledgerHeight(t), "no block was committed while the replays were cancelled")
		_, err = documents(t, registry, "clerk").RegisterDocument(c, docRequest(uniqueID("EVREPLAY"), apiv1.DocumentType_DOCUMENT_TYPE_OTHER))
		require.NoError(t, err, "Documents:Register still works")
	})
}
