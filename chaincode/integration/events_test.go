//go:build integration

package integration

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestEvents(t *testing.T) {
	t.Run("a registration emits documents.Registered with its transaction id and no personal data", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		gw, err := tn.Conn.Connect(council, "clerk")
		require.NoError(t, err)
		defer gw.Close()
		events, err := gw.GetNetwork(tn.Conn.Channel).ChaincodeEvents(ctx, tn.Conn.Chaincode)
		require.NoError(t, err)

		id := uniqueID("EXT")
		registerDocument(t, id, "extract "+id)
		for {
			select {
			case ev := <-events:
				if ev.EventName != "documents.Registered" {
					continue
				}
				var payload map[string]any
				require.NoError(t, json.Unmarshal(ev.Payload, &payload))
				if payload["id"] != id {
					continue
				}
				require.Equal(t, registry, payload["issuer"])
				require.NotContains(t, string(ev.Payload), "subjectRef")
				require.NotEmpty(t, ev.TransactionID)
				return
			case <-ctx.Done():
				t.Fatal("no documents.Registered event for", id)
			}
		}
	})
}
