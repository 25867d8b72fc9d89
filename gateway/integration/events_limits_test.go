//go:build integration

package integration

import (
	"context"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
	"github.com/civicledger/civicledger/gateway/config"
)

// ledgerHeight is the height of Registry's peer's ledger.
func ledgerHeight(t *testing.T) uint64 {
	t.Helper()
	info, err := apiv1.NewLedgerServiceClient(gw(t, registry, "clerk")).GetChainInfo(ctx(t), &apiv1.GetChainInfoRequest{})
	require.NoError(t, err)
	return info.Height
}

// abandon opens n subscriptions of req through Registry's gateway as user,
// lets them settle for a few seconds without an event being read, cancels
// them all and returns the status code each one ended with.
func abandon(t *testing.T, user string, n int, req *apiv1.SubscribeRequest, settle time.Duration) []codes.Code {
	t.Helper()
	conn, err := tn.Conn.DialGateway(registry, user)
	require.NoError(t, err)
	defer conn.Close()
	client := apiv1.NewEventServiceClient(conn)
	sctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	got := make([]codes.Code, n)
	var wg sync.WaitGroup
	for i := range n {
		stream, err := client.Subscribe(sctx, req)
		require.NoError(t, err)
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := stream.Recv()
			got[i] = status.Code(err)
		}()
	}
	time.Sleep(settle)
	cancel()
	wg.Wait()
	return got
}

func count(cs []codes.Code, c codes.Code) int {
	n := 0
	for _, x := range cs {
		if x == c {
			n++
		}
	}
	return n
}

func TestEventSubscriptionLimits(t *testing.T) {
	t.Run("a start block beyond the ledger height is refused with a clear message", func(t *testing.T) {
		height := ledgerHeight(t)
		for name, req := range map[string]*apiv1.SubscribeRequest{
			"start_block":        {StartBlock: height + 10_000},
			"after.block_number": {After: &apiv1.Checkpoint{BlockNumber: height + 10_000, TransactionId: "0123abcd"}},
		} {
			sctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			stream, err := apiv1.NewEventServiceClient(gw(t, registry, "clerk")).Subscribe(sctx, req)
			require.NoError(t, err)
			_, err = stream.Recv()
			cancel()
			requireCode(t, err, codes.OutOfRange)
			require.Contains(t, status.Convert(err).Message(), name)
			require.Contains(t, status.Convert(err).Message(), "beyond the ledger height")
		}
	})

	t.Run("hundreds of abandoned subscriptions leave the administration's other calls and new subscriptions working", func(t *testing.T) {
		height := ledgerHeight(t)
		var wg sync.WaitGroup
		results := map[string][]codes.Code{}
		var mu sync.Mutex
		for name, run := range map[string]func() []codes.Code{
			"beyond the height": func() []codes.Code {
				return abandon(t, "clerk", 300, &apiv1.SubscribeRequest{StartBlock: height + 10_000}, 5*time.Second)
			},
			"live": func() []codes.Code { return abandon(t, "approver", 300, &apiv1.SubscribeRequest{}, 5*time.Second) },
			"replay": func() []codes.Code {
				return abandon(t, "admin", 100, &apiv1.SubscribeRequest{StartBlock: 1, Types: []string{"no-such-event"}}, 5*time.Second)
			},
		} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				got := run()
				mu.Lock()
				results[name] = got
				mu.Unlock()
			}()
		}
		wg.Wait()

		// No block has been committed since: any peer slot an abandoned
		// subscription held would still be held.
		c, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		_, err := documents(t, registry, "clerk").ListDocuments(c, &apiv1.ListDocumentsRequest{Issuer: registry})
		require.NoError(t, err, "Documents:List still works")

		sctx, stop := context.WithTimeout(context.Background(), 2*time.Minute)
		defer stop()
		stream, err := apiv1.NewEventServiceClient(gw(t, registry, "clerk")).Subscribe(sctx, &apiv1.SubscribeRequest{Types: []string{"documents."}})
		require.NoError(t, err)
		time.Sleep(time.Second) // let the subscription reach the shared stream
		resp, err := documents(t, registry, "clerk").RegisterDocument(c, docRequest(uniqueID("EVLIM"), apiv1.DocumentType_DOCUMENT_TYPE_OTHER))
		require.NoError(t, err, "Documents:Register still works")
		for {
			ev := receive(t, stream)
			if ev.TransactionId == resp.Committed.TransactionId {
				break
			}
		}

		for name, got := range results {
			t.Logf("%s: %d served until cancelled, %d OutOfRange, %d ResourceExhausted", name,
				count(got, codes.Canceled), count(got, codes.OutOfRange), count(got, codes.ResourceExhausted))
		}
		beyond := results["beyond the height"]
		require.Positive(t, count(beyond, codes.OutOfRange), "subscriptions beyond the height are refused")
		require.Equal(t, len(beyond), count(beyond, codes.OutOfRange)+count(beyond, codes.ResourceExhausted),
			"no subscription beyond the height is served: each is refused for its block, or for the caller's limit first")
		for _, name := range []string{"live", "replay"} {
			got := results[name]
			require.Positive(t, count(got, codes.Canceled), "%s: some subscriptions were served until cancelled", name)
			require.Equal(t, len(got), count(got, codes.Canceled)+count(got, codes.ResourceExhausted),
				"%s: each subscription was either served or refused for the limit", name)
		}
	})
}

func TestCancelledSubscriptionsLeakNoGoroutine(t *testing.T) {
	org, err := tn.Conn.Org(registry)
	require.NoError(t, err)
	conn := startGateway(t, config.Peer{Address: org.Peer.Address, TLSRootCert: org.TLSRootCert})
	client := apiv1.NewEventServiceClient(conn)

	// replayOne reads the first event of a replay from block 1 (more are
	// on their way) and cancels the subscription.
	replayOne := func(t *testing.T) {
		sctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		stream, err := client.Subscribe(sctx, &apiv1.SubscribeRequest{StartBlock: 1})
		require.NoError(t, err)
		_ = receive(t, stream)
	}
	settled := func() int {
		runtime.GC()
		return runtime.NumGoroutine()
	}

	t.Run("the gateway's goroutine count returns to its baseline after 200 cancelled subscriptions", func(t *testing.T) {
		// Enough events that each replay has more on their way when it is
		// cancelled: 20 registrations, submitted at once, share a few blocks.
		var wg sync.WaitGroup
		for range 20 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := documents(t, registry, "clerk").RegisterDocument(ctx(t), docRequest(uniqueID("EVLEAK"), apiv1.DocumentType_DOCUMENT_TYPE_OTHER))
				assert.NoError(t, err)
			}()
		}
		wg.Wait()
		replayOne(t) // warm up connections and sessions
		time.Sleep(2 * time.Second)
		baseline := settled()
		for range 200 {
			replayOne(t)
		}
		const tolerance = 10
		now := settled()
		for deadline := time.Now().Add(20 * time.Second); now > baseline+tolerance && time.Now().Before(deadline); now = settled() {
			time.Sleep(200 * time.Millisecond)
		}
		t.Logf("goroutines: baseline %d, 20 s after 200 cancelled replays at most %d", baseline, now)
		require.LessOrEqual(t, now, baseline+tolerance, "goroutines leaked by cancelled subscriptions")
	})
}
