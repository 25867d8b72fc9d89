package server

import (
	"context"
	"strings"

	"github.com/civicledger/civicledger/chaincode/records"
	"github.com/civicledger/civicledger/chaincode/spec"
	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
	"github.com/civicledger/civicledger/gateway/fabric"
)

// documentsService serves DocumentsService over the Documents contract. The
// subject's clear data only ever travels in the transient spec.SubjectTransientKey and
// is never logged, nor echoed in an error. Conversions are in
// documents_convert.go, request checks in documents_validate.go.
type documentsService struct {
	apiv1.UnimplementedDocumentsServiceServer
	ledger ledger
}

func (d *documentsService) RegisterDocument(ctx context.Context, req *apiv1.RegisterDocumentRequest) (*apiv1.RegisterDocumentResponse, error) {
	in, err := documentRegistration(req)
	if err != nil {
		return nil, err
	}
	arg, err := jsonArg(in)
	if err != nil {
		return nil, err
	}
	doc, committed, err := submitConverted(ctx, d.ledger, fabric.Submission{Transaction: spec.DocumentsRegister, Args: []string{arg}}, documentProto)
	if err != nil {
		return nil, err
	}
	return &apiv1.RegisterDocumentResponse{Document: doc, Committed: committed}, nil
}

func (d *documentsService) SetDocumentSubject(ctx context.Context, req *apiv1.SetDocumentSubjectRequest) (*apiv1.SetDocumentSubjectResponse, error) {
	if err := documentID("id", req.Id); err != nil {
		return nil, err
	}
	if err := documentSubject(req.SubjectJson); err != nil {
		return nil, err
	}
	committed, err := submitJSON(ctx, d.ledger, nil, fabric.Submission{
		Transaction: spec.DocumentsSetSubject, Args: []string{req.Id},
		Transient: map[string][]byte{spec.SubjectTransientKey: []byte(req.SubjectJson)},
	})
	if err != nil {
		return nil, err
	}
	return &apiv1.SetDocumentSubjectResponse{Committed: committed}, nil
}

func (d *documentsService) RevokeDocument(ctx context.Context, req *apiv1.RevokeDocumentRequest) (*apiv1.RevokeDocumentResponse, error) {
	if err := documentID("id", req.Id); err != nil {
		return nil, err
	}
	if strings.TrimSpace(req.Reason) == "" {
		return nil, invalid("reason", "is required: say why the document is revoked (public, at most %d characters)", spec.MaxDocumentReason)
	}
	doc, committed, err := d.submitDocument(ctx, spec.DocumentsRevoke, req.Id, req.Reason)
	if err != nil {
		return nil, err
	}
	return &apiv1.RevokeDocumentResponse{Document: doc, Committed: committed}, nil
}

func (d *documentsService) SupersedeDocument(ctx context.Context, req *apiv1.SupersedeDocumentRequest) (*apiv1.SupersedeDocumentResponse, error) {
	if err := documentID("id", req.Id); err != nil {
		return nil, err
	}
	if err := documentID("new_id", req.NewId); err != nil {
		return nil, err
	}
	if req.Id == req.NewId {
		return nil, invalid("new_id", "must differ from id: a document cannot supersede itself")
	}
	doc, committed, err := d.submitDocument(ctx, spec.DocumentsSupersede, req.Id, req.NewId)
	if err != nil {
		return nil, err
	}
	return &apiv1.SupersedeDocumentResponse{Document: doc, Committed: committed}, nil
}

func (d *documentsService) PurgeDocumentSubject(ctx context.Context, req *apiv1.PurgeDocumentSubjectRequest) (*apiv1.PurgeDocumentSubjectResponse, error) {
	if err := documentID("id", req.Id); err != nil {
		return nil, err
	}
	committed, err := submitJSON(ctx, d.ledger, nil, fabric.Submission{Transaction: spec.DocumentsPurgeSubject, Args: []string{req.Id}})
	if err != nil {
		return nil, err
	}
	return &apiv1.PurgeDocumentSubjectResponse{Committed: committed}, nil
}

func (d *documentsService) GetDocument(ctx context.Context, req *apiv1.GetDocumentRequest) (*apiv1.Document, error) {
	if err := documentID("id", req.Id); err != nil {
		return nil, err
	}
	var doc records.Document
	if err := evaluateJSON(ctx, d.ledger, &doc, spec.DocumentsGet, ownerOrCaller(ctx, req.Issuer), req.Id); err != nil {
		return nil, err
	}
	return documentProto(doc)
}

func (d *documentsService) VerifyDocument(ctx context.Context, req *apiv1.VerifyDocumentRequest) (*apiv1.VerifyDocumentResponse, error) {
	if err := documentID("id", req.Id); err != nil {
		return nil, err
	}
	var v records.DocumentVerdict
	if err := evaluateJSON(ctx, d.ledger, &v, spec.DocumentsVerify, ownerOrCaller(ctx, req.Issuer), req.Id); err != nil {
		return nil, err
	}
	p, err := documentVerdictProto(v)
	if err != nil {
		return nil, err
	}
	return &apiv1.VerifyDocumentResponse{Verdict: p}, nil
}

func (d *documentsService) VerifyDocumentHash(ctx context.Context, req *apiv1.VerifyDocumentHashRequest) (*apiv1.VerifyDocumentHashResponse, error) {
	sum, err := documentHash("sha256", req.Sha256)
	if err != nil {
		return nil, err
	}
	var list []*records.DocumentVerdict
	if err := evaluateJSON(ctx, d.ledger, &list, spec.DocumentsVerifyHash, sum); err != nil {
		return nil, err
	}
	verdicts, err := convertAll(list, documentVerdictProto)
	if err != nil {
		return nil, err
	}
	return &apiv1.VerifyDocumentHashResponse{Verdicts: verdicts}, nil
}

func (d *documentsService) ListDocuments(ctx context.Context, req *apiv1.ListDocumentsRequest) (*apiv1.ListDocumentsResponse, error) {
	typ := ""
	if req.Type != apiv1.DocumentType_DOCUMENT_TYPE_UNSPECIFIED {
		var ok bool
		if typ, ok = documentTypes[req.Type]; !ok {
			return nil, invalid("type", "unknown document type %d", req.Type)
		}
	}
	size, err := pageSize(req.PageSize)
	if err != nil {
		return nil, err
	}
	var page records.DocumentPage
	if err := evaluateJSON(ctx, d.ledger, &page, spec.DocumentsListByIssuer, ownerOrCaller(ctx, req.Issuer), typ, size, req.PageToken); err != nil {
		return nil, err
	}
	docs, err := convertAll(page.Items, documentProto)
	if err != nil {
		return nil, err
	}
	return &apiv1.ListDocumentsResponse{Documents: docs, NextPageToken: page.Bookmark}, nil
}

func (d *documentsService) GetDocumentHistory(ctx context.Context, req *apiv1.GetDocumentHistoryRequest) (*apiv1.GetDocumentHistoryResponse, error) {
	if err := documentID("id", req.Id); err != nil {
		return nil, err
	}
	var list []*records.DocumentVersion
	if err := evaluateJSON(ctx, d.ledger, &list, spec.DocumentsHistory, ownerOrCaller(ctx, req.Issuer), req.Id); err != nil {
		return nil, err
	}
	versions, err := convertAll(list, documentVersionProto)
	if err != nil {
		return nil, err
	}
	return &apiv1.GetDocumentHistoryResponse{Versions: versions}, nil
}

func (d *documentsService) GetDocumentSubject(ctx context.Context, req *apiv1.GetDocumentSubjectRequest) (*apiv1.GetDocumentSubjectResponse, error) {
	if err := documentID("id", req.Id); err != nil {
		return nil, err
	}
	raw, err := d.ledger.Evaluate(ctx, caller(ctx), spec.DocumentsGetSubject, req.Id)
	if err != nil {
		return nil, toStatus(err)
	}
	return &apiv1.GetDocumentSubjectResponse{Id: req.Id, SubjectJson: string(raw)}, nil
}

// submitDocument submits a transaction that returns the changed Document.
func (d *documentsService) submitDocument(ctx context.Context, tx string, args ...string) (*apiv1.Document, *apiv1.Committed, error) {
	return submitConverted(ctx, d.ledger, fabric.Submission{Transaction: tx, Args: args}, documentProto)
}
