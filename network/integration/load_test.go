//go:build integration

package integration

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"google.golang.org/grpc"
	"google.golang.org/grpc/backoff"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
)

// load registers documents continuously through one administration's
// CivicLedger gateway, as its clerks would, while the membership changes.
// It counts what it offered and what the gateway acknowledged (an OK
// answer comes only once the transaction committed); only acknowledged
// registrations must be on the ledger. A refusal (an endorsement policy or
// an MVCC conflict while the configuration changes, a gateway restarting)
// is counted by code and the worker goes on with a new document.
type load struct {
	issuer  string
	offered atomic.Int64
	began   time.Time
	cancel  context.CancelFunc
	wg      sync.WaitGroup

	mu      sync.Mutex
	acked   []string // document ids the gateway acknowledged
	refused map[codes.Code]int
	marks   []loadMark
}

// loadMark is the number of acknowledged registrations at the end of a
// phase.
type loadMark struct {
	phase string
	acked int
	at    time.Time
}

// startLoad starts workers that register documents of issuer through its
// gateway until stop.
func startLoad(t *testing.T, issuer string, workers int) *load {
	t.Helper()
	// Reconnect quickly after the gateway restarts (down and up).
	conn, err := tn.Conn.DialGateway(issuer, "clerk", grpc.WithConnectParams(grpc.ConnectParams{
		Backoff: backoff.Config{BaseDelay: 200 * time.Millisecond, Multiplier: 1.6, MaxDelay: 2 * time.Second},
	}))
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	l := &load{issuer: issuer, cancel: cancel, refused: map[codes.Code]int{}, began: time.Now()}
	docs := apiv1.NewDocumentsServiceClient(conn)
	prefix := "LOAD-" + time.Now().Format("150405")
	for w := range workers {
		l.wg.Add(1)
		go func() {
			defer l.wg.Done()
			for i := 0; ctx.Err() == nil; i++ {
				pause := 50 * time.Millisecond // leave the shared machine some air
				if err := l.register(ctx, docs, fmt.Sprintf("%s-%d-%d", prefix, w, i)); status.Code(err) == codes.Unavailable {
					pause = 500 * time.Millisecond // the gateway is down (down and up)
				}
				select {
				case <-ctx.Done():
				case <-time.After(pause):
				}
			}
		}()
	}
	t.Cleanup(func() { l.stop(); conn.Close() })
	return l
}

// register offers one registration and records the gateway's answer.
func (l *load) register(ctx context.Context, docs apiv1.DocumentsServiceClient, id string) error {
	l.offered.Add(1)
	callCtx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	_, err := docs.RegisterDocument(callCtx, loadDocument(id))
	l.mu.Lock()
	defer l.mu.Unlock()
	if err != nil {
		l.refused[status.Code(err)]++
		return err
	}
	l.acked = append(l.acked, id)
	return nil
}

// stop stops the workers and waits for their last call.
func (l *load) stop() {
	l.cancel()
	l.wg.Wait()
}

// acknowledged is a copy of the acknowledged ids.
func (l *load) acknowledged() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.acked...)
}

// String reports the counts for the test log.
func (l *load) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return fmt.Sprintf("offered %d, acknowledged %d, not acknowledged %v", l.offered.Load(), len(l.acked), l.refused)
}

// loadDocument is a registration valid from an hour ago for a year.
func loadDocument(id string) *apiv1.RegisterDocumentRequest {
	now := time.Now().UTC()
	return &apiv1.RegisterDocumentRequest{
		Id: id, Type: apiv1.DocumentType_DOCUMENT_TYPE_PERMIT, Sha256: hexHash("permit " + id),
		KeyFacts:  map[string]string{"zone": "B"},
		ValidFrom: now.Add(-time.Hour).Format(time.RFC3339), ValidUntil: now.AddDate(1, 0, 0).Format(time.RFC3339),
		SubjectRef: hexHash("salt:" + id),
	}
}

// missing returns the acknowledged documents that another
// administration's gateway does not find on the ledger.
func (l *load) missing(t *testing.T, readerMSP string) []string {
	t.Helper()
	conn, err := tn.Conn.DialGateway(readerMSP, "clerk")
	require.NoError(t, err)
	defer conn.Close()
	docs := apiv1.NewDocumentsServiceClient(conn)
	var lost []string
	for _, id := range l.acknowledged() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		d, err := docs.GetDocument(ctx, &apiv1.GetDocumentRequest{Issuer: l.issuer, Id: id})
		cancel()
		if status.Code(err) == codes.NotFound {
			lost = append(lost, id)
			continue
		}
		require.NoError(t, err, "read acknowledged document %s", id)
		require.Equal(t, hexHash("permit "+id), d.Sha256, "document %s", id)
	}
	return lost
}

// mark records how many registrations were acknowledged by the end of a
// phase of the test.
func (l *load) mark(phase string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.marks = append(l.marks, loadMark{phase, len(l.acked), time.Now()})
}

// phases is the number of registrations acknowledged in each phase: until
// the first mark, between marks, and after the last.
func (l *load) phases() map[string]int {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := map[string]int{}
	prev := 0
	for _, m := range l.marks {
		out["until "+m.phase] = m.acked - prev
		prev = m.acked
	}
	if len(l.marks) > 0 {
		out["after "+l.marks[len(l.marks)-1].phase] = len(l.acked) - prev
	}
	return out
}

// rates is the registrations acknowledged per second in each phase that
// ends with a mark, in order, and each as a ratio to the first: a phase's
// throughput next to the same load's before any fault, measured in the
// same run.
func (l *load) rates() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []string
	var base float64
	prev := loadMark{acked: 0, at: l.began}
	for i, m := range l.marks {
		rate := float64(m.acked-prev.acked) / m.at.Sub(prev.at).Seconds()
		if i == 0 {
			base = rate
		}
		out = append(out, fmt.Sprintf("until %s: %d in %.1fs, %.1f/s (%.2f×)", m.phase, m.acked-prev.acked, m.at.Sub(prev.at).Seconds(), rate, rate/base))
		prev = m
	}
	return out
}

// waitMore waits until n more registrations have been acknowledged.
func (l *load) waitMore(t *testing.T, n int, within time.Duration) {
	t.Helper()
	start := len(l.acknowledged())
	require.Eventually(t, func() bool { return len(l.acknowledged()) >= start+n }, within, 100*time.Millisecond,
		"fewer than %d registrations acknowledged in %s (%s)", n, within, l)
}
