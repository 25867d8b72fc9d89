//go:build integration

package integration

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc"
	"google.golang.org/grpc/backoff"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
	"github.com/civicledger/civicledger/gateway/proofs/receipt"
)

// TestFaultsUnderLoad crashes nodes while Registry's clerks register
// documents through its gateway, then checks that every registration the
// gateway acknowledged is on the ledger: the Raft leader's orderer is
// killed, another administration's gateway is killed under its own
// retrying clients, and the whole network is stopped and started.
func TestFaultsUnderLoad(t *testing.T) {
	if !tn.Owned() {
		t.Skip("kills nodes and restarts the network: runs only on a network the test started, not on $CIVIC_NETWORK")
	}
	began := time.Now()
	l := startLoad(t, registry, 2)
	l.waitMore(t, 3, time.Minute)
	l.mark("started")

	// After each fault the load must commit again: three more
	// registrations acknowledged through Registry's gateway.
	fault := func(mark, name string, f func(t *testing.T)) {
		t.Run(name, func(t *testing.T) {
			f(t)
			l.waitMore(t, 3, 2*time.Minute)
		})
		l.mark(mark)
	}
	fault("leader killed", "the Raft leader's orderer is killed: another is elected, commits resume, it catches up", leaderKilled)
	fault("cut off", "an administration is cut off: the two others commit on, and once reconnected it catches up", cutOff)
	fault("peer killed", "a peer is killed: its gateway fails over to the administration's second peer, each document once", peerKilled)
	fault("gateway killed", "a gateway is killed mid-call: clients retrying with their idempotency key register each document once", gatewayKilled)
	fault("restarted", "the whole network is stopped and started: records intact, receipts verify", networkRestarted)

	t.Run("no registration the gateway acknowledged is lost", func(t *testing.T) {
		l.waitMore(t, 3, time.Minute)
		l.stop()
		lost := l.missing(t, council)
		t.Logf("registration load over %.0fs through %s's gateway: %s; acknowledged per phase %v; read back through %s's gateway: %d on the ledger, %d lost",
			time.Since(began).Seconds(), registry, l, l.phases(), council, len(l.acknowledged())-len(lost), len(lost))
		for _, r := range l.rates() {
			t.Logf("  %s", r)
		}
		require.Empty(t, lost, "acknowledged registrations missing from the ledger")
		for phase, n := range l.phases() {
			require.Positive(t, n, "no registration was acknowledged %s: the load did not run throughout", phase)
		}
	})
}

// leaderKilled kills the orderer that leads Raft (SIGKILL, no clean
// shutdown) and measures how long until a registration submitted after
// the kill commits.
func leaderKilled(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	docs := apiv1.NewDocumentsServiceClient(gatewayConn(t, council, "clerk"))
	// The same registration with every orderer up, for comparison.
	start := time.Now()
	_, err := docs.RegisterDocument(ctx, loadDocument(fmt.Sprintf("PROBE-%d", start.UnixNano())))
	require.NoError(t, err)
	baseline := time.Since(start)

	leader := raftLeader(t, ctx, "")
	killed := time.Now()
	require.NoError(t, tn.KillOrderer(ctx, leader))
	probe := 0
	require.EventuallyWithT(t, func(c *assert.CollectT) {
		probe++
		callCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		_, err := docs.RegisterDocument(callCtx, loadDocument(fmt.Sprintf("PROBE-%d-%d", killed.UnixNano(), probe)))
		require.NoError(c, err)
	}, 2*time.Minute, 200*time.Millisecond, "no registration committed after %s's orderer, the Raft leader, was killed", leader)
	resumed := time.Since(killed)
	next := raftLeader(t, ctx, leader)
	t.Logf("killed %s's orderer, the Raft leader; %s's leads now; a registration submitted after the kill committed %.1fs later (%d attempts; %.2fs with every orderer up, %.0f×)",
		leader, next, resumed.Seconds(), probe, baseline.Seconds(), resumed.Seconds()/baseline.Seconds())

	require.NoError(t, tn.StartOrderer(ctx, leader), "the killed orderer restarts and catches up")
}

// raftLeader waits until exactly one orderer other than not reports that
// it leads the channel's Raft cluster, and returns its administration.
func raftLeader(t *testing.T, ctx context.Context, not string) string {
	t.Helper()
	var leader string
	require.EventuallyWithT(t, func(c *assert.CollectT) {
		var leaders []string
		for _, o := range tn.Conn.Orgs {
			if o.MSPID == not {
				continue
			}
			v, err := metric(ctx, o.Orderer.Operations, "consensus_etcdraft_is_leader", `channel="`+tn.Conn.Channel+`"`)
			require.NoError(c, err)
			if v == 1 {
				leaders = append(leaders, o.MSPID)
			}
		}
		require.Len(c, leaders, 1, "orderers that lead")
		leader = leaders[0]
	}, time.Minute, 200*time.Millisecond)
	return leader
}

// cutOff takes Council's link down (its nodes run on, alone on their host)
// while Registry's load goes on, then restores it and checks that Council's
// peer reaches the others' height and holds what was registered meanwhile.
func cutOff(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	// A document registered before the cut, known to Council, and one
	// during it, which Council must learn once it is back.
	registerThroughGateway(t, registry, fmt.Sprintf("BEFORE-CUT-%d", time.Now().UnixNano()))
	require.NoError(t, tn.Disconnect(ctx, council))
	reconnected := false
	defer func() {
		if !reconnected {
			_ = tn.Reconnect(context.Background(), council)
		}
	}()
	cut := time.Now()
	// A clerk retries a registration that timed out, with the same
	// idempotency key: the first attempts may wait on Council's silent
	// peers until the Gateway gives up on them (endorsementTimeout).
	during := fmt.Sprintf("DURING-CUT-%d", time.Now().UnixNano())
	docs := apiv1.NewDocumentsServiceClient(gatewayConn(t, registry, "clerk"))
	attempts := 0
	require.EventuallyWithT(t, func(c *assert.CollectT) {
		attempts++
		callCtx := metadata.AppendToOutgoingContext(ctx, "idempotency-key", during)
		_, err := docs.RegisterDocument(callCtx, loadDocument(during))
		if status.Code(err) == codes.AlreadyExists && attempts > 1 {
			return // an earlier attempt committed after its caller gave up
		}
		require.NoError(c, err)
	}, 2*time.Minute, 200*time.Millisecond, "%s registers while %s is cut off", registry, council)
	t.Logf("with %s cut off, %s registered a document in %.1fs (%d attempts)", council, registry, time.Since(cut).Seconds(), attempts)
	councilOrg, err := tn.Conn.Org(council)
	require.NoError(t, err)
	_, err = metric(ctx, councilOrg.Peer.Operations, "ledger_blockchain_height", "")
	require.Error(t, err, "%s's peer is still reachable: the cut did not cut", council)

	require.NoError(t, tn.Reconnect(ctx, council))
	reconnected = true
	back := time.Now()
	registryOrg, err := tn.Conn.Org(registry)
	require.NoError(t, err)
	require.EventuallyWithT(t, func(c *assert.CollectT) {
		want, err := metric(ctx, registryOrg.Peer.Operations, "ledger_blockchain_height", `channel="`+tn.Conn.Channel+`"`)
		require.NoError(c, err)
		got, err := metric(ctx, councilOrg.Peer.Operations, "ledger_blockchain_height", `channel="`+tn.Conn.Channel+`"`)
		require.NoError(c, err)
		require.GreaterOrEqual(c, got, want, "%s's peer height", council)
	}, 2*time.Minute, 500*time.Millisecond)
	d, err := apiv1.NewDocumentsServiceClient(gatewayConn(t, council, "clerk")).GetDocument(ctx,
		&apiv1.GetDocumentRequest{Issuer: registry, Id: during})
	require.NoError(t, err, "%s's gateway reads the document registered while it was cut off", council)
	require.Equal(t, hexHash("permit "+during), d.Sha256)
	t.Logf("%s cut off for %.1fs; reconnected, its peer caught up in %.1fs", council, back.Sub(cut).Seconds(), time.Since(back).Seconds())
}

// gatewayKilled kills Council's gateway under clients that retry each
// registration with its idempotency key until they get an answer, and
// starts it again. The gateway's idempotency cache dies with it: a retry
// whose first attempt had committed is told AlreadyExists by the chaincode
// and finds the document as it sent it.
func gatewayKilled(t *testing.T) {
	retryingThrough(t, "its gateway killed and restarted", func(ctx context.Context, r *retrying) {
		require.NoError(t, tn.KillGateway(ctx, council))
		time.Sleep(time.Second) // clients find nobody listening
		require.NoError(t, tn.StartGateway(ctx, council))
	})
}

// peerKilled kills Council's first peer under the same clients: its
// gateway, which lists Council's second peer, goes on through it.
func peerKilled(t *testing.T) {
	retryingThrough(t, "its first peer killed, then restarted", func(ctx context.Context, r *retrying) {
		require.NoError(t, tn.KillPeer(ctx, council))
		before := r.answered()
		require.Eventually(t, func() bool { return r.answered() >= before+3 }, time.Minute, 100*time.Millisecond,
			"registrations through %s's gateway go on through its second peer", council)
		require.NoError(t, tn.StartPeer(ctx, council))
	})
}

// retryingThrough runs two retrying clients through Council's gateway,
// disrupts it, and checks that each document the clients got an answer
// for is on the ledger exactly once.
func retryingThrough(t *testing.T, what string, disrupt func(ctx context.Context, r *retrying)) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	conn, err := tn.Conn.DialGateway(council, "clerk", grpc.WithConnectParams(grpc.ConnectParams{
		Backoff: backoff.Config{BaseDelay: 200 * time.Millisecond, Multiplier: 1.6, MaxDelay: 2 * time.Second},
	}))
	require.NoError(t, err)
	defer conn.Close()
	r := &retrying{docs: apiv1.NewDocumentsServiceClient(conn), outcome: map[string]string{}}
	load, stop := context.WithCancel(ctx)
	var wg sync.WaitGroup
	prefix := fmt.Sprintf("RETRY-%d", time.Now().UnixNano())
	for w := range 2 {
		wg.Go(func() {
			for i := 0; load.Err() == nil; i++ {
				r.register(load, fmt.Sprintf("%s-%d-%d", prefix, w, i))
			}
		})
	}
	require.Eventually(t, func() bool { return r.count("registered") >= 2 }, time.Minute, 100*time.Millisecond)

	disrupt(ctx, r)
	before := r.answered()
	require.Eventually(t, func() bool { return r.answered() >= before+2 },
		time.Minute, 100*time.Millisecond, "the clients register again after the disruption")
	stop()
	wg.Wait()

	r.mu.Lock()
	defer r.mu.Unlock()
	t.Logf("retrying clients through %s's gateway, %s: %d documents, %v, %d calls retried",
		council, what, len(r.outcome), r.tally(), r.retries)
	reader := apiv1.NewDocumentsServiceClient(gatewayConn(t, treasury, "clerk"))
	for id, outcome := range r.outcome {
		if outcome == "stopped" {
			continue // the test ended it before any answer; it may or may not be on the ledger
		}
		require.Contains(t, []string{"registered", "already registered"}, outcome, "document %s", id)
		h, err := reader.GetDocumentHistory(ctx, &apiv1.GetDocumentHistoryRequest{Issuer: council, Id: id})
		require.NoError(t, err, "document %s", id)
		require.Len(t, h.Versions, 1, "document %s is on the ledger exactly once", id)
	}
}

// retrying registers documents as a careful client does: each call carries
// the document id as its idempotency key and is repeated, unchanged, while
// the answer is unknown (the gateway is gone or the call timed out).
type retrying struct {
	docs    apiv1.DocumentsServiceClient
	mu      sync.Mutex
	outcome map[string]string // by document id
	retries int
}

func (r *retrying) register(ctx context.Context, id string) {
	req := loadDocument(id)
	outcome := "stopped"
	for attempt := 0; ctx.Err() == nil; attempt++ {
		callCtx, cancel := context.WithTimeout(metadata.AppendToOutgoingContext(ctx, "idempotency-key", id), 30*time.Second)
		_, err := r.docs.RegisterDocument(callCtx, req)
		cancel()
		code := status.Code(err)
		if code == codes.OK {
			outcome = "registered"
			break
		}
		if code == codes.AlreadyExists && attempt > 0 {
			outcome = "already registered"
			break
		}
		if ctx.Err() != nil {
			break
		}
		if code != codes.Unavailable && code != codes.DeadlineExceeded && code != codes.Unknown && code != codes.Aborted {
			outcome = "refused: " + err.Error()
			break
		}
		r.mu.Lock()
		r.retries++
		r.mu.Unlock()
		time.Sleep(200 * time.Millisecond)
	}
	r.mu.Lock()
	r.outcome[id] = outcome
	r.mu.Unlock()
}

// answered counts the documents that got an answer: registered, now or
// by an earlier attempt.
func (r *retrying) answered() int { return r.count("registered") + r.count("already registered") }

func (r *retrying) count(outcome string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for _, o := range r.outcome {
		if o == outcome {
			n++
		}
	}
	return n
}

// tally counts documents by outcome; the caller holds r.mu.
func (r *retrying) tally() map[string]int {
	out := map[string]int{}
	for _, o := range r.outcome {
		out[o]++
	}
	return out
}

// networkRestarted registers documents at Council, stops every process of
// the network and starts it again, then checks each document and exports
// its transaction's receipt, verified offline against the trust file.
func networkRestarted(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	ids := []string{}
	committed := map[string]*apiv1.Committed{}
	for i := range 3 {
		id := fmt.Sprintf("KEPT-%d-%d", time.Now().UnixNano(), i)
		ids = append(ids, id)
		committed[id] = registerThroughGateway(t, council, id)
	}

	stopped := time.Now()
	require.NoError(t, tn.Down(ctx, false))
	require.NoError(t, tn.Up(ctx))
	t.Logf("down and up took %.1fs", time.Since(stopped).Seconds())

	ledger := apiv1.NewLedgerServiceClient(gatewayConn(t, treasury, "clerk"))
	docs := apiv1.NewDocumentsServiceClient(gatewayConn(t, treasury, "clerk"))
	tr, err := ledger.GetTrust(ctx, &apiv1.GetTrustRequest{})
	require.NoError(t, err)
	trust, err := receipt.ParseTrust(tr.Trust)
	require.NoError(t, err)
	for _, id := range ids {
		d, err := docs.GetDocument(ctx, &apiv1.GetDocumentRequest{Issuer: council, Id: id})
		require.NoError(t, err, "document %s after the restart", id)
		require.Equal(t, hexHash("permit "+id), d.Sha256)

		got, err := ledger.GetReceipt(ctx, &apiv1.GetReceiptRequest{TransactionId: committed[id].TransactionId})
		require.NoError(t, err, "receipt of %s", id)
		require.Equal(t, committed[id].BlockNumber, got.BlockNumber)
		rc, err := receipt.Parse(got.Receipt)
		require.NoError(t, err)
		rep := receipt.Verify(rc, trust)
		require.True(t, rep.Valid(), "receipt of %s: %+v", id, rep.Checks)
		require.Equal(t, council, rep.Creator.MSPID)
	}
}
