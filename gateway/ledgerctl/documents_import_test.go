package ledgerctl

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
)

// importLedger is a DocumentsService that keeps registrations in memory
// with RegisterDocuments' rules: all or none per batch, skip or refuse what
// is registered, and refuse the ids in bad.
type importLedger struct {
	apiv1.DocumentsServiceClient
	mu      sync.Mutex
	docs    map[string]string // id → sha256
	bad     map[string]bool
	flaky   int // calls still to answer Unavailable after committing the batch
	batches []int
}

func newImportLedger(bad ...string) *importLedger {
	l := &importLedger{docs: map[string]string{}, bad: map[string]bool{}}
	for _, id := range bad {
		l.bad[id] = true
	}
	return l
}

func (l *importLedger) RegisterDocuments(_ context.Context, req *apiv1.RegisterDocumentsRequest, _ ...grpc.CallOption) (*apiv1.RegisterDocumentsResponse, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	resp := &apiv1.RegisterDocumentsResponse{Issuer: "RegistryMSP"}
	for i, d := range req.Documents {
		if l.bad[d.Id] {
			return nil, status.Errorf(codes.InvalidArgument, "documents[%d] (id %q): sha256: is malformed", i, d.Id)
		}
		if h, ok := l.docs[d.Id]; ok {
			if !req.SkipRegistered || h != d.Sha256 {
				return nil, status.Errorf(codes.AlreadyExists, "documents[%d] (id %q): document %s is already registered by RegistryMSP", i, d.Id, d.Id)
			}
			resp.Skipped = append(resp.Skipped, d.Id)
		}
	}
	for _, d := range req.Documents {
		if _, ok := l.docs[d.Id]; !ok {
			l.docs[d.Id] = d.Sha256
			resp.Registered = append(resp.Registered, d.Id)
		}
	}
	l.batches = append(l.batches, len(req.Documents))
	if l.flaky > 0 {
		l.flaky--
		return nil, status.Error(codes.Unavailable, "endorsement could not be collected")
	}
	return resp, nil
}

// importLines is a JSON lines register of n documents D-1 … D-n.
func importLines(n int) string {
	var b strings.Builder
	b.WriteString("# register of 2019\n\n")
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, `{"id":"D-%d","type":"DOCUMENT_TYPE_PERMIT","sha256":"%064x","validFrom":"2019-01-01T00:00:00Z","subjectRef":"%064x"}`+"\n", i, i, i)
	}
	return b.String()
}

func runImport(t *testing.T, l *importLedger, input string, batch, parallel int) (importSummary, error) {
	t.Helper()
	var progress bytes.Buffer
	return importDocuments(context.Background(), l, strings.NewReader(input), importOptions{
		batch: batch, parallel: parallel, every: time.Hour, timeout: time.Minute, progress: &progress,
	})
}

func TestImportDocuments(t *testing.T) {
	t.Run("every line is registered in batches of the given size", func(t *testing.T) {
		l := newImportLedger()
		sum, err := runImport(t, l, importLines(1234), 500, 3)
		require.NoError(t, err)
		require.Equal(t, 1234, sum.Registered)
		require.Equal(t, 0, sum.Skipped)
		require.Equal(t, 1236, sum.Lines, "a comment and a blank line")
		require.Equal(t, 3, sum.Batches)
		require.ElementsMatch(t, []int{500, 500, 234}, l.batches)
		require.Len(t, l.docs, 1234)
	})

	t.Run("running the same import again skips what is registered", func(t *testing.T) {
		l := newImportLedger()
		_, err := runImport(t, l, importLines(300), 100, 2)
		require.NoError(t, err)
		sum, err := runImport(t, l, importLines(450), 100, 2)
		require.NoError(t, err)
		require.Equal(t, 150, sum.Registered)
		require.Equal(t, 300, sum.Skipped)
	})

	t.Run("a refused entry stops the import naming its line; the rerun after the fix completes", func(t *testing.T) {
		l := newImportLedger("D-250")
		sum, err := runImport(t, l, importLines(1000), 100, 1)
		require.ErrorContains(t, err, `import stopped at line 252: documents[49] (id "D-250"): sha256: is malformed`)
		require.Equal(t, codes.InvalidArgument, status.Code(err), "the gateway's code is kept for the exit status")
		require.Equal(t, 200, sum.Registered, "the batches before the failing one")
		delete(l.bad, "D-250")
		sum, err = runImport(t, l, importLines(1000), 100, 1)
		require.NoError(t, err)
		require.Equal(t, 800, sum.Registered)
		require.Equal(t, 200, sum.Skipped)
	})

	t.Run("with several batches in flight the earliest failing line is reported", func(t *testing.T) {
		l := newImportLedger("D-30", "D-95")
		_, err := runImport(t, l, importLines(200), 10, 4)
		require.ErrorContains(t, err, "import stopped at line 32:")
	})

	t.Run("a malformed line stops the import after registering what precedes it", func(t *testing.T) {
		l := newImportLedger()
		input := importLines(20) + "{\"id\":\"D-21\",\"colour\":\"red\"}\n" + importLines(5)
		sum, err := runImport(t, l, input, 500, 2)
		require.ErrorContains(t, err, "import stopped at line 23: not a RegisterDocumentRequest in JSON")
		require.Equal(t, 20, sum.Registered)
	})

	t.Run("a document registered with another hash is refused even when skipping", func(t *testing.T) {
		l := newImportLedger()
		l.docs["D-3"] = "other"
		_, err := runImport(t, l, importLines(5), 500, 1)
		require.ErrorContains(t, err, `import stopped at line 5:`)
		require.Equal(t, codes.AlreadyExists, status.Code(err))
	})

	t.Run("a type may be spelled as the chaincode does; an unknown one names the line", func(t *testing.T) {
		l := newImportLedger()
		input := strings.Replace(importLines(2), "DOCUMENT_TYPE_PERMIT", "civil-status", 1)
		sum, err := runImport(t, l, input, 500, 1)
		require.NoError(t, err)
		require.Equal(t, 2, sum.Registered)
		_, err = runImport(t, l, strings.Replace(importLines(3), "DOCUMENT_TYPE_PERMIT", "passport", 1), 500, 1)
		require.ErrorContains(t, err, `import stopped at line 3: not a RegisterDocumentRequest in JSON: unknown document type "passport": debt-extract, permit`)
	})

	t.Run("a batch whose outcome was lost is sent again and its documents counted as skipped", func(t *testing.T) {
		l := newImportLedger()
		l.flaky = 2
		sum, err := runImport(t, l, importLines(30), 10, 1)
		require.NoError(t, err)
		require.Len(t, l.docs, 30)
		require.Equal(t, 30, sum.Registered+sum.Skipped)
		require.Equal(t, 10, sum.Skipped, "the first batch committed twice unseen, then was skipped")
	})

	t.Run("with --strict a transient failure is not retried", func(t *testing.T) {
		l := newImportLedger()
		l.flaky = 1
		_, err := importDocuments(context.Background(), l, strings.NewReader(importLines(5)), importOptions{
			batch: 10, parallel: 1, strict: true, timeout: time.Minute,
		})
		require.Equal(t, codes.Unavailable, status.Code(err))
	})

	t.Run("an empty file imports nothing", func(t *testing.T) {
		sum, err := runImport(t, newImportLedger(), "\n# nothing\n", 500, 2)
		require.NoError(t, err)
		require.Equal(t, importSummary{Lines: 2, Seconds: sum.Seconds}, sum)
	})
}
