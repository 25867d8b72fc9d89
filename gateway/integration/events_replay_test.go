//go:build integration

package integration

import (
	"context"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/hyperledger/fabric-gateway/pkg/client"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/proto"

	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
	"github.com/civicledger/civicledger/gateway/config"
	"github.com/civicledger/civicledger/gateway/fabric"
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

// peerEvents reads n chaincode events from block 1 on a chaincode-events
// stream of Registry's peer, opened as its clerk with a bare Fabric client:
// what Fabric itself gives a replay.
func peerEvents(t *testing.T, n int) []*client.ChaincodeEvent {
	t.Helper()
	org, err := tn.Conn.Org(registry)
	require.NoError(t, err)
	cfg := registryConfig(t, config.Peer{Address: org.Peer.Address, TLSRootCert: org.TLSRootCert})
	fc, err := fabric.Dial(cfg.Channel, cfg.Chaincode, []fabric.Peer{{Address: org.Peer.Address, TLSRootCert: org.TLSRootCert}})
	require.NoError(t, err)
	defer fc.Close()
	wallet, err := fabric.NewWallet(cfg.Users, registry)
	require.NoError(t, err)
	u, err := org.User("clerk")
	require.NoError(t, err)
	certPEM, err := os.ReadFile(u.Cert)
	require.NoError(t, err)
	block, _ := pem.Decode(certPEM)
	require.NotNil(t, block)
	cert, err := x509.ParseCertificate(block.Bytes)
	require.NoError(t, err)
	user, err := wallet.Lookup(cert)
	require.NoError(t, err)

	sctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	events, err := fc.ChaincodeEvents(sctx, user, client.WithStartBlock(1))
	require.NoError(t, err)
	var got []*client.ChaincodeEvent
	for ev := range events {
		if got = append(got, ev); len(got) == n {
			break
		}
	}
	require.Len(t, got, n, "the peer's stream ended early")
	return got
}

func TestReplayMatchesPeerStream(t *testing.T) {
	t.Run("a replay from block 1 gives the events the peer's own stream gives, in the same order and with the same fields", func(t *testing.T) {
		// Registrations at once (some share a block), and the same profile
		// set several times at once (read conflicts leave invalid
		// transactions, with their events, in the blocks), then one last
		// registration to know where the replay ends.
		var wg sync.WaitGroup
		for i := range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if i%2 == 0 {
					setProfile(t, uniqueID("Council replay"))
					return
				}
				_, err := documents(t, registry, "clerk").RegisterDocument(ctx(t), docRequest(uniqueID("EVSAME"), apiv1.DocumentType_DOCUMENT_TYPE_OTHER))
				// A registration reads the member list, which a profile's
				// contact change does not write: these never conflict.
				assert.NoError(t, err)
			}()
		}
		wg.Wait()
		last, err := documents(t, registry, "clerk").RegisterDocument(ctx(t), docRequest(uniqueID("EVSAME"), apiv1.DocumentType_DOCUMENT_TYPE_OTHER))
		require.NoError(t, err)

		sctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		stream, err := apiv1.NewEventServiceClient(gw(t, registry, "clerk")).Subscribe(sctx, &apiv1.SubscribeRequest{StartBlock: 1})
		require.NoError(t, err)
		var replayed []*apiv1.Event
		for {
			ev := receive(t, stream)
			replayed = append(replayed, ev)
			if ev.TransactionId == last.Committed.TransactionId {
				break
			}
		}
		peer := peerEvents(t, len(replayed))
		types := map[string]bool{}
		for i, ev := range replayed {
			p := peer[i]
			want := &apiv1.Event{
				Type: p.EventName, PayloadJson: string(p.Payload), TransactionId: p.TransactionID, BlockNumber: p.BlockNumber,
				Checkpoint: &apiv1.Checkpoint{BlockNumber: p.BlockNumber, TransactionId: p.TransactionID},
			}
			require.True(t, proto.Equal(want, ev), "event %d of %d: the peer gives %v, the replay %v", i+1, len(replayed), want, ev)
			types[ev.Type] = true
		}
		invalid := 0
		for b := replayed[0].BlockNumber; b <= replayed[len(replayed)-1].BlockNumber; b++ {
			block, err := apiv1.NewLedgerServiceClient(gw(t, registry, "clerk")).GetBlock(ctx(t), &apiv1.GetBlockRequest{Number: b})
			require.NoError(t, err)
			for _, tx := range block.Transactions {
				if tx.ValidationCode != "VALID" {
					invalid++
				}
			}
		}
		t.Logf("%d events of %d types compared, blocks %d to %d, which hold %d invalid transactions",
			len(replayed), len(types), replayed[0].BlockNumber, replayed[len(replayed)-1].BlockNumber, invalid)
	})
}
