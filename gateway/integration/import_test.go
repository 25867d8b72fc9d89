//go:build integration

package integration

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/encoding/protojson"

	"github.com/civicledger/civicledger/chaincode/spec"
	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
	"github.com/civicledger/civicledger/gateway/ledgerctl"
	"github.com/civicledger/civicledger/network/testnet"
)

// TestImportRegister imports an administration's existing register of a
// few thousand documents with `ledgerctl documents import` (batches of
// DocumentsService.RegisterDocuments), then checks the documents verify by
// hash through the gateways and through the portal's index, that running
// the import again skips them, and that refusals name the failing entry.
func TestImportRegister(t *testing.T) {
	const n = 3000
	bin := testnet.BuildLedgerctl(t)
	prefix := uniqueID("IMP")
	reqs := make([]*apiv1.RegisterDocumentRequest, n)
	var file bytes.Buffer
	file.WriteString("# register exported for the import test\n")
	for i := range reqs {
		reqs[i] = docRequest(fmt.Sprintf("%s-%05d", prefix, i), apiv1.DocumentType_DOCUMENT_TYPE_CIVIL_STATUS)
		line, err := protojson.Marshal(reqs[i])
		require.NoError(t, err)
		file.Write(append(line, '\n'))
	}
	path := filepath.Join(t.TempDir(), "register.jsonl")
	require.NoError(t, os.WriteFile(path, file.Bytes(), 0o600))
	run := func(t *testing.T, args ...string) (stdout, stderr string, code int) {
		t.Helper()
		cmd := exec.Command(bin, append([]string{"--connection", tn.ConnectionFile(), "--org", "registry", "--user", "clerk"}, args...)...)
		var out, errOut bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errOut
		err := cmd.Run()
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			return out.String(), errOut.String(), exit.ExitCode()
		}
		require.NoError(t, err)
		return out.String(), errOut.String(), 0
	}

	stdout, stderr, code := run(t, "documents", "import", path, "--batch", "400", "--progress", "1s")
	require.Equal(t, ledgerctl.ExitOK, code, stderr)
	require.Contains(t, stdout, fmt.Sprintf("import of %s done: %d documents registered, 0 already registered (skipped), %d lines, 8 transactions", path, n, n+1))

	// Every administration's peer has the last batch once its last document
	// verifies through each gateway.
	for _, msp := range []string{registry, treasury, council} {
		require.Eventually(t, func() bool {
			resp, err := documents(t, msp, "clerk").VerifyDocumentHash(ctx(t), &apiv1.VerifyDocumentHashRequest{Sha256: reqs[n-1].Sha256})
			return err == nil && resp.Verdicts[0].Status == apiv1.DocumentStatus_DOCUMENT_STATUS_VALID
		}, time.Minute, 100*time.Millisecond, msp)
	}

	t.Run("imported documents verify by hash through another administration's gateway", func(t *testing.T) {
		for i := 0; i < n; i += 397 {
			resp, err := documents(t, treasury, "clerk").VerifyDocumentHash(ctx(t), &apiv1.VerifyDocumentHashRequest{Sha256: reqs[i].Sha256})
			require.NoError(t, err)
			require.Len(t, resp.Verdicts, 1)
			v := resp.Verdicts[0]
			require.Equal(t, apiv1.DocumentStatus_DOCUMENT_STATUS_VALID, v.Status)
			require.Equal(t, registry, v.Issuer)
			require.Equal(t, reqs[i].Id, v.Id)
			doc, err := documents(t, council, "clerk").GetDocument(ctx(t), &apiv1.GetDocumentRequest{Issuer: registry, Id: reqs[i].Id})
			require.NoError(t, err)
			require.Equal(t, reqs[i].KeyFacts, doc.KeyFacts)
			require.Equal(t, reqs[i].SubjectRef, doc.SubjectRef)
		}
	})

	t.Run("imported documents verify by hash through the portal's index", func(t *testing.T) {
		for _, i := range []int{0, 1234, n - 1} {
			var a struct {
				Status    string
				Source    string
				Documents []struct{ Issuer, ID, Status string }
			}
			require.Eventually(t, func() bool {
				a.Source = ""
				return portalJSON(t, "/api/v1/verify?sha256="+reqs[i].Sha256, &a) && a.Source == "index"
			}, time.Minute, 200*time.Millisecond, "the portal's index has document %d", i)
			require.Equal(t, spec.DocumentValid, a.Status)
			require.Len(t, a.Documents, 1)
			require.Equal(t, registry, a.Documents[0].Issuer)
			require.Equal(t, reqs[i].Id, a.Documents[0].ID)
		}
	})

	t.Run("running the same import again registers nothing and says so", func(t *testing.T) {
		stdout, stderr, code := run(t, "documents", "import", path)
		require.Equal(t, ledgerctl.ExitOK, code, stderr)
		require.Contains(t, stdout, fmt.Sprintf("0 documents registered, %d already registered (skipped)", n))
	})

	t.Run("a line that conflicts with a registered document stops the import naming it", func(t *testing.T) {
		extra := docRequest(prefix+"-extra", apiv1.DocumentType_DOCUMENT_TYPE_PERMIT)
		conflict := proto2JSON(t, reqs[7])
		conflict = strings.Replace(conflict, reqs[7].Sha256, docHash("another file"), 1)
		p := filepath.Join(t.TempDir(), "conflict.jsonl")
		require.NoError(t, os.WriteFile(p, []byte(proto2JSON(t, extra)+"\n"+conflict+"\n"), 0o600))
		stdout, stderr, code := run(t, "documents", "import", p)
		require.Equal(t, ledgerctl.ExitFailure, code, stdout)
		require.Contains(t, stderr, fmt.Sprintf(`import stopped at line 2: documents[1] (id %q): document %s is already registered by %s with another type or sha256`, reqs[7].Id, reqs[7].Id, registry))
		unknown, err := documents(t, registry, "clerk").VerifyDocument(ctx(t), &apiv1.VerifyDocumentRequest{Id: extra.Id})
		require.NoError(t, err)
		require.Equal(t, apiv1.DocumentStatus_DOCUMENT_STATUS_UNKNOWN, unknown.Verdict.Status, "the batch is all or none")
	})

	t.Run("RegisterDocuments refuses a batch with a registered id or a repeated one, naming the entry", func(t *testing.T) {
		fresh := docRequest(prefix+"-fresh", apiv1.DocumentType_DOCUMENT_TYPE_PERMIT)
		docs := documents(t, registry, "clerk")
		_, err := docs.RegisterDocuments(ctx(t), &apiv1.RegisterDocumentsRequest{Documents: []*apiv1.RegisterDocumentRequest{fresh, reqs[3]}})
		require.Equal(t, codes.AlreadyExists, status.Code(err), err)
		require.Contains(t, status.Convert(err).Message(), fmt.Sprintf("documents[1] (id %q)", reqs[3].Id))
		_, err = docs.RegisterDocuments(ctx(t), &apiv1.RegisterDocumentsRequest{Documents: []*apiv1.RegisterDocumentRequest{fresh, fresh}})
		require.Equal(t, codes.InvalidArgument, status.Code(err), err)
		require.Contains(t, status.Convert(err).Message(), fmt.Sprintf("documents[1] (id %q): id: repeats documents[0]", fresh.Id))
		v, err := docs.VerifyDocument(ctx(t), &apiv1.VerifyDocumentRequest{Id: fresh.Id})
		require.NoError(t, err)
		require.Equal(t, apiv1.DocumentStatus_DOCUMENT_STATUS_UNKNOWN, v.Verdict.Status)
	})

	t.Run("an approver cannot import", func(t *testing.T) {
		_, err := documents(t, registry, "approver").RegisterDocuments(ctx(t), &apiv1.RegisterDocumentsRequest{
			Documents: []*apiv1.RegisterDocumentRequest{docRequest(prefix+"-approver", apiv1.DocumentType_DOCUMENT_TYPE_PERMIT)}})
		require.Equal(t, codes.PermissionDenied, status.Code(err), err)
	})
}

func proto2JSON(t *testing.T, req *apiv1.RegisterDocumentRequest) string {
	t.Helper()
	b, err := protojson.Marshal(req)
	require.NoError(t, err)
	return string(b)
}

// portalJSON reads a JSON answer of the portal into out; false when the
// portal does not answer 200.
func portalJSON(t *testing.T, path string, out any) bool {
	t.Helper()
	resp, err := http.Get(tn.PortalURL() + path)
	require.NoError(t, err)
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return false
	}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(out))
	return true
}
