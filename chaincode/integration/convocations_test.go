//go:build integration

package integration

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/hyperledger/fabric-gateway/pkg/client"
	"github.com/stretchr/testify/require"

	"github.com/civicledger/civicledger/chaincode/records"
)

func TestConvocations(t *testing.T) {
	body := uniqueID("council")
	mustSubmit(t, contract(t, registry, "admin"), "Convocations:SetBody",
		jsonArg(t, map[string]any{"id": body, "name": "Conseil communautaire", "clearDays": 5, "timeZone": "Europe/Paris"}))
	meeting := uniqueID("2026-meeting")
	mustSubmit(t, contract(t, registry, "clerk"), "Convocations:CreateMeeting", jsonArg(t, map[string]any{
		"id": meeting, "bodyId": body, "startsAt": time.Now().AddDate(0, 0, 30).UTC().Format(time.RFC3339),
		"place": "Hôtel d'agglomération, Lorient", "agendaHashes": []string{hexHash("agenda")},
	}))

	tokens := []string{"token-a-" + meeting, "token-b-" + meeting, "token-c-" + meeting}
	var recipients []map[string]string
	for i, tok := range tokens {
		recipients = append(recipients, map[string]string{
			"recipientRef": hexHash(fmt.Sprintf("official-%d-%s", i, meeting)),
			"messageHash":  hexHash(fmt.Sprintf("message-%d", i)),
			"ackTokenHash": hexHash(tok),
		})
	}
	res := decode[records.ConveneResult](t, mustSubmit(t, contract(t, registry, "clerk"), "Convocations:Convene", meeting, jsonArg(t, recipients)))
	require.Equal(t, 3, res.Convened)
	require.Equal(t, 3, res.OnTime)
	ids := res.ConvocationIDs
	require.Len(t, ids, 3)

	t.Run("another administration cannot convene to Registry's meeting", func(t *testing.T) {
		_, _, err := submit(t, contract(t, treasury, "clerk"), "Convocations:Convene", client.WithArguments(meeting, jsonArg(t, recipients[:1])))
		require.Error(t, err)
	})

	t.Run("an acknowledgement is recorded once and a second one is refused", func(t *testing.T) {
		conv := decode[records.Convocation](t, mustSubmit(t, contract(t, treasury, "clerk"), "Convocations:Acknowledge", registry, meeting, ids[0], tokens[0]))
		require.NotEmpty(t, conv.AcknowledgedAt)
		_, _, err := submit(t, contract(t, treasury, "clerk"), "Convocations:Acknowledge", client.WithArguments(registry, meeting, ids[0], tokens[0]))
		requireRefused(t, err, "FAILED_PRECONDITION")
	})

	t.Run("a wrong token does not acknowledge", func(t *testing.T) {
		_, _, err := submit(t, contract(t, council, "clerk"), "Convocations:Acknowledge", client.WithArguments(registry, meeting, ids[1], tokens[0]))
		requireRefused(t, err, "PERMISSION_DENIED")
	})

	t.Run("acknowledgements of different officials at the same time do not conflict", func(t *testing.T) {
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for i, via := range []string{treasury, council} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = contract(t, via, "clerk").SubmitTransaction("Convocations:Acknowledge", registry, meeting, ids[i+1], tokens[i+1])
			}()
		}
		wg.Wait()
		require.NoError(t, errs[0], errorText(errs[0]))
		require.NoError(t, errs[1], errorText(errs[1]))
	})

	t.Run("the register shows convened, acknowledged and on-time counts without personal data", func(t *testing.T) {
		raw := mustEvaluate(t, council, "clerk", "Convocations:Summary", registry, meeting)
		sum := decode[records.MeetingSummary](t, raw)
		require.Equal(t, 3, sum.Convened)
		require.Equal(t, 3, sum.Acknowledged)
		require.Equal(t, 3, sum.OnTime)
		require.NotContains(t, string(raw), recipients[0]["recipientRef"])
	})
}
