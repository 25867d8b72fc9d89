package ledgerctl

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"

	"github.com/civicledger/civicledger/chaincode/spec"
	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
)

// importMaxBatchBytes keeps each RegisterDocuments request well under the
// gateway's 4 MiB message limit, whatever the size of the key facts.
const importMaxBatchBytes = 1 << 20

func documentsImport(o *options) *cobra.Command {
	var opts importOptions
	c := &cobra.Command{
		Use:   "import FILE",
		Short: "Register an existing register of documents from a JSON lines file (role clerk or admin)",
		Long: "Register many documents of your administration, one RegisterDocumentRequest as JSON per\n" +
			"line of FILE (- for stdin; blank lines and lines starting with # are ignored), sent in\n" +
			"batches of --batch documents, each one all-or-none transaction (DocumentsService.RegisterDocuments).\n" +
			"Progress goes to stderr. An import is resumable: run the same command again after a\n" +
			"failure or an interruption and the documents already registered with the same type and\n" +
			"sha256 are skipped and counted as such (--strict refuses them instead). The first failure\n" +
			"stops the import and names its line.",
		Example: "  ledgerctl documents import register-2019.jsonl\n" +
			`  # a line: {"id":"EXT-2019-0001","type":"DOCUMENT_TYPE_DEBT_EXTRACT","sha256":"9f86…","validFrom":"2019-03-01T00:00:00Z","subjectRef":"2c26…"}`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if opts.batch < 1 || opts.batch > spec.MaxDocumentBatch {
				return fmt.Errorf("--batch must be 1 to %d", spec.MaxDocumentBatch)
			}
			if opts.parallel < 1 {
				return fmt.Errorf("--parallel must be positive")
			}
			in := cmd.InOrStdin()
			if args[0] != "-" {
				f, err := os.Open(args[0])
				if err != nil {
					return err
				}
				defer f.Close()
				in = f
			}
			conn, err := o.dialOrg()
			if err != nil {
				return err
			}
			defer conn.Close()
			opts.timeout, opts.progress = o.timeout, cmd.ErrOrStderr()
			sum, err := importDocuments(cmd.Context(), apiv1.NewDocumentsServiceClient(conn), in, opts)
			if err != nil {
				if !o.json { // with --json, the error alone is printed, as JSON
					_ = o.printImport(args[0], sum, "stopped")
				}
				return err
			}
			return o.printImport(args[0], sum, "done")
		},
	}
	f := c.Flags()
	f.IntVar(&opts.batch, "batch", spec.MaxDocumentBatch, fmt.Sprintf("documents per transaction, 1 to %d", spec.MaxDocumentBatch))
	f.IntVar(&opts.parallel, "parallel", 2, "batches in flight at once")
	f.BoolVar(&opts.strict, "strict", false, "refuse, rather than skip, documents already registered")
	f.DurationVar(&opts.every, "progress", 5*time.Second, "how often to report progress on stderr (0: never)")
	return c
}

// importOptions tune importDocuments.
type importOptions struct {
	batch, parallel int
	strict          bool
	every, timeout  time.Duration // progress period, and time allowed per batch
	progress        io.Writer
}

// importSummary counts what an import did.
type importSummary struct {
	Lines      int     `json:"lines"`
	Registered int     `json:"registered"`
	Skipped    int     `json:"skipped"`
	Batches    int     `json:"batches"`
	Seconds    float64 `json:"seconds"`
}

func (s importSummary) rate() float64 {
	if s.Seconds <= 0 {
		return 0
	}
	return float64(s.Registered+s.Skipped) / s.Seconds
}

// printImport prints the summary: JSON with --json, else one line saying
// whether the import was done or stopped.
func (o *options) printImport(file string, s importSummary, outcome string) error {
	if o.json {
		b, err := json.MarshalIndent(s, "", "  ")
		if err != nil {
			return err
		}
		_, err = fmt.Fprintln(o.out, string(b))
		return err
	}
	_, err := fmt.Fprintf(o.out, "import of %s %s: %d documents registered, %d already registered (skipped), %d lines, %d transactions, %.1f s (%.0f documents/s)\n",
		file, outcome, s.Registered, s.Skipped, s.Lines, s.Batches, s.Seconds, s.rate())
	return err
}

// importBatch is one RegisterDocuments request and the file line of each
// of its entries.
type importBatch struct {
	req   *apiv1.RegisterDocumentsRequest
	lines []int
}

// importFailure is the first batch to fail, by file position.
type importFailure struct {
	line int
	err  error
}

// importDocuments reads registrations from r and registers them in
// batches, opts.parallel at a time. It stops at the first malformed line or
// refused batch, waits for the batches in flight and returns what was done
// with an error naming the line.
func importDocuments(ctx context.Context, c apiv1.DocumentsServiceClient, r io.Reader, opts importOptions) (importSummary, error) {
	start := time.Now()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		mu     sync.Mutex
		sum    importSummary
		failed *importFailure
	)
	// A failure stops the reading (cancel), not the batches in flight, and
	// batches before the failing line are still sent, so that everything
	// before the line reported is registered.
	readCtx, stopReading := context.WithCancel(ctx)
	defer stopReading()
	fail := func(line int, err error) {
		mu.Lock()
		defer mu.Unlock()
		if failed == nil || line < failed.line {
			failed = &importFailure{line, err}
		}
		stopReading()
	}
	after := func(b importBatch) bool {
		mu.Lock()
		defer mu.Unlock()
		return failed != nil && b.lines[0] > failed.line
	}
	batches := make(chan importBatch)
	var wg sync.WaitGroup
	for range opts.parallel {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for b := range batches {
				if after(b) {
					continue // an earlier line failed: nothing after it is sent
				}
				resp, err := sendImportBatch(ctx, c, b.req, opts.timeout)
				if err != nil {
					fail(importFailedLine(b, err), err)
					continue
				}
				mu.Lock()
				sum.Registered += len(resp.Registered)
				sum.Skipped += len(resp.Skipped)
				sum.Batches++
				mu.Unlock()
			}
		}()
	}
	stopProgress := importProgress(opts, start, &mu, &sum)
	lines, readErr := readImportBatches(readCtx, r, opts, batches)
	close(batches)
	wg.Wait()
	stopProgress()
	sum.Lines, sum.Seconds = lines, time.Since(start).Seconds()
	if readErr != nil && (failed == nil || readErr.line < failed.line) {
		failed = readErr
	}
	if failed == nil {
		if err := context.Cause(ctx); err != nil && !errors.Is(err, context.Canceled) {
			return sum, err
		}
		return sum, nil
	}
	const advice = "\nthe documents before line %d are registered (and maybe some after it); " +
		"fix that line and run the same command again: documents already registered are skipped"
	if st, ok := status.FromError(failed.err); ok {
		// The gateway's code stays the command's, its message gains the line.
		return sum, status.Errorf(st.Code(), "import stopped at line %d: %s"+advice, failed.line, st.Message(), failed.line)
	}
	return sum, fmt.Errorf("import stopped at line %d: %w"+advice, failed.line, failed.err, failed.line)
}

// importRetries is how many times a batch is sent again after a transient
// failure (the network busy or restarting, a conflicting transaction).
const importRetries = 4

// sendImportBatch registers one batch, with its own time limit per try.
// With skip_registered a batch can be sent again safely, whatever became of
// the previous try (a committed one is then skipped), so a transient
// failure is retried after a pause: 1, 2, 4 then 8 s.
func sendImportBatch(ctx context.Context, c apiv1.DocumentsServiceClient, req *apiv1.RegisterDocumentsRequest, timeout time.Duration) (*apiv1.RegisterDocumentsResponse, error) {
	pause := time.Second
	for try := 0; ; try++ {
		tctx, cancel := context.WithTimeout(ctx, timeout)
		resp, err := c.RegisterDocuments(tctx, req)
		cancel()
		if err == nil || !req.SkipRegistered || try == importRetries || !transient(err) {
			return resp, err
		}
		select {
		case <-ctx.Done():
			return nil, err
		case <-time.After(pause):
		}
		pause *= 2
	}
}

// transient tells a failure worth retrying: the gateway or its peers
// unavailable or too slow, or the transaction lost to a conflicting one.
func transient(err error) bool {
	switch status.Code(err) {
	case codes.Unavailable, codes.DeadlineExceeded, codes.Aborted, codes.ResourceExhausted:
		return true
	}
	return false
}

// batchEntry finds the "documents[i]" a refusal names.
var batchEntry = regexp.MustCompile(`documents\[(\d+)\]`)

// importFailedLine is the file line of the entry a refusal of b names, or
// the batch's first line.
func importFailedLine(b importBatch, err error) int {
	if m := batchEntry.FindStringSubmatch(status.Convert(err).Message()); m != nil {
		if i, convErr := strconv.Atoi(m[1]); convErr == nil && i < len(b.lines) {
			return b.lines[i]
		}
	}
	return b.lines[0]
}

// readImportBatches parses r line by line into batches of at most
// opts.batch entries and importMaxBatchBytes, sending each on out until ctx
// ends. It returns the number of lines read and the first malformed one.
func readImportBatches(ctx context.Context, r io.Reader, opts importOptions, out chan<- importBatch) (int, *importFailure) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), spec.MaxDocumentInput*4)
	line := 0
	b := importBatch{req: &apiv1.RegisterDocumentsRequest{SkipRegistered: !opts.strict}}
	size := 0
	flush := func() bool {
		if len(b.lines) == 0 {
			return true
		}
		select {
		case out <- b:
		case <-ctx.Done():
			return false
		}
		b, size = importBatch{req: &apiv1.RegisterDocumentsRequest{SkipRegistered: !opts.strict}}, 0
		return true
	}
	for sc.Scan() {
		line++
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		var d apiv1.RegisterDocumentRequest
		if err := unmarshalImportLine(text, &d); err != nil {
			flush() // what comes before the malformed line is registered
			return line, &importFailure{line, fmt.Errorf("not a RegisterDocumentRequest in JSON: %w", err)}
		}
		if n := proto.Size(&d); size+n > importMaxBatchBytes && !flush() {
			return line, nil
		}
		b.req.Documents = append(b.req.Documents, &d)
		b.lines = append(b.lines, line)
		size += proto.Size(&d)
		if len(b.lines) == opts.batch && !flush() {
			return line, nil
		}
	}
	if err := sc.Err(); err != nil {
		flush()
		return line, &importFailure{line + 1, fmt.Errorf("read: %w", err)}
	}
	flush()
	return line, nil
}

// unmarshalImportLine reads one RegisterDocumentRequest in the API's JSON;
// the type may also be spelled as the chaincode does ("civil-status"), as
// an administration's export may have it.
func unmarshalImportLine(text string, d *apiv1.RegisterDocumentRequest) error {
	err := protojson.Unmarshal([]byte(text), d)
	if err == nil {
		return nil
	}
	var fields map[string]json.RawMessage
	var typ string
	if json.Unmarshal([]byte(text), &fields) != nil || json.Unmarshal(fields["type"], &typ) != nil {
		return err
	}
	t, terr := documentsParseType(typ)
	if terr != nil {
		return terr
	}
	fields["type"], _ = json.Marshal(t.String()) // a string: cannot fail
	again, merr := json.Marshal(fields)
	if merr != nil {
		return err
	}
	return protojson.Unmarshal(again, d)
}

// importProgress reports the counts on opts.progress every opts.every
// until the returned function is called.
func importProgress(opts importOptions, start time.Time, mu *sync.Mutex, sum *importSummary) func() {
	if opts.every <= 0 || opts.progress == nil {
		return func() {}
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(opts.every)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				mu.Lock()
				s := *sum
				mu.Unlock()
				s.Seconds = time.Since(start).Seconds()
				fmt.Fprintf(opts.progress, "import: %d registered, %d skipped, %d transactions, %.0f s, %.0f documents/s\n",
					s.Registered, s.Skipped, s.Batches, s.Seconds, s.rate())
			}
		}
	}()
	return func() { close(done); wg.Wait() }
}
