package main

import (
	"context"

	"github.com/civicledger/civicledger/chaincode/records"
	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
	"github.com/civicledger/civicledger/network/connfile"
)

// gatewayRegistrar registers documents through the administration's
// CivicLedger gateway (DocumentsService.RegisterDocument), authenticated as
// the same user, over one shared connection.
func gatewayRegistrar(conn connfile.Connection, o options) (registerFunc, func(), error) {
	cc, err := conn.DialGateway(o.org, o.user)
	if err != nil {
		return nil, nil, err
	}
	return documentsRegistrar(apiv1.NewDocumentsServiceClient(cc)), func() { cc.Close() }, nil
}

// documentsRegistrar registers documents with DocumentsService.RegisterDocument.
func documentsRegistrar(docs apiv1.DocumentsServiceClient) registerFunc {
	return func(ctx context.Context, in records.DocumentRegistration) error {
		_, err := docs.RegisterDocument(ctx, &apiv1.RegisterDocumentRequest{
			Id: in.ID, Type: apiv1.DocumentType_DOCUMENT_TYPE_CERTIFICATE, Sha256: in.SHA256,
			KeyFacts: in.KeyFacts, ValidFrom: in.ValidFrom, ValidUntil: in.ValidUntil, SubjectRef: in.SubjectRef,
		})
		return err
	}
}
