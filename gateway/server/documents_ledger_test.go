package server

import (
	"context"
	"strings"
	"testing"

	"google.golang.org/grpc/codes"
	"google.golang.org/protobuf/proto"

	"github.com/civicledger/civicledger/chaincode/spec"
	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
)

// testDocumentJSON is a document as the Documents contract returns it.
var testDocumentJSON = `{"issuer":"RegistryMSP","id":"EXT-1","type":"debt-extract","sha256":"` + testDocumentHash +
	`","keyFacts":{"proceedings":"3"},"validFrom":"2024-01-01T00:00:00Z","subjectRef":"` + testDocumentHash +
	`","status":"revoked","revokedReason":"issued in error","registeredAt":"2024-01-01T10:00:00Z","registeredBy":"clerk1"}`

// testDocumentProto is testDocumentJSON converted.
func testDocumentProto() *apiv1.Document {
	return &apiv1.Document{
		Issuer: "RegistryMSP", Id: "EXT-1", Type: apiv1.DocumentType_DOCUMENT_TYPE_DEBT_EXTRACT, Sha256: testDocumentHash,
		KeyFacts: map[string]string{"proceedings": "3"}, ValidFrom: "2024-01-01T00:00:00Z", SubjectRef: testDocumentHash,
		Status: apiv1.DocumentStatus_DOCUMENT_STATUS_REVOKED, RevokedReason: "issued in error",
		RegisteredAt: "2024-01-01T10:00:00Z", RegisteredBy: "clerk1",
	}
}

func docs(l *fakeLedger) *documentsService { return &documentsService{ledger: l} }

func TestDocumentsHandlers(t *testing.T) {
	const verdictJSON = `{"status":"superseded","issuer":"RegistryMSP","id":"EXT-1","type":"permit","supersededBy":"EXT-2","checkedAt":"2024-02-01T00:00:00Z"}`
	verdict := &apiv1.DocumentVerdict{Status: apiv1.DocumentStatus_DOCUMENT_STATUS_SUPERSEDED, Issuer: "RegistryMSP", Id: "EXT-1",
		Type: apiv1.DocumentType_DOCUMENT_TYPE_PERMIT, SupersededBy: "EXT-2", CheckedAt: "2024-02-01T00:00:00Z"}
	const subject = `{"salt":"s1","name":"Jean Dupont"}`

	t.Run("a valid request runs the contract's transaction and converts its result", func(t *testing.T) {
		runHandlerCases(t, map[string]handlerCase{
			"RegisterDocument sends the registration as one JSON argument, hashes lower-cased": {
				call: func(c context.Context, l *fakeLedger) (proto.Message, error) {
					req := validDocumentRegistration()
					req.Sha256 = strings.ToUpper(testDocumentHash)
					req.KeyFacts = map[string]string{"proceedings": "3"}
					return msg(docs(l).RegisterDocument(c, req))
				},
				want: ledgerCall{Kind: "submit", Tx: spec.DocumentsRegister, Args: []string{`{"id":"EXT-1","type":"debt-extract","sha256":"` + testDocumentHash +
					`","keyFacts":{"proceedings":"3"},"validFrom":"2024-01-01T00:00:00Z","subjectRef":"` + testDocumentHash + `"}`}},
				answer: testDocumentJSON,
				resp:   &apiv1.RegisterDocumentResponse{Document: testDocumentProto(), Committed: testCommitted()},
			},
			"SetDocumentSubject passes the subject only as transient data": {
				call: func(c context.Context, l *fakeLedger) (proto.Message, error) {
					return msg(docs(l).SetDocumentSubject(c, &apiv1.SetDocumentSubjectRequest{Id: "EXT-1", SubjectJson: subject}))
				},
				want: ledgerCall{Kind: "submit", Tx: spec.DocumentsSetSubject, Args: []string{"EXT-1"},
					Transient: map[string][]byte{"subject": []byte(subject)}},
				resp: &apiv1.SetDocumentSubjectResponse{Committed: testCommitted()},
			},
			"RevokeDocument sends the id and the reason": {
				call: func(c context.Context, l *fakeLedger) (proto.Message, error) {
					return msg(docs(l).RevokeDocument(c, &apiv1.RevokeDocumentRequest{Id: "EXT-1", Reason: "issued in error"}))
				},
				want:   ledgerCall{Kind: "submit", Tx: spec.DocumentsRevoke, Args: []string{"EXT-1", "issued in error"}},
				answer: testDocumentJSON,
				resp:   &apiv1.RevokeDocumentResponse{Document: testDocumentProto(), Committed: testCommitted()},
			},
			"SupersedeDocument sends the old and the new id": {
				call: func(c context.Context, l *fakeLedger) (proto.Message, error) {
					return msg(docs(l).SupersedeDocument(c, &apiv1.SupersedeDocumentRequest{Id: "EXT-1", NewId: "EXT-2"}))
				},
				want:   ledgerCall{Kind: "submit", Tx: spec.DocumentsSupersede, Args: []string{"EXT-1", "EXT-2"}},
				answer: testDocumentJSON,
				resp:   &apiv1.SupersedeDocumentResponse{Document: testDocumentProto(), Committed: testCommitted()},
			},
			"PurgeDocumentSubject sends the id": {
				call: func(c context.Context, l *fakeLedger) (proto.Message, error) {
					return msg(docs(l).PurgeDocumentSubject(c, &apiv1.PurgeDocumentSubjectRequest{Id: "EXT-1"}))
				},
				want: ledgerCall{Kind: "submit", Tx: spec.DocumentsPurgeSubject, Args: []string{"EXT-1"}},
				resp: &apiv1.PurgeDocumentSubjectResponse{Committed: testCommitted()},
			},
			"GetDocument reads the caller's own administration's document when no issuer is named": {
				call: func(c context.Context, l *fakeLedger) (proto.Message, error) {
					return msg(docs(l).GetDocument(c, &apiv1.GetDocumentRequest{Id: "EXT-1"}))
				},
				want:   ledgerCall{Kind: "evaluate", Tx: spec.DocumentsGet, Args: []string{"RegistryMSP", "EXT-1"}},
				answer: testDocumentJSON,
				resp:   testDocumentProto(),
			},
			"VerifyDocument names the issuer given": {
				call: func(c context.Context, l *fakeLedger) (proto.Message, error) {
					return msg(docs(l).VerifyDocument(c, &apiv1.VerifyDocumentRequest{Issuer: "TaxMSP", Id: "EXT-1"}))
				},
				want:   ledgerCall{Kind: "evaluate", Tx: spec.DocumentsVerify, Args: []string{"TaxMSP", "EXT-1"}},
				answer: verdictJSON,
				resp:   &apiv1.VerifyDocumentResponse{Verdict: verdict},
			},
			"VerifyDocumentHash converts every verdict": {
				call: func(c context.Context, l *fakeLedger) (proto.Message, error) {
					return msg(docs(l).VerifyDocumentHash(c, &apiv1.VerifyDocumentHashRequest{Sha256: testDocumentHash}))
				},
				want:   ledgerCall{Kind: "evaluate", Tx: spec.DocumentsVerifyHash, Args: []string{testDocumentHash}},
				answer: `[` + verdictJSON + `]`,
				resp:   &apiv1.VerifyDocumentHashResponse{Verdicts: []*apiv1.DocumentVerdict{verdict}},
			},
			"ListDocuments sends the type's chaincode name, the page size and token": {
				call: func(c context.Context, l *fakeLedger) (proto.Message, error) {
					return msg(docs(l).ListDocuments(c, &apiv1.ListDocumentsRequest{
						Type: apiv1.DocumentType_DOCUMENT_TYPE_CIVIL_STATUS, PageSize: 10, PageToken: "bm1"}))
				},
				want:   ledgerCall{Kind: "evaluate", Tx: spec.DocumentsListByIssuer, Args: []string{"RegistryMSP", "civil-status", "10", "bm1"}},
				answer: `{"items":[` + testDocumentJSON + `],"bookmark":"bm2"}`,
				resp:   &apiv1.ListDocumentsResponse{Documents: []*apiv1.Document{testDocumentProto()}, NextPageToken: "bm2"},
			},
			"GetDocumentHistory converts each version": {
				call: func(c context.Context, l *fakeLedger) (proto.Message, error) {
					return msg(docs(l).GetDocumentHistory(c, &apiv1.GetDocumentHistoryRequest{Id: "EXT-1"}))
				},
				want:   ledgerCall{Kind: "evaluate", Tx: spec.DocumentsHistory, Args: []string{"RegistryMSP", "EXT-1"}},
				answer: `[{"txId":"t1","timestamp":"2024-01-01T10:00:00Z","isDelete":false,"document":` + testDocumentJSON + `}]`,
				resp: &apiv1.GetDocumentHistoryResponse{Versions: []*apiv1.DocumentVersion{
					{TransactionId: "t1", Timestamp: "2024-01-01T10:00:00Z", Document: testDocumentProto()}}},
			},
			"GetDocumentSubject returns the subject data as the chaincode gives it": {
				call: func(c context.Context, l *fakeLedger) (proto.Message, error) {
					return msg(docs(l).GetDocumentSubject(c, &apiv1.GetDocumentSubjectRequest{Id: "EXT-1"}))
				},
				want:   ledgerCall{Kind: "evaluate", Tx: spec.DocumentsGetSubject, Args: []string{"EXT-1"}},
				answer: subject,
				resp:   &apiv1.GetDocumentSubjectResponse{Id: "EXT-1", SubjectJson: subject},
			},
		})
	})

	t.Run("a chaincode refusal reaches the client with its gRPC code", func(t *testing.T) {
		runRefusalCases(t, map[string]refusalCase{
			"an id already registered is AlreadyExists": {
				call: func(c context.Context, l *fakeLedger) (proto.Message, error) {
					return msg(docs(l).RegisterDocument(c, validDocumentRegistration()))
				},
				tx: spec.DocumentsRegister, refusal: "ALREADY_EXISTS: document EXT-1 of RegistryMSP is already registered", want: codes.AlreadyExists,
			},
			"an unknown document is NotFound": {
				call: func(c context.Context, l *fakeLedger) (proto.Message, error) {
					return msg(docs(l).GetDocument(c, &apiv1.GetDocumentRequest{Id: "EXT-9"}))
				},
				tx: spec.DocumentsGet, refusal: "NOT_FOUND: no document EXT-9 of RegistryMSP", want: codes.NotFound,
			},
			"a revocation by another administration is PermissionDenied": {
				call: func(c context.Context, l *fakeLedger) (proto.Message, error) {
					return msg(docs(l).RevokeDocument(c, &apiv1.RevokeDocumentRequest{Id: "EXT-1", Reason: "r"}))
				},
				tx: spec.DocumentsRevoke, refusal: "PERMISSION_DENIED: only the issuer may revoke a document", want: codes.PermissionDenied,
			},
			"superseding a revoked document is FailedPrecondition": {
				call: func(c context.Context, l *fakeLedger) (proto.Message, error) {
					return msg(docs(l).SupersedeDocument(c, &apiv1.SupersedeDocumentRequest{Id: "EXT-1", NewId: "EXT-2"}))
				},
				tx: spec.DocumentsSupersede, refusal: "FAILED_PRECONDITION: document EXT-1 is revoked", want: codes.FailedPrecondition,
			},
			"a subject the chaincode rejects is InvalidArgument": {
				call: func(c context.Context, l *fakeLedger) (proto.Message, error) {
					return msg(docs(l).SetDocumentSubject(c, &apiv1.SetDocumentSubjectRequest{Id: "EXT-1", SubjectJson: subject}))
				},
				tx: spec.DocumentsSetSubject, refusal: "INVALID_ARGUMENT: subject data has an unknown field", want: codes.InvalidArgument,
			},
		})
	})

	t.Run("an invalid request never reaches the ledger", func(t *testing.T) {
		runInvalidCases(t, map[string]invalidCase{
			"a registration without a type": {field: "type", call: func(c context.Context, l *fakeLedger) (proto.Message, error) {
				req := validDocumentRegistration()
				req.Type = apiv1.DocumentType_DOCUMENT_TYPE_UNSPECIFIED
				return msg(docs(l).RegisterDocument(c, req))
			}},
			"a registration with a malformed hash": {field: "sha256", call: func(c context.Context, l *fakeLedger) (proto.Message, error) {
				req := validDocumentRegistration()
				req.Sha256 = "xyz"
				return msg(docs(l).RegisterDocument(c, req))
			}},
			"subject data without a salt": {field: "subject_json", call: func(c context.Context, l *fakeLedger) (proto.Message, error) {
				return msg(docs(l).SetDocumentSubject(c, &apiv1.SetDocumentSubjectRequest{Id: "EXT-1", SubjectJson: `{"name":"x"}`}))
			}},
			"a revocation without a reason": {field: "reason", call: func(c context.Context, l *fakeLedger) (proto.Message, error) {
				return msg(docs(l).RevokeDocument(c, &apiv1.RevokeDocumentRequest{Id: "EXT-1"}))
			}},
			"a document superseding itself": {field: "new_id", call: func(c context.Context, l *fakeLedger) (proto.Message, error) {
				return msg(docs(l).SupersedeDocument(c, &apiv1.SupersedeDocumentRequest{Id: "EXT-1", NewId: "EXT-1"}))
			}},
			"a purge with a malformed id": {field: "id", call: func(c context.Context, l *fakeLedger) (proto.Message, error) {
				return msg(docs(l).PurgeDocumentSubject(c, &apiv1.PurgeDocumentSubjectRequest{Id: "../x"}))
			}},
			"a read without an id": {field: "id", call: func(c context.Context, l *fakeLedger) (proto.Message, error) {
				return msg(docs(l).GetDocument(c, &apiv1.GetDocumentRequest{}))
			}},
			"a list with a page size over 100": {field: "page_size", call: func(c context.Context, l *fakeLedger) (proto.Message, error) {
				return msg(docs(l).ListDocuments(c, &apiv1.ListDocumentsRequest{PageSize: 101}))
			}},
			"a verification by a truncated hash": {field: "sha256", call: func(c context.Context, l *fakeLedger) (proto.Message, error) {
				return msg(docs(l).VerifyDocumentHash(c, &apiv1.VerifyDocumentHashRequest{Sha256: testDocumentHash[:63]}))
			}},
		})
	})
}
