package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"strconv"
	"time"

	"google.golang.org/grpc"

	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
	"github.com/civicledger/civicledger/gateway/ledgerctl"
	"github.com/civicledger/civicledger/network"
	"github.com/civicledger/civicledger/network/connfile"
)

// grower grows the register of one network and measures it.
type grower struct {
	net      *network.Network
	o        options
	imported int // documents registered by import: imp-0 … imp-(imported-1)
	live     int // documents registered one by one by the latency loops
	cc       *grpc.ClientConn
	docs     apiv1.DocumentsServiceClient
}

func newGrower(net *network.Network, o options) (*grower, error) {
	g := &grower{net: net, o: o}
	return g, g.dial()
}

func (g *grower) dial() error {
	conn, err := connfile.Load(g.net.ConnectionFile())
	if err != nil {
		return err
	}
	cc, err := conn.DialGateway(org, user)
	if err != nil {
		return err
	}
	g.cc, g.docs = cc, apiv1.NewDocumentsServiceClient(cc)
	return nil
}

func (g *grower) close() {
	if g.cc != nil {
		g.cc.Close()
	}
}

// row is what one step measured.
type row struct {
	documents  int // in the register when measured
	importRate float64
	importTime time.Duration
	register   loopResult
	verify     loopResult
	disk       []peerDisk
	memory     []processMemory
	restart    restartResult
}

// step grows the register to target imported documents and measures it.
func (g *grower) step(ctx context.Context, target int) (row, error) {
	var r row
	if n := target - g.imported; n > 0 {
		t := time.Now()
		if err := g.importDocuments(ctx, g.imported, n); err != nil {
			return r, err
		}
		r.importTime = time.Since(t)
		r.importRate = float64(n) / r.importTime.Seconds()
		g.imported = target
	}
	var err error
	if r.register, err = g.registerLoop(ctx); err != nil {
		return r, err
	}
	if r.verify, err = g.verifyLoop(ctx); err != nil {
		return r, err
	}
	r.documents = g.imported + g.live
	if r.disk, err = ledgerSizes(g.net.DataDir()); err != nil {
		return r, err
	}
	r.memory, err = memory(g.net.DataDir())
	return r, err
}

// importDocuments registers documents from … from+n-1 with ledgerctl
// documents import, fed by a generator on a pipe.
func (g *grower) importDocuments(ctx context.Context, from, n int) error {
	pr, pw := io.Pipe()
	go func() { pw.CloseWithError(writeDocuments(pw, from, n)) }()
	var out, errOut bytes.Buffer
	code := ledgerctl.Main([]string{
		"--connection", g.net.ConnectionFile(), "--org", org, "--user", user, "--timeout", "5m", "--json",
		"documents", "import", "-", "--batch", strconv.Itoa(g.o.batch), "--parallel", strconv.Itoa(g.o.parallel), "--progress", "30s",
	}, pr, &out, io.MultiWriter(&errOut, os.Stderr))
	pr.Close()
	if code != ledgerctl.ExitOK {
		return fmt.Errorf("ledgerctl documents import exited %d: %s", code, errOut.String())
	}
	var sum struct {
		Registered, Skipped int
	}
	if err := json.Unmarshal(out.Bytes(), &sum); err != nil {
		return fmt.Errorf("ledgerctl documents import printed %q: %w", out.String(), err)
	}
	if sum.Registered+sum.Skipped != n { // skipped: a batch retried after a lost outcome
		return fmt.Errorf("import registered %d of %d documents (%d skipped)", sum.Registered, n, sum.Skipped)
	}
	return ctx.Err()
}

// documentTypes are cycled through by the generated register.
var documentTypes = []string{"DOCUMENT_TYPE_DEBT_EXTRACT", "DOCUMENT_TYPE_PERMIT", "DOCUMENT_TYPE_CIVIL_STATUS", "DOCUMENT_TYPE_CERTIFICATE"}

// writeDocuments writes the JSON lines of documents from … from+n-1: a
// register issued over ten years with two public key facts, as an
// administration's export would give them.
func writeDocuments(w io.Writer, from, n int) error {
	bw := bufioWriter(w)
	base := time.Date(2016, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := from; i < from+n; i++ {
		issued := base.Add(time.Duration(i%3650) * 24 * time.Hour)
		s := sha256.Sum256([]byte("civicgrowth-subject-" + strconv.Itoa(i)))
		line, err := json.Marshal(map[string]any{
			"id": fmt.Sprintf("imp-%07d", i), "type": documentTypes[i%len(documentTypes)], "sha256": docHash(i),
			"keyFacts":  map[string]string{"register": strconv.Itoa(issued.Year()), "number": strconv.Itoa(i)},
			"validFrom": issued.Format(time.RFC3339), "validUntil": issued.AddDate(10, 0, 0).Format(time.RFC3339),
			"subjectRef": hex.EncodeToString(s[:]),
		})
		if err != nil {
			return err
		}
		if _, err := bw.Write(append(line, '\n')); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// registerLoop registers new documents one per transaction, o.callers at a
// time, and returns their latencies.
func (g *grower) registerLoop(ctx context.Context) (loopResult, error) {
	start := g.imported + g.live
	res := closedLoop(ctx, g.o, func(ctx context.Context, n int) error {
		i := start + n
		s := sha256.Sum256([]byte("civicgrowth-live-subject-" + strconv.Itoa(i)))
		_, err := g.docs.RegisterDocument(ctx, &apiv1.RegisterDocumentRequest{
			Id: fmt.Sprintf("live-%07d", i), Type: apiv1.DocumentType_DOCUMENT_TYPE_CERTIFICATE,
			Sha256: docHash(-1 - i), ValidFrom: "2026-01-01T00:00:00Z", SubjectRef: hex.EncodeToString(s[:]),
		})
		return err
	})
	g.live += res.calls
	return res, res.failure()
}

// verifyLoop verifies imported documents by hash (an evaluation), picked
// at random, and checks each answer names the document.
func (g *grower) verifyLoop(ctx context.Context) (loopResult, error) {
	if g.imported == 0 {
		return loopResult{}, nil
	}
	res := closedLoop(ctx, g.o, func(ctx context.Context, _ int) error {
		i := rand.IntN(g.imported)
		resp, err := g.docs.VerifyDocumentHash(ctx, &apiv1.VerifyDocumentHashRequest{Sha256: docHash(i)})
		if err != nil {
			return err
		}
		if len(resp.Verdicts) != 1 || resp.Verdicts[0].Id != fmt.Sprintf("imp-%07d", i) {
			return fmt.Errorf("verification of imp-%07d answered %v", i, resp.Verdicts)
		}
		return nil
	})
	return res, res.failure()
}

// restartResult is the time to stop the whole network and to start it
// again at its final size, until a verification and a registration work.
type restartResult struct {
	documents   int
	stop, start time.Duration
	firstVerify time.Duration // after start returned
	firstWrite  time.Duration
	memory      []processMemory
}

func (g *grower) restart(ctx context.Context) (restartResult, error) {
	r := restartResult{documents: g.imported + g.live}
	g.close()
	t := time.Now()
	if err := g.net.Down(ctx, false); err != nil {
		return r, err
	}
	r.stop = time.Since(t)
	t = time.Now()
	if err := g.net.Up(ctx); err != nil {
		return r, err
	}
	r.start = time.Since(t)
	if err := g.dial(); err != nil {
		return r, err
	}
	t = time.Now()
	if g.imported > 0 {
		if err := retry(ctx, func(ctx context.Context) error {
			_, err := g.docs.VerifyDocumentHash(ctx, &apiv1.VerifyDocumentHashRequest{Sha256: docHash(g.imported - 1)})
			return err
		}); err != nil {
			return r, err
		}
	}
	r.firstVerify = time.Since(t)
	i := g.imported + g.live
	if err := retry(ctx, func(ctx context.Context) error {
		_, err := g.docs.RegisterDocument(ctx, &apiv1.RegisterDocumentRequest{
			Id: fmt.Sprintf("live-%07d", i), Type: apiv1.DocumentType_DOCUMENT_TYPE_CERTIFICATE,
			Sha256: docHash(-1 - i), ValidFrom: "2026-01-01T00:00:00Z", SubjectRef: docHash(-1 - i),
		})
		return err
	}); err != nil {
		return r, err
	}
	g.live++
	r.firstWrite = time.Since(t)
	var err error
	r.memory, err = memory(g.net.DataDir())
	return r, err
}

// retry calls f until it succeeds, for at most two minutes.
func retry(ctx context.Context, f func(context.Context) error) error {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	for {
		cctx, ccancel := context.WithTimeout(ctx, 10*time.Second)
		err := f(cctx)
		ccancel()
		if err == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%w (last error: %v)", ctx.Err(), err)
		case <-time.After(100 * time.Millisecond):
		}
	}
}
