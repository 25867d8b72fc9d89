package server

import (
	"encoding/hex"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/civicledger/civicledger/chaincode/records"
	"github.com/civicledger/civicledger/chaincode/spec"
	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
	"github.com/civicledger/civicledger/gateway/proofs/seal"
)

// Conversion between ledger documents (chaincode/records), seal claims and
// the API's messages.

// sealClaims are the claims of a seal for d at now. Only a valid document
// within its window gets a seal.
func sealClaims(d records.Document, now time.Time) (seal.Claims, error) {
	if d.Status != spec.DocumentValid {
		return seal.Claims{}, status.Errorf(codes.FailedPrecondition, "document %s is %s: only a valid document gets a seal", d.ID, d.Status)
	}
	c := seal.Claims{DocumentID: d.ID, DocumentType: d.Type, IssuerMSPID: d.Issuer, KeyFacts: d.KeyFacts}
	sum, err := hex.DecodeString(d.SHA256)
	if err != nil || len(sum) != len(c.DocumentSHA256) {
		return seal.Claims{}, status.Errorf(codes.Internal, "the ledger returned a malformed sha256 for document %s", d.ID)
	}
	copy(c.DocumentSHA256[:], sum)
	if c.ValidFrom, err = time.Parse(time.RFC3339, d.ValidFrom); err != nil {
		return seal.Claims{}, status.Errorf(codes.Internal, "the ledger returned a malformed validFrom for document %s", d.ID)
	}
	if d.ValidUntil != "" {
		if c.ValidUntil, err = time.Parse(time.RFC3339, d.ValidUntil); err != nil {
			return seal.Claims{}, status.Errorf(codes.Internal, "the ledger returned a malformed validUntil for document %s", d.ID)
		}
		if !now.Before(c.ValidUntil) {
			return seal.Claims{}, status.Errorf(codes.FailedPrecondition, "document %s expired at %s: it gets no seal", d.ID, d.ValidUntil)
		}
	}
	c.ValidFrom = c.ValidFrom.Truncate(time.Second)
	c.ValidUntil = c.ValidUntil.Truncate(time.Second)
	c.IssuedAt = now.Truncate(time.Second)
	return c, nil
}

// sealResponse renders a fresh seal in every form the API returns.
func sealResponse(sl seal.Seal, pngSize int, portal string, c seal.Claims) (*apiv1.IssueSealResponse, error) {
	png, err := sl.PNG(pngSize)
	if err != nil {
		return nil, invalid("png_size", "%v", err)
	}
	svg, err := sl.SVG()
	if err != nil {
		return nil, status.Errorf(codes.Internal, "render seal: %v", err)
	}
	link, err := sl.Link(portal)
	if err != nil {
		return nil, status.Errorf(codes.Internal, "seal link: %v", err)
	}
	version, err := sl.QRVersion()
	if err != nil {
		return nil, status.Errorf(codes.Internal, "render seal: %v", err)
	}
	return &apiv1.IssueSealResponse{
		Text: sl.Text, Png: png, Svg: svg, Link: link, QrVersion: int32(version), Claims: sealClaimsProto(c),
	}, nil
}

func sealClaimsProto(c seal.Claims) *apiv1.SealClaims {
	p := &apiv1.SealClaims{
		Issuer: c.IssuerMSPID, DocumentId: c.DocumentID, Type: c.DocumentType,
		Sha256: hex.EncodeToString(c.DocumentSHA256[:]), KeyFacts: c.KeyFacts,
		ValidFrom: c.ValidFrom.UTC().Format(time.RFC3339), IssuedAt: c.IssuedAt.UTC().Format(time.RFC3339),
	}
	if !c.ValidUntil.IsZero() {
		p.ValidUntil = c.ValidUntil.UTC().Format(time.RFC3339)
	}
	return p
}

func offlineVerdict(v seal.Verdict) *apiv1.OfflineVerdict {
	p := &apiv1.OfflineVerdict{Valid: v.Valid, Reason: string(v.Reason), Message: v.Message}
	if v.Claims != nil {
		p.Claims = sealClaimsProto(*v.Claims)
	}
	return p
}
