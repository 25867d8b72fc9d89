//go:build integration

// Package loadtest measures the transparency portal under concurrent
// clients: verification by hash (from the index, proved current to the
// ledger once a second; and an unknown hash, which the ledger answers) and
// a register page over an index of 100,000 documents, at 1, 20 and 200
// closed-loop clients, each beside a baseline served by the same server in
// the same run (the portal's style sheet: the HTTP stack, the security
// headers and nothing else). It starts a real network, so it is opt-in:
//
//	CIVIC_PORTAL_LOADTEST=1 go test -tags integration -count=1 -v -timeout 30m ./gateway/portal/loadtest
//
// The portal under test is built in-process on the network's portal
// identity and host peer (the real ledger), with an index holding 100,000
// synthetic documents plus the one real document it verifies.
package loadtest

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hyperledger/fabric-gateway/pkg/client"
	"github.com/spf13/pflag"
	"github.com/stretchr/testify/require"

	"github.com/civicledger/civicledger/chaincode/records"
	"github.com/civicledger/civicledger/chaincode/spec"
	"github.com/civicledger/civicledger/gateway/config"
	"github.com/civicledger/civicledger/gateway/portal"
	"github.com/civicledger/civicledger/gateway/portal/index"
	"github.com/civicledger/civicledger/gateway/portal/ledger"
	"github.com/civicledger/civicledger/network/testnet"
)

// EnvLoadTest opts in to the load test.
const EnvLoadTest = "CIVIC_PORTAL_LOADTEST"

var tn *testnet.Network

func TestMain(m *testing.M) {
	if os.Getenv(EnvLoadTest) == "" {
		fmt.Printf("loadtest: not run; set %s=1 to start a network and measure the portal\n", EnvLoadTest)
		os.Exit(0)
	}
	os.Exit(testnet.Main(m, &tn, nil))
}

// sha is a synthetic document's hash.
func sha(n int) string { return fmt.Sprintf("%064x", n) }

// fillIndex writes 100,000 synthetic documents over three administrations,
// and the real document, into a fresh index.
func fillIndex(t *testing.T, real records.Document) *index.Index {
	t.Helper()
	ctx := context.Background()
	x, err := index.Open(ctx, filepath.Join(t.TempDir(), "index.db"))
	require.NoError(t, err)
	t.Cleanup(func() { x.Close() })
	const docs, perBlock = 100_000, 1000
	for n := range docs / perBlock {
		tx := index.Transaction{TxID: fmt.Sprintf("tx%d", n), Kind: "endorser", Function: spec.DocumentsRegister, MSPID: "RegistryMSP", Code: "VALID"}
		for i := range perBlock {
			k := n*perBlock + i
			status := spec.DocumentValid
			if i%10 == 0 {
				status = spec.DocumentRevoked
			}
			tx.Documents = append(tx.Documents, records.Document{Issuer: []string{"RegistryMSP", "TreasuryMSP", "CouncilMSP"}[i%3],
				ID: fmt.Sprintf("DOC-%07d", k), Type: spec.DocumentTypes[i%len(spec.DocumentTypes)], SHA256: sha(k),
				ValidFrom: "2024-01-01T00:00:00Z", Status: status, RegisteredAt: "2024-01-01T00:00:00Z"})
		}
		if n == docs/perBlock-1 {
			tx.Documents = append(tx.Documents, real)
		}
		require.NoError(t, x.Apply(ctx, index.Block{Number: uint64(n), Transactions: []index.Transaction{tx}}))
	}
	return x
}

// portalServer serves a portal reading the network's ledger with the
// network's portal identity, and x.
func portalServer(t *testing.T, x *index.Index) *httptest.Server {
	t.Helper()
	fs := pflag.NewFlagSet("portal", pflag.ContinueOnError)
	fs.String("config", filepath.Join(filepath.Dir(tn.PortalIndex()), "config.yaml"), "")
	cfg, err := config.LoadPortal(fs)
	require.NoError(t, err)
	peers := make([]ledger.Peer, len(cfg.Peers))
	for i, p := range cfg.Peers {
		peers[i] = ledger.Peer{Address: p.Address, TLSRootCert: p.TLSRootCert}
	}
	l, err := ledger.Dial(ledger.Settings{Channel: cfg.Channel, Chaincode: cfg.Chaincode, MSPID: cfg.MSPID,
		CertFile: cfg.Identity.Cert, KeyFile: cfg.Identity.Key, Peers: peers, Timeout: cfg.Timeouts.Evaluate})
	require.NoError(t, err)
	t.Cleanup(func() { l.Close() })
	// Failures are logged, so that a 503 under load says why.
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	s, err := portal.New(l, x, cfg.Channel, portal.WithTimeout(30*time.Second), portal.WithLogger(log))
	require.NoError(t, err)
	// The synthetic index is made as long as the ledger, then proved
	// current once a second, as civicportal does.
	ctx, cancel := context.WithCancel(context.Background())
	height, err := l.Height(ctx)
	require.NoError(t, err)
	next, err := x.NextBlock(ctx)
	require.NoError(t, err)
	for ; next < height; next++ {
		require.NoError(t, x.Apply(ctx, index.Block{Number: next}))
	}
	done := make(chan struct{})
	go func() { defer close(done); s.FollowTip(ctx, time.Second) }()
	t.Cleanup(func() { cancel(); <-done })
	require.Eventually(t, func() bool { return s.CheckTip(ctx) == nil }, time.Minute, 100*time.Millisecond)
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	return srv
}

// registerReal registers a document as the Registry's clerk and returns its
// record as the ledger holds it.
func registerReal(t *testing.T) records.Document {
	t.Helper()
	id := fmt.Sprintf("LOAD-%d", time.Now().UnixNano())
	in, err := json.Marshal(records.DocumentRegistration{ID: id, Type: "permit", SHA256: sha(999_999_999),
		ValidFrom: "2024-01-01T00:00:00Z", SubjectRef: sha(1)})
	require.NoError(t, err)
	c, err := tn.Contract("RegistryMSP", "clerk")
	require.NoError(t, err)
	_, err = c.Submit(spec.DocumentsRegister, client.WithArguments(string(in)))
	require.NoError(t, err)
	raw, err := c.Evaluate(spec.DocumentsGet, client.WithArguments("RegistryMSP", id))
	require.NoError(t, err)
	var d records.Document
	require.NoError(t, json.Unmarshal(raw, &d))
	return d
}

// result is one endpoint at one concurrency.
type result struct {
	requests      int
	p50, p99, max time.Duration
	perSecond     float64
}

// run sends total requests from clients closed-loop clients, each to the
// URL that url draws (with the client's own random source), checks each
// answer with ok, and returns the latency percentiles.
func run(t *testing.T, hc *http.Client, url func(*rand.Rand) string, clients, total int, ok func(int, []byte) error) result {
	t.Helper()
	var mu sync.Mutex
	var lat []time.Duration
	var firstErr error
	jobs := make(chan struct{}, total)
	for range total {
		jobs <- struct{}{}
	}
	close(jobs)
	began := time.Now()
	var wg sync.WaitGroup
	for c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(c), uint64(total)))
			for range jobs {
				u := url(rng)
				start := time.Now()
				resp, err := hc.Get(u)
				var body []byte
				if err == nil {
					body, err = io.ReadAll(resp.Body)
					resp.Body.Close()
				}
				d := time.Since(start)
				if err == nil {
					if err = ok(resp.StatusCode, body); err != nil {
						err = fmt.Errorf("%s: %w", u, err)
					}
				}
				mu.Lock()
				lat = append(lat, d)
				if err != nil && firstErr == nil {
					firstErr = err
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(began)
	require.NoError(t, firstErr)
	slices.Sort(lat)
	at := func(q float64) time.Duration { return lat[min(len(lat)-1, int(q*float64(len(lat))))] }
	return result{requests: len(lat), p50: at(0.50), p99: at(0.99), max: lat[len(lat)-1], perSecond: float64(len(lat)) / elapsed.Seconds()}
}

func status200(code int, _ []byte) error {
	if code != http.StatusOK {
		return fmt.Errorf("status %d", code)
	}
	return nil
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f", float64(d.Microseconds())/1000) }

func TestPortalUnderLoad(t *testing.T) {
	real := registerReal(t)
	x := fillIndex(t, real)
	srv := portalServer(t, x)
	hc := &http.Client{Timeout: time.Minute, Transport: &http.Transport{MaxIdleConnsPerHost: 256, MaxConnsPerHost: 256}}

	validVerdict := func(code int, body []byte) error {
		if code != http.StatusOK || !strings.Contains(string(body), `"status": "valid"`) || !strings.Contains(string(body), real.ID) ||
			!strings.Contains(string(body), `"source": "index"`) {
			return fmt.Errorf("verify answered %d: %.200s", code, body)
		}
		return nil
	}
	unknownVerdict := func(code int, body []byte) error {
		if code != http.StatusOK || !strings.Contains(string(body), `"status": "unknown"`) || !strings.Contains(string(body), `"source": "ledger"`) {
			return fmt.Errorf("verify answered %d: %.200s", code, body)
		}
		return nil
	}
	registerPage := func(code int, body []byte) error {
		if code != http.StatusOK || !strings.Contains(string(body), "DOC-") {
			return fmt.Errorf("register answered %d: %.200s", code, body)
		}
		return nil
	}
	registerJSON := func(code int, body []byte) error {
		if code != http.StatusOK || !strings.Contains(string(body), `"documents": [`) || !strings.Contains(string(body), `"id": "DOC-`) {
			return fmt.Errorf("register answered %d: %.200s", code, body)
		}
		return nil
	}
	fixed := func(path string) func(*rand.Rand) string { return func(*rand.Rand) string { return path } }
	endpoints := []struct {
		name string
		url  func(*rand.Rand) string
		ok   func(int, []byte) error
	}{
		{"baseline: style sheet", fixed("/assets/style.css"), status200},
		{"verify by hash (JSON, index)", fixed("/api/v1/verify?sha256=" + real.SHA256), validVerdict},
		{"verify by hash (JSON, unknown hash: ledger)", fixed("/api/v1/verify?sha256=" + sha(888_888_888)), unknownVerdict},
		{"verify by hash (page)", fixed("/verify/hash?sha256=" + real.SHA256), func(code int, body []byte) error {
			if code != http.StatusOK || !strings.Contains(string(body), real.ID) {
				return fmt.Errorf("verify page answered %d", code)
			}
			return nil
		}},
		{"register, first page of 50 (cached until the next block)", fixed("/registers/documents"), registerPage},
		{"register, a random page of 50 (keyset)", func(r *rand.Rand) string { return "/registers/documents?" + randomCursor(r, "") }, registerPage},
		{"register, random filter and page", randomFilteredPage, registerPage},
		{"register as JSON, random filter and page", func(r *rand.Rand) string {
			return strings.Replace(randomFilteredPage(r), "/registers/documents?", "/registers/documents.json?", 1)
		}, registerJSON},
	}
	// Pages and cursors drawn at random across the index: no two requests
	// of a level are likely to ask for the same page, so neither the
	// portal nor SQLite answers them from a page already made.
	distinct := map[string]bool{}
	for c := range 200 {
		rng := rand.New(rand.NewPCG(uint64(c), 1000))
		for range 5 {
			distinct[randomFilteredPage(rng)] = true
		}
	}
	t.Logf("random filtered pages: %d distinct URLs in 1,000 draws", len(distinct))
	load := func() string {
		b, _ := os.ReadFile("/proc/loadavg")
		return strings.Join(strings.Fields(string(b))[:3], " ")
	}
	began := load()
	var table strings.Builder
	fmt.Fprintf(&table, "| clients | request | requests | req/s | p50 ms | p99 ms | max ms | p99 ÷ baseline p99 |\n|---|---|---|---|---|---|---|---|\n")
	for _, clients := range []int{1, 20, 200} {
		total := max(400, clients*5)
		var base result
		for _, e := range endpoints {
			// A warm-up pass opens the connections and fills the caches.
			url := func(r *rand.Rand) string { return srv.URL + e.url(r) }
			run(t, hc, url, clients, clients, e.ok)
			r := run(t, hc, url, clients, total, e.ok)
			if base.requests == 0 {
				base = r
			}
			fmt.Fprintf(&table, "| %d | %s | %d | %.0f | %s | %s | %s | %.1f |\n", clients, e.name, r.requests, r.perSecond,
				ms(r.p50), ms(r.p99), ms(r.max), float64(r.p99)/float64(base.p99))
		}
	}
	t.Logf("portal under load, %s, GOMAXPROCS=%d, load average %s before and %s after, 100,000 documents in the index:\n%s",
		time.Now().UTC().Format("2006-01-02 15:04 MST"), runtime.GOMAXPROCS(0), began, load(), table.String())
}

// issuers are the synthetic documents' administrations, in the register's
// order.
var issuers = []string{"CouncilMSP", "RegistryMSP", "TreasuryMSP"}

// randomCursor is ?after= or ?before= a random key of issuer's rows (of a
// random administration when issuer is empty), far enough from the ends
// of the 100,000 ids for a page of rows to follow (or precede) it.
func randomCursor(r *rand.Rand, issuer string) string {
	if issuer == "" {
		issuer = issuers[r.IntN(len(issuers))]
	}
	dir := "after"
	if r.IntN(4) == 0 {
		dir = "before"
	}
	return fmt.Sprintf("%s=%s~DOC-%07d", dir, issuer, 5_000+r.IntN(90_000))
}

// randomFilteredPage is a documents register page of a random filter (by
// administration, type and status, as the page's form makes them) at a
// random cursor. Every filter selects thousands of documents.
func randomFilteredPage(r *rand.Rand) string {
	issuer := issuers[r.IntN(len(issuers))]
	typ := spec.DocumentTypes[r.IntN(len(spec.DocumentTypes))]
	var q string
	switch r.IntN(5) {
	case 0:
		q = "issuer=" + issuer + "&type=" + typ + "&status=valid"
	case 1:
		// Every tenth document is revoked, all of the first type.
		q = "issuer=" + issuer + "&type=" + spec.DocumentTypes[0] + "&status=revoked"
	case 2:
		q = "issuer=" + issuer
	case 3:
		q, issuer = "type="+typ, ""
	default:
		q, issuer = "status=valid", ""
	}
	return "/registers/documents?" + q + "&" + randomCursor(r, issuer)
}
