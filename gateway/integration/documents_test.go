//go:build integration

package integration

import (
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"

	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
)

const (
	docValid       = apiv1.DocumentStatus_DOCUMENT_STATUS_VALID
	docRevoked     = apiv1.DocumentStatus_DOCUMENT_STATUS_REVOKED
	docSuperseded  = apiv1.DocumentStatus_DOCUMENT_STATUS_SUPERSEDED
	docExpired     = apiv1.DocumentStatus_DOCUMENT_STATUS_EXPIRED
	docNotYetValid = apiv1.DocumentStatus_DOCUMENT_STATUS_NOT_YET_VALID
	docUnknown     = apiv1.DocumentStatus_DOCUMENT_STATUS_UNKNOWN
)

func documents(t testing.TB, mspID, user string) apiv1.DocumentsServiceClient {
	t.Helper()
	return apiv1.NewDocumentsServiceClient(gw(t, mspID, user))
}

func docHash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// docRequest is a registration valid from an hour ago for a year.
func docRequest(id string, typ apiv1.DocumentType) *apiv1.RegisterDocumentRequest {
	now := time.Now().UTC()
	return &apiv1.RegisterDocumentRequest{
		Id: id, Type: typ, Sha256: docHash("content of " + id),
		KeyFacts:  map[string]string{"proceedings": "3", "totalAmount": "CHF 1234.50"},
		ValidFrom: now.Add(-time.Hour).Format(time.RFC3339), ValidUntil: now.AddDate(1, 0, 0).Format(time.RFC3339),
		SubjectRef: docHash("salt:" + id),
	}
}

// docRegister registers a document of mspID through its clerk.
func docRegister(t *testing.T, mspID string, req *apiv1.RegisterDocumentRequest) *apiv1.Document {
	t.Helper()
	resp, err := documents(t, mspID, "clerk").RegisterDocument(ctx(t), req)
	require.NoError(t, err)
	docSynced(t, resp.Committed)
	return resp.Document
}

// docSynced waits until every administration's peer has committed a
// transaction: a submit returns once the caller's own peer has, and the
// others may lag by a moment.
func docSynced(t *testing.T, c *apiv1.Committed) {
	t.Helper()
	require.NotEmpty(t, c.GetTransactionId())
	for _, msp := range []string{registry, treasury, council} {
		ledger := apiv1.NewLedgerServiceClient(gw(t, msp, "clerk"))
		require.Eventually(t, func() bool {
			_, err := ledger.GetTransaction(ctx(t), &apiv1.GetTransactionRequest{TransactionId: c.TransactionId})
			return err == nil
		}, 30*time.Second, 50*time.Millisecond, "transaction %s at %s", c.TransactionId, msp)
	}
}

func docVerify(t *testing.T, at, issuer, id string) *apiv1.DocumentVerdict {
	t.Helper()
	resp, err := documents(t, at, "clerk").VerifyDocument(ctx(t), &apiv1.VerifyDocumentRequest{Issuer: issuer, Id: id})
	require.NoError(t, err)
	return resp.Verdict
}

// docFilesContaining lists the files under the network's data directory
// whose name matches pattern and whose bytes contain marker.
func docFilesContaining(t *testing.T, pattern, marker string) (matched, containing []string) {
	t.Helper()
	err := filepath.WalkDir(tn.DataDir(), func(path string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		if ok, _ := filepath.Match(pattern, e.Name()); !ok {
			return nil
		}
		matched = append(matched, path)
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if strings.Contains(string(b), marker) {
			containing = append(containing, path)
		}
		return nil
	})
	require.NoError(t, err)
	return matched, containing
}

func TestDocumentsService(t *testing.T) {
	t.Run("a clerk registers a document and every administration verifies it as valid", func(t *testing.T) {
		id := uniqueID("EXT")
		req := docRequest(id, apiv1.DocumentType_DOCUMENT_TYPE_DEBT_EXTRACT)
		req.Sha256 = strings.ToUpper(req.Sha256)
		doc := docRegister(t, registry, req)
		require.Equal(t, registry, doc.Issuer)
		require.Equal(t, docValid, doc.Status)
		require.Equal(t, docHash("content of "+id), doc.Sha256, "stored in lower case")
		require.Equal(t, "CHF 1234.50", doc.KeyFacts["totalAmount"])

		got, err := documents(t, treasury, "clerk").GetDocument(ctx(t), &apiv1.GetDocumentRequest{Issuer: registry, Id: id})
		require.NoError(t, err)
		require.Equal(t, apiv1.DocumentType_DOCUMENT_TYPE_DEBT_EXTRACT, got.Type)
		require.Equal(t, doc.SubjectRef, got.SubjectRef)
		for _, msp := range []string{registry, treasury, council} {
			v := docVerify(t, msp, registry, id)
			require.Equal(t, docValid, v.Status, "verified at %s", msp)
			require.Equal(t, doc.ValidUntil, v.ValidUntil)
			require.NotEmpty(t, v.CheckedAt)
		}
		byHash, err := documents(t, council, "approver").VerifyDocumentHash(ctx(t), &apiv1.VerifyDocumentHashRequest{Sha256: doc.Sha256})
		require.NoError(t, err)
		require.Len(t, byHash.Verdicts, 1)
		require.Equal(t, id, byHash.Verdicts[0].Id)
		require.Equal(t, docValid, byHash.Verdicts[0].Status)
	})

	t.Run("an empty issuer means the caller's own administration", func(t *testing.T) {
		id := uniqueID("PERMIT")
		docRegister(t, treasury, docRequest(id, apiv1.DocumentType_DOCUMENT_TYPE_PERMIT))
		got, err := documents(t, treasury, "approver").GetDocument(ctx(t), &apiv1.GetDocumentRequest{Id: id})
		require.NoError(t, err)
		require.Equal(t, treasury, got.Issuer)
		_, err = documents(t, registry, "clerk").GetDocument(ctx(t), &apiv1.GetDocumentRequest{Id: id})
		requireCode(t, err, codes.NotFound)
	})

	t.Run("an unregistered document or hash verifies as unknown rather than failing", func(t *testing.T) {
		v := docVerify(t, council, registry, uniqueID("NOPE"))
		require.Equal(t, docUnknown, v.Status)
		resp, err := documents(t, council, "clerk").VerifyDocumentHash(ctx(t), &apiv1.VerifyDocumentHashRequest{Sha256: docHash(uniqueID("nothing"))})
		require.NoError(t, err)
		require.Len(t, resp.Verdicts, 1)
		require.Equal(t, docUnknown, resp.Verdicts[0].Status)
		require.Equal(t, apiv1.DocumentType_DOCUMENT_TYPE_UNSPECIFIED, resp.Verdicts[0].Type)
	})

	t.Run("the validity window shows in the verdict as expired or not yet valid", func(t *testing.T) {
		now := time.Now().UTC()
		past := docRequest(uniqueID("OLD"), apiv1.DocumentType_DOCUMENT_TYPE_CERTIFICATE)
		past.ValidFrom, past.ValidUntil = now.AddDate(-2, 0, 0).Format(time.RFC3339), now.AddDate(-1, 0, 0).Format(time.RFC3339)
		docRegister(t, registry, past)
		require.Equal(t, docExpired, docVerify(t, treasury, registry, past.Id).Status)

		future := docRequest(uniqueID("NEXT"), apiv1.DocumentType_DOCUMENT_TYPE_CERTIFICATE)
		future.ValidFrom, future.ValidUntil = now.AddDate(1, 0, 0).Format(time.RFC3339), ""
		doc := docRegister(t, registry, future)
		require.Empty(t, doc.ValidUntil, "a document may never expire")
		require.Equal(t, docNotYetValid, docVerify(t, treasury, registry, future.Id).Status)
	})

	t.Run("registering needs the clerk or admin role", func(t *testing.T) {
		_, err := documents(t, registry, "approver").RegisterDocument(ctx(t), docRequest(uniqueID("EXT"), apiv1.DocumentType_DOCUMENT_TYPE_OTHER))
		requireCode(t, err, codes.PermissionDenied)
	})

	t.Run("malformed registrations are refused with the field to fix", func(t *testing.T) {
		for name, edit := range map[string]func(*apiv1.RegisterDocumentRequest){
			"no id":             func(r *apiv1.RegisterDocumentRequest) { r.Id = "" },
			"no type":           func(r *apiv1.RegisterDocumentRequest) { r.Type = apiv1.DocumentType_DOCUMENT_TYPE_UNSPECIFIED },
			"bad hash":          func(r *apiv1.RegisterDocumentRequest) { r.Sha256 = "xyz" },
			"bad date":          func(r *apiv1.RegisterDocumentRequest) { r.ValidFrom = "yesterday" },
			"window backwards":  func(r *apiv1.RegisterDocumentRequest) { r.ValidFrom, r.ValidUntil = r.ValidUntil, r.ValidFrom },
			"bad key fact name": func(r *apiv1.RegisterDocumentRequest) { r.KeyFacts = map[string]string{"total amount": "1"} },
			"blank key fact":    func(r *apiv1.RegisterDocumentRequest) { r.KeyFacts = map[string]string{"total": " "} },
		} {
			t.Run(name, func(t *testing.T) {
				req := docRequest(uniqueID("BAD"), apiv1.DocumentType_DOCUMENT_TYPE_PERMIT)
				edit(req)
				_, err := documents(t, registry, "clerk").RegisterDocument(ctx(t), req)
				requireCode(t, err, codes.InvalidArgument)
			})
		}
	})

	t.Run("an id registered twice by the same administration is refused, by another it is a new document", func(t *testing.T) {
		req := docRequest(uniqueID("EXT"), apiv1.DocumentType_DOCUMENT_TYPE_DEBT_EXTRACT)
		docRegister(t, registry, req)
		_, err := documents(t, registry, "clerk").RegisterDocument(ctx(t), req)
		requireCode(t, err, codes.AlreadyExists)
		require.Equal(t, council, docRegister(t, council, req).Issuer)
	})

	t.Run("a retried registration with the same idempotency key returns the first transaction", func(t *testing.T) {
		client := documents(t, registry, "clerk")
		req := docRequest(uniqueID("EXT"), apiv1.DocumentType_DOCUMENT_TYPE_PERMIT)
		key := uniqueID("key")
		first, err := client.RegisterDocument(withIdempotencyKey(ctx(t), key), req)
		require.NoError(t, err)
		again, err := client.RegisterDocument(withIdempotencyKey(ctx(t), key), req)
		require.NoError(t, err, "without the key the second call would be ALREADY_EXISTS")
		require.Equal(t, first.Committed.TransactionId, again.Committed.TransactionId)
		_, err = client.RegisterDocument(withIdempotencyKey(ctx(t), uniqueID("key")), req)
		requireCode(t, err, codes.AlreadyExists)
	})

	t.Run("the subject's data reaches only the issuer's peers, and no block or gateway log", func(t *testing.T) {
		id := uniqueID("EXT")
		docRegister(t, registry, docRequest(id, apiv1.DocumentType_DOCUMENT_TYPE_DEBT_EXTRACT))
		marker := uniqueID("Dupont")
		subject := `{"salt":"3f9a0c1b","name":"Jean ` + marker + `","birthDate":"1970-01-01"}`
		resp, err := documents(t, registry, "clerk").SetDocumentSubject(ctx(t), &apiv1.SetDocumentSubjectRequest{Id: id, SubjectJson: subject})
		require.NoError(t, err)

		tx, err := apiv1.NewLedgerServiceClient(gw(t, registry, "clerk")).GetTransaction(ctx(t),
			&apiv1.GetTransactionRequest{TransactionId: resp.Committed.TransactionId})
		require.NoError(t, err)
		require.True(t, tx.Valid)
		require.Equal(t, []string{registry}, tx.Endorsers, "endorsed by the issuer's peer alone")

		got, err := documents(t, registry, "approver").GetDocumentSubject(ctx(t), &apiv1.GetDocumentSubjectRequest{Id: id})
		require.NoError(t, err)
		require.JSONEq(t, subject, got.SubjectJson)

		blocks, withMarker := docFilesContaining(t, "blockfile_*", marker)
		require.NotEmpty(t, blocks)
		require.Empty(t, withMarker, "the subject's data is in no block")
		logs, withMarker := docFilesContaining(t, "gateway.*.log", marker)
		require.NotEmpty(t, logs)
		require.Empty(t, withMarker, "the subject's data is in no gateway log")

		_, err = documents(t, registry, "clerk").SetDocumentSubject(ctx(t), &apiv1.SetDocumentSubjectRequest{Id: id, SubjectJson: subject})
		requireCode(t, err, codes.AlreadyExists)
	})

	t.Run("another administration never reaches the issuer's subject data", func(t *testing.T) {
		id := uniqueID("EXT")
		docRegister(t, registry, docRequest(id, apiv1.DocumentType_DOCUMENT_TYPE_DEBT_EXTRACT))
		_, err := documents(t, registry, "clerk").SetDocumentSubject(ctx(t), &apiv1.SetDocumentSubjectRequest{Id: id, SubjectJson: `{"salt":"a","name":"B"}`})
		require.NoError(t, err)
		_, err = documents(t, treasury, "admin").GetDocumentSubject(ctx(t), &apiv1.GetDocumentSubjectRequest{Id: id})
		requireCode(t, err, codes.NotFound)
		_, err = documents(t, treasury, "clerk").SetDocumentSubject(ctx(t), &apiv1.SetDocumentSubjectRequest{Id: id, SubjectJson: `{"salt":"x"}`})
		requireCode(t, err, codes.NotFound)
		_, err = documents(t, treasury, "admin").PurgeDocumentSubject(ctx(t), &apiv1.PurgeDocumentSubjectRequest{Id: id})
		requireCode(t, err, codes.NotFound)
	})

	t.Run("subject data without a salt is refused before reaching the ledger", func(t *testing.T) {
		_, err := documents(t, registry, "clerk").SetDocumentSubject(ctx(t), &apiv1.SetDocumentSubjectRequest{Id: "EXT-1", SubjectJson: `{"name":"Jean Dupont"}`})
		requireCode(t, err, codes.InvalidArgument)
	})

	t.Run("an admin purges the subject's data, which cannot come back, and the document still verifies", func(t *testing.T) {
		id := uniqueID("EXT")
		doc := docRegister(t, registry, docRequest(id, apiv1.DocumentType_DOCUMENT_TYPE_DEBT_EXTRACT))
		_, err := documents(t, registry, "admin").PurgeDocumentSubject(ctx(t), &apiv1.PurgeDocumentSubjectRequest{Id: id})
		requireCode(t, err, codes.NotFound) // nothing to purge yet
		subject := `{"salt":"3f9a0c1b","name":"Jean Dupont"}`
		_, err = documents(t, registry, "clerk").SetDocumentSubject(ctx(t), &apiv1.SetDocumentSubjectRequest{Id: id, SubjectJson: subject})
		require.NoError(t, err)

		_, err = documents(t, registry, "clerk").PurgeDocumentSubject(ctx(t), &apiv1.PurgeDocumentSubjectRequest{Id: id})
		requireCode(t, err, codes.PermissionDenied)
		resp, err := documents(t, registry, "admin").PurgeDocumentSubject(ctx(t), &apiv1.PurgeDocumentSubjectRequest{Id: id})
		require.NoError(t, err)
		require.NotEmpty(t, resp.Committed.TransactionId)

		_, err = documents(t, registry, "clerk").GetDocumentSubject(ctx(t), &apiv1.GetDocumentSubjectRequest{Id: id})
		requireCode(t, err, codes.NotFound)
		_, err = documents(t, registry, "admin").PurgeDocumentSubject(ctx(t), &apiv1.PurgeDocumentSubjectRequest{Id: id})
		requireCode(t, err, codes.FailedPrecondition)
		_, err = documents(t, registry, "clerk").SetDocumentSubject(ctx(t), &apiv1.SetDocumentSubjectRequest{Id: id, SubjectJson: subject})
		requireCode(t, err, codes.FailedPrecondition)

		require.Equal(t, docValid, docVerify(t, council, registry, id).Status)
		got, err := documents(t, council, "clerk").GetDocument(ctx(t), &apiv1.GetDocumentRequest{Issuer: registry, Id: id})
		require.NoError(t, err)
		require.Equal(t, doc.SubjectRef, got.SubjectRef, "the public proof remains")
	})

	t.Run("an approver revokes a document, once, and the verdict says why", func(t *testing.T) {
		id := uniqueID("EXT")
		docRegister(t, registry, docRequest(id, apiv1.DocumentType_DOCUMENT_TYPE_DEBT_EXTRACT))
		_, err := documents(t, registry, "clerk").RevokeDocument(ctx(t), &apiv1.RevokeDocumentRequest{Id: id, Reason: "clerk"})
		requireCode(t, err, codes.PermissionDenied)
		_, err = documents(t, treasury, "approver").RevokeDocument(ctx(t), &apiv1.RevokeDocumentRequest{Id: id, Reason: "not ours"})
		requireCode(t, err, codes.NotFound)
		_, err = documents(t, registry, "approver").RevokeDocument(ctx(t), &apiv1.RevokeDocumentRequest{Id: id})
		requireCode(t, err, codes.InvalidArgument)

		resp, err := documents(t, registry, "approver").RevokeDocument(ctx(t), &apiv1.RevokeDocumentRequest{Id: id, Reason: "issued in error"})
		require.NoError(t, err)
		require.Equal(t, docRevoked, resp.Document.Status)
		docSynced(t, resp.Committed)
		// Ask the issuer's own gateway: its peer has committed the block;
		// another administration's may not have yet.
		tx, err := apiv1.NewLedgerServiceClient(gw(t, registry, "clerk")).GetTransaction(ctx(t),
			&apiv1.GetTransactionRequest{TransactionId: resp.Committed.TransactionId})
		require.NoError(t, err)
		require.Contains(t, tx.Endorsers, registry, "the issuer's peer endorses every change")
		require.GreaterOrEqual(t, len(tx.Endorsers), 2)

		v := docVerify(t, council, registry, id)
		require.Equal(t, docRevoked, v.Status)
		require.Equal(t, "issued in error", v.RevokedReason)
		_, err = documents(t, registry, "admin").RevokeDocument(ctx(t), &apiv1.RevokeDocumentRequest{Id: id, Reason: "again"})
		requireCode(t, err, codes.FailedPrecondition)
	})

	t.Run("an approver supersedes a document by a newer one of the same issuer", func(t *testing.T) {
		oldID, newID := uniqueID("EXT"), uniqueID("EXT")
		docRegister(t, registry, docRequest(oldID, apiv1.DocumentType_DOCUMENT_TYPE_DEBT_EXTRACT))
		client := documents(t, registry, "approver")
		_, err := client.SupersedeDocument(ctx(t), &apiv1.SupersedeDocumentRequest{Id: oldID, NewId: newID})
		requireCode(t, err, codes.NotFound) // the new one is not registered yet
		_, err = client.SupersedeDocument(ctx(t), &apiv1.SupersedeDocumentRequest{Id: oldID, NewId: oldID})
		requireCode(t, err, codes.InvalidArgument)

		renewal := docRequest(newID, apiv1.DocumentType_DOCUMENT_TYPE_DEBT_EXTRACT)
		renewal.ValidFrom = time.Now().UTC().AddDate(0, 1, 0).Format(time.RFC3339) // issued ahead of time
		docRegister(t, registry, renewal)
		_, err = documents(t, registry, "clerk").SupersedeDocument(ctx(t), &apiv1.SupersedeDocumentRequest{Id: oldID, NewId: newID})
		requireCode(t, err, codes.PermissionDenied)
		resp, err := client.SupersedeDocument(ctx(t), &apiv1.SupersedeDocumentRequest{Id: oldID, NewId: newID})
		require.NoError(t, err)
		require.Equal(t, docSuperseded, resp.Document.Status)
		require.Equal(t, newID, resp.Document.SupersededBy)
		docSynced(t, resp.Committed)

		v := docVerify(t, treasury, registry, oldID)
		require.Equal(t, docSuperseded, v.Status)
		require.Equal(t, newID, v.SupersededBy)
		_, err = client.SupersedeDocument(ctx(t), &apiv1.SupersedeDocumentRequest{Id: oldID, NewId: newID})
		requireCode(t, err, codes.FailedPrecondition)
	})

	t.Run("the history of a document lists its versions newest first", func(t *testing.T) {
		id := uniqueID("EXT")
		docRegister(t, registry, docRequest(id, apiv1.DocumentType_DOCUMENT_TYPE_DEBT_EXTRACT))
		revoked, err := documents(t, registry, "admin").RevokeDocument(ctx(t), &apiv1.RevokeDocumentRequest{Id: id, Reason: "replaced on paper"})
		require.NoError(t, err)
		docSynced(t, revoked.Committed)
		resp, err := documents(t, council, "clerk").GetDocumentHistory(ctx(t), &apiv1.GetDocumentHistoryRequest{Issuer: registry, Id: id})
		require.NoError(t, err)
		require.Len(t, resp.Versions, 2)
		require.Equal(t, revoked.Committed.TransactionId, resp.Versions[0].TransactionId)
		require.Equal(t, docRevoked, resp.Versions[0].Document.Status)
		require.Equal(t, docValid, resp.Versions[1].Document.Status)

		_, err = documents(t, council, "clerk").GetDocumentHistory(ctx(t), &apiv1.GetDocumentHistoryRequest{Issuer: registry, Id: uniqueID("NOPE")})
		requireCode(t, err, codes.NotFound)
	})

	t.Run("an administration's documents are listed page by page, optionally by type", func(t *testing.T) {
		prefix := uniqueID("CIV")
		var want []string
		for _, n := range []string{"a", "b", "c"} {
			want = append(want, docRegister(t, council, docRequest(prefix+n, apiv1.DocumentType_DOCUMENT_TYPE_CIVIL_STATUS)).Id)
		}
		docRegister(t, council, docRequest(prefix+"d", apiv1.DocumentType_DOCUMENT_TYPE_PERMIT))

		var got []string
		req := &apiv1.ListDocumentsRequest{Issuer: council, Type: apiv1.DocumentType_DOCUMENT_TYPE_CIVIL_STATUS, PageSize: 2}
		for pages := 0; ; pages++ {
			require.Less(t, pages, 100)
			resp, err := documents(t, treasury, "clerk").ListDocuments(ctx(t), req)
			require.NoError(t, err)
			require.LessOrEqual(t, len(resp.Documents), 2)
			for _, d := range resp.Documents {
				require.Equal(t, apiv1.DocumentType_DOCUMENT_TYPE_CIVIL_STATUS, d.Type)
				if strings.HasPrefix(d.Id, prefix) {
					got = append(got, d.Id)
				}
			}
			if resp.NextPageToken == "" {
				break
			}
			req.PageToken = resp.NextPageToken
		}
		require.Equal(t, want, got, "in id order, without the permit")

		_, err := documents(t, treasury, "clerk").ListDocuments(ctx(t), &apiv1.ListDocumentsRequest{Issuer: council, PageToken: "not-a-bookmark"})
		requireCode(t, err, codes.InvalidArgument)
		_, err = documents(t, treasury, "clerk").ListDocuments(ctx(t), &apiv1.ListDocumentsRequest{Issuer: council, PageSize: 500})
		requireCode(t, err, codes.InvalidArgument)
	})

	t.Run("a document that does not exist is not found", func(t *testing.T) {
		_, err := documents(t, treasury, "clerk").GetDocument(ctx(t), &apiv1.GetDocumentRequest{Issuer: registry, Id: uniqueID("NOPE")})
		requireCode(t, err, codes.NotFound)
		_, err = documents(t, registry, "approver").RevokeDocument(ctx(t), &apiv1.RevokeDocumentRequest{Id: uniqueID("NOPE"), Reason: "x"})
		requireCode(t, err, codes.NotFound)
		_, err = documents(t, registry, "clerk").GetDocumentSubject(ctx(t), &apiv1.GetDocumentSubjectRequest{Id: uniqueID("NOPE")})
		requireCode(t, err, codes.NotFound)
	})
}
