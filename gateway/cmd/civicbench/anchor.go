package main

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"google.golang.org/protobuf/proto"

	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
	"github.com/civicledger/civicledger/gateway/proofs/merkle"
	"github.com/civicledger/civicledger/network/connfile"
)

// hashesPerMessage keeps each AnchorBatch request near 128 KiB.
const hashesPerMessage = 4096

// anchorResult is what the anchoring mode measured.
type anchorResult struct {
	latencies []time.Duration
	already   int
	respBytes int64 // proto bytes the gateway sent, all batches
	errors    int64
	firstErr  error
	elapsed   time.Duration
}

// runAnchor measures AnchorService.AnchorBatch: o.concurrency streams, each
// sending batches of o.batch fresh hashes in a closed loop, and prints the
// anchored hashes per second, transactions per second, batch latency and
// the proof size for that batch size.
func runAnchor(conn connfile.Connection, o options) error {
	cc, err := conn.DialGateway(o.org, o.user)
	if err != nil {
		return err
	}
	defer cc.Close()
	client := apiv1.NewAnchorServiceClient(cc)
	fmt.Printf("batch anchoring, %d concurrent streams, batches of %d hashes, %s (after %s warm-up), as %s of %s\n\n",
		o.concurrency, o.batch, o.duration, o.warmup, o.user, o.org)
	if o.warmup > 0 {
		anchorLoop(client, o, o.warmup)
	}
	r := anchorLoop(client, o, o.duration)
	n := len(r.latencies)
	pct := percentiles(r.latencies)
	fmt.Println("| streams | batch | batches | anchored hashes/s | tx/s | p50 batch | p99 batch | errors |")
	fmt.Println("|---|---|---|---|---|---|---|---|")
	fmt.Printf("| %d | %d | %d | %.0f | %.2f | %d ms | %d ms | %d |\n", o.concurrency, o.batch, n,
		float64(n*o.batch)/r.elapsed.Seconds(), float64(n)/r.elapsed.Seconds(),
		pct(0.50).Milliseconds(), pct(0.99).Milliseconds(), r.errors)
	if r.firstErr != nil {
		fmt.Printf("first error: %v\n", r.firstErr)
	}
	if r.already > 0 {
		fmt.Printf("warning: %d batches were already anchored\n", r.already)
	}
	if n > 0 {
		fmt.Printf("\nresponse size: %.1f MB per batch (%.0f bytes per hash, protobuf)\n",
			float64(r.respBytes)/float64(n)/1e6, float64(r.respBytes)/float64(n*o.batch))
	}
	return printProofSize(o.batch)
}

// anchorLoop runs the closed loop for d; batches that end after d are not
// counted.
func anchorLoop(client apiv1.AnchorServiceClient, o options, d time.Duration) anchorResult {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	var mu sync.Mutex
	var r anchorResult
	var wg sync.WaitGroup
	start := time.Now()
	for range o.concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			hashes := make([][]byte, o.batch)
			backing := make([]byte, 32*o.batch)
			for i := range hashes {
				hashes[i] = backing[32*i : 32*i+32]
			}
			for ctx.Err() == nil {
				freshHashes(backing)
				t := time.Now()
				already, size, err := anchorOnce(client, hashes)
				lat := time.Since(t)
				mu.Lock()
				switch {
				case err != nil:
					r.errors++
					if r.firstErr == nil {
						r.firstErr = err
					}
				case time.Since(start) <= d:
					r.latencies = append(r.latencies, lat)
					r.respBytes += size
					if already {
						r.already++
					}
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	r.elapsed = min(time.Since(start), d)
	return r
}

// freshHashes fills backing with distinct random-looking 32-byte values:
// one random value per batch, with a counter in its first 8 bytes.
func freshHashes(backing []byte) {
	var base [32]byte
	_, _ = rand.Read(base[:])
	for i := 0; i < len(backing)/32; i++ {
		h := backing[32*i : 32*i+32]
		copy(h, base[:])
		binary.BigEndian.PutUint64(h, binary.BigEndian.Uint64(base[:8])+uint64(i))
	}
}

// anchorOnce anchors one batch and reads every proof back.
func anchorOnce(client apiv1.AnchorServiceClient, hashes [][]byte) (already bool, respBytes int64, err error) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	stream, err := client.AnchorBatch(ctx)
	if err != nil {
		return false, 0, err
	}
	for start := 0; start < len(hashes); start += hashesPerMessage {
		if err := stream.Send(&apiv1.AnchorBatchRequest{Hashes: hashes[start:min(start+hashesPerMessage, len(hashes))]}); err != nil {
			if errors.Is(err, io.EOF) {
				break
			}
			return false, 0, err
		}
	}
	if err := stream.CloseSend(); err != nil {
		return false, 0, err
	}
	proofs := 0
	for {
		msg, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return false, 0, err
		}
		respBytes += int64(proto.Size(msg))
		if a := msg.GetAnchor(); a != nil {
			already = a.AlreadyAnchored
		}
		proofs += len(msg.GetProofs().GetProofs())
	}
	if proofs != len(hashes) {
		return false, 0, fmt.Errorf("got %d proofs for %d hashes", proofs, len(hashes))
	}
	return already, respBytes, nil
}

// printProofSize prints the size of the canonical binary proofs (docs/proofs.md
// §3.1) of a batch of n hashes: the largest and the mean.
func printProofSize(n int) error {
	leaves := make([][32]byte, n)
	for i := range leaves {
		binary.BigEndian.PutUint64(leaves[i][:], uint64(i))
	}
	tree, err := merkle.New(leaves)
	if err != nil {
		return err
	}
	largest, total := 0, 0
	for _, p := range tree.Proofs() {
		b, err := p.MarshalBinary()
		if err != nil {
			return err
		}
		largest = max(largest, len(b))
		total += len(b)
	}
	fmt.Printf("proof size for %d hashes (binary form): at most %d bytes, mean %.0f bytes\n", n, largest, float64(total)/float64(n))
	return nil
}
