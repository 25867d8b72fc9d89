package server

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"

	"github.com/civicledger/civicledger/chaincode/spec"
	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
)

// batchOf is a batch of n valid registrations EXT-0 … EXT-n-1.
func batchOf(n int) *apiv1.RegisterDocumentsRequest {
	req := &apiv1.RegisterDocumentsRequest{}
	for i := range n {
		r := validDocumentRegistration()
		r.Id = fmt.Sprintf("EXT-%d", i)
		req.Documents = append(req.Documents, r)
	}
	return req
}

func TestRegisterDocuments(t *testing.T) {
	t.Run("a batch is one RegisterBatch transaction with every registration as RegisterDocument sends it", func(t *testing.T) {
		req := batchOf(2)
		req.SkipRegistered = true
		req.Documents[1].Sha256 = strings.ToUpper(testDocumentHash)
		entry := func(id string) string {
			return `{"id":"` + id + `","type":"debt-extract","sha256":"` + testDocumentHash +
				`","validFrom":"2024-01-01T00:00:00Z","subjectRef":"` + testDocumentHash + `"}`
		}
		runHandlerCases(t, map[string]handlerCase{
			"RegisterDocuments": {
				call: func(c context.Context, l *fakeLedger) (proto.Message, error) {
					return msg(docs(l).RegisterDocuments(c, req))
				},
				want: ledgerCall{Kind: "submit", Tx: spec.DocumentsRegisterBatch, Args: []string{
					`{"documents":[` + entry("EXT-0") + `,` + entry("EXT-1") + `],"skipRegistered":true}`}},
				answer: `{"issuer":"RegistryMSP","registered":["EXT-1"],"skipped":["EXT-0"],"registeredAt":"2024-01-01T10:00:00Z","registeredBy":"clerk1"}`,
				resp: &apiv1.RegisterDocumentsResponse{Issuer: "RegistryMSP", Registered: []string{"EXT-1"}, Skipped: []string{"EXT-0"},
					RegisteredAt: "2024-01-01T10:00:00Z", Committed: testCommitted()},
			},
		})
	})

	t.Run("the chaincode's refusal of an entry reaches the client with its code and text", func(t *testing.T) {
		runRefusalCases(t, map[string]refusalCase{
			"an id already registered": {
				call: func(c context.Context, l *fakeLedger) (proto.Message, error) {
					return msg(docs(l).RegisterDocuments(c, batchOf(3)))
				},
				tx:      spec.DocumentsRegisterBatch,
				refusal: `ALREADY_EXISTS: documents[2] (id "EXT-2"): document EXT-2 is already registered by RegistryMSP`,
				want:    codes.AlreadyExists,
			},
		})
	})

	t.Run("a malformed batch is refused naming the entry, before any ledger call", func(t *testing.T) {
		for name, tc := range map[string]struct {
			req  *apiv1.RegisterDocumentsRequest
			want string
		}{
			"no documents":   {&apiv1.RegisterDocumentsRequest{}, "documents: is required"},
			"too many":       {batchOf(spec.MaxDocumentBatch + 1), fmt.Sprintf("documents: has %d registrations, at most %d", spec.MaxDocumentBatch+1, spec.MaxDocumentBatch)},
			"a bad hash":     {func() *apiv1.RegisterDocumentsRequest { r := batchOf(3); r.Documents[1].Sha256 = "xyz"; return r }(), `documents[1] (id "EXT-1"): sha256:`},
			"a missing type": {func() *apiv1.RegisterDocumentsRequest { r := batchOf(3); r.Documents[2].Type = 0; return r }(), `documents[2] (id "EXT-2"): type:`},
			"no id":          {func() *apiv1.RegisterDocumentsRequest { r := batchOf(3); r.Documents[0].Id = ""; return r }(), `documents[0]: id:`},
			"an id twice":    {func() *apiv1.RegisterDocumentsRequest { r := batchOf(3); r.Documents[2].Id = "EXT-0"; return r }(), `documents[2] (id "EXT-0"): id: repeats documents[0]`},
			"a nil entry":    {&apiv1.RegisterDocumentsRequest{Documents: []*apiv1.RegisterDocumentRequest{nil}}, `documents[0]: id:`},
		} {
			t.Run(name, func(t *testing.T) {
				l := &fakeLedger{}
				_, err := docs(l).RegisterDocuments(asClerk(), tc.req)
				st := status.Convert(err)
				require.Equal(t, codes.InvalidArgument, st.Code(), st.Message())
				require.True(t, strings.HasPrefix(st.Message(), tc.want), "message %q, want prefix %q", st.Message(), tc.want)
				require.Empty(t, l.recorded())
			})
		}
	})
}
