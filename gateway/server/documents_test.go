package server

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/civicledger/civicledger/chaincode/records"
	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
)

const testDocumentHash = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"

func validDocumentRegistration() *apiv1.RegisterDocumentRequest {
	return &apiv1.RegisterDocumentRequest{
		Id: "EXT-1", Type: apiv1.DocumentType_DOCUMENT_TYPE_DEBT_EXTRACT, Sha256: testDocumentHash,
		ValidFrom: "2024-01-01T00:00:00Z", SubjectRef: testDocumentHash,
	}
}

// requireInvalidField checks err is InvalidArgument about field.
func requireInvalidField(t *testing.T, err error, field string) {
	t.Helper()
	st := status.Convert(err)
	require.Equal(t, codes.InvalidArgument, st.Code(), st.Message())
	require.True(t, strings.HasPrefix(st.Message(), field+":"), "message %q names %s", st.Message(), field)
}

func TestDocumentsValidation(t *testing.T) {
	// No Fabric client: every case must be refused before the ledger is called.
	d := &documentsService{ledger: &fakeLedger{}}
	c := context.Background()

	t.Run("a registration with a malformed field is refused naming the field", func(t *testing.T) {
		for field, edit := range map[string]func(*apiv1.RegisterDocumentRequest){
			"id":          func(r *apiv1.RegisterDocumentRequest) { r.Id = "" },
			"type":        func(r *apiv1.RegisterDocumentRequest) { r.Type = apiv1.DocumentType_DOCUMENT_TYPE_UNSPECIFIED },
			"sha256":      func(r *apiv1.RegisterDocumentRequest) { r.Sha256 = "xyz" },
			"subject_ref": func(r *apiv1.RegisterDocumentRequest) { r.SubjectRef = "" },
			"valid_from":  func(r *apiv1.RegisterDocumentRequest) { r.ValidFrom = "2024-01-01" },
			"valid_until": func(r *apiv1.RegisterDocumentRequest) { r.ValidUntil = "tomorrow" },
		} {
			t.Run(field, func(t *testing.T) {
				req := validDocumentRegistration()
				edit(req)
				_, err := d.RegisterDocument(c, req)
				requireInvalidField(t, err, field)
			})
		}
	})

	t.Run("bad subject data is refused without quoting it", func(t *testing.T) {
		for name, subject := range map[string]string{
			"empty":        "",
			"not JSON":     "Jean Dupont",
			"not object":   `["Jean Dupont"]`,
			"no salt":      `{"name":"Jean Dupont"}`,
			"blank salt":   `{"salt":" ","name":"Jean Dupont"}`,
			"numeric salt": `{"salt":1,"name":"Jean Dupont"}`,
			"too large":    `{"salt":"s","name":"Jean Dupont` + strings.Repeat("x", 5000) + `"}`,
		} {
			t.Run(name, func(t *testing.T) {
				_, err := d.SetDocumentSubject(c, &apiv1.SetDocumentSubjectRequest{Id: "EXT-1", SubjectJson: subject})
				requireInvalidField(t, err, "subject_json")
				require.NotContains(t, status.Convert(err).Message(), "Dupont")
			})
		}
	})

	t.Run("a document cannot supersede itself", func(t *testing.T) {
		_, err := d.SupersedeDocument(c, &apiv1.SupersedeDocumentRequest{Id: "EXT-1", NewId: "EXT-1"})
		requireInvalidField(t, err, "new_id")
	})

	t.Run("a revocation needs a reason", func(t *testing.T) {
		_, err := d.RevokeDocument(c, &apiv1.RevokeDocumentRequest{Id: "EXT-1", Reason: "  "})
		requireInvalidField(t, err, "reason")
	})

	t.Run("reads need a well-formed id or hash", func(t *testing.T) {
		_, err := d.GetDocument(c, &apiv1.GetDocumentRequest{Issuer: "RegistryMSP"})
		requireInvalidField(t, err, "id")
		_, err = d.VerifyDocument(c, &apiv1.VerifyDocumentRequest{Id: "../x"})
		requireInvalidField(t, err, "id")
		_, err = d.VerifyDocumentHash(c, &apiv1.VerifyDocumentHashRequest{Sha256: testDocumentHash[:63]})
		requireInvalidField(t, err, "sha256")
		_, err = d.ListDocuments(c, &apiv1.ListDocumentsRequest{PageSize: 101})
		requireInvalidField(t, err, "page_size")
		_, err = d.GetDocumentSubject(c, &apiv1.GetDocumentSubjectRequest{})
		requireInvalidField(t, err, "id")
	})
}

func TestDocumentConversion(t *testing.T) {
	t.Run("every chaincode type and status maps to an API value and back", func(t *testing.T) {
		require.Len(t, documentTypes, len(apiv1.DocumentType_name)-1)
		for typ, name := range documentTypes {
			got, err := documentTypeOf(name)
			require.NoError(t, err)
			require.Equal(t, typ, got)
		}
		require.Len(t, documentStatuses, len(apiv1.DocumentStatus_name)-1)
	})

	t.Run("an unknown verdict by hash converts with no type", func(t *testing.T) {
		v, err := documentVerdictProto(records.DocumentVerdict{Status: "unknown", SHA256: testDocumentHash, CheckedAt: "2024-01-01T00:00:00Z"})
		require.NoError(t, err)
		require.Equal(t, apiv1.DocumentStatus_DOCUMENT_STATUS_UNKNOWN, v.Status)
		require.Equal(t, apiv1.DocumentType_DOCUMENT_TYPE_UNSPECIFIED, v.Type)
	})

	t.Run("a status the gateway does not know is an internal error, not a wrong answer", func(t *testing.T) {
		_, err := documentProto(records.Document{Type: "permit", Status: "archived"})
		require.Equal(t, codes.Internal, status.Code(err))
	})

	t.Run("an upper-case hash is accepted in the chaincode's lower-case form", func(t *testing.T) {
		got, err := documentHash("sha256", strings.ToUpper(testDocumentHash))
		require.NoError(t, err)
		require.Equal(t, testDocumentHash, got)
	})
}
