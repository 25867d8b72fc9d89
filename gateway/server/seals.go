package server

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/civicledger/civicledger/chaincode/records"
	"github.com/civicledger/civicledger/chaincode/spec"
	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
	"github.com/civicledger/civicledger/gateway/fabric"
	"github.com/civicledger/civicledger/gateway/proofs/seal"
)

// sealsService issues QR seals (format CL1) for the caller's administration's
// documents and verifies seals offline and against the ledger. Conversions
// are in seals_convert.go, the signer and the trust list cache in
// seals_keys.go.
type sealsService struct {
	apiv1.UnimplementedSealServiceServer
	ledger ledger
	sealer *seal.Signer // nil when the gateway has no seal key
	trust  trustSource
	// mspID names this gateway's administration in the no-seal-key message;
	// portalURL is the base of the verification links printed under a seal.
	mspID, portalURL string
}

// trustSource gives the member administrations' certificates that seals
// verify against (trustCache, or a fixed list in tests).
type trustSource interface {
	get(ctx context.Context, u *fabric.User) (seal.TrustList, error)
}

const (
	defaultPNGSize = 512
	maxPNGSize     = 4096
)

// sealIssuerRoles may issue seals; other roles of the administration only
// verify them.
var sealIssuerRoles = map[string]bool{spec.RoleClerk: true, spec.RoleApprover: true, spec.RoleAdmin: true}

func (s *sealsService) IssueSeal(ctx context.Context, req *apiv1.IssueSealRequest) (*apiv1.IssueSealResponse, error) {
	if err := documentID("document_id", req.DocumentId); err != nil {
		return nil, err
	}
	size := int(req.PngSize)
	if size == 0 {
		size = defaultPNGSize
	}
	if size < 0 || size > maxPNGSize {
		return nil, invalid("png_size", "must be between 1 and %d pixels, or 0 for %d", maxPNGSize, defaultPNGSize)
	}
	u := caller(ctx)
	if u == nil || !sealIssuerRoles[u.Role] {
		return nil, status.Error(codes.PermissionDenied, "issuing a seal needs the role clerk, approver or admin")
	}
	if s.sealer == nil {
		return nil, status.Errorf(codes.FailedPrecondition,
			"this gateway has no seal key: set seal.cert and seal.key in the configuration of %s's gateway", s.mspID)
	}
	var doc records.Document
	if err := evaluateJSON(ctx, s.ledger, &doc, spec.DocumentsGet, u.MSPID, req.DocumentId); err != nil {
		return nil, err
	}
	claims, err := sealClaims(doc, time.Now())
	if err != nil {
		return nil, err
	}
	sl, err := s.sealer.Seal(claims)
	if errors.Is(err, seal.ErrTooLarge) {
		return nil, status.Errorf(codes.FailedPrecondition, "document %s does not fit a QR seal (its key facts are too long): %v", req.DocumentId, err)
	}
	if err != nil {
		return nil, status.Errorf(codes.Internal, "sign seal: %v", err)
	}
	return sealResponse(sl, size, s.portalURL, claims)
}

func (s *sealsService) VerifySeal(ctx context.Context, req *apiv1.VerifySealRequest) (*apiv1.VerifySealResponse, error) {
	text, err := sealText(req)
	if err != nil {
		return nil, err
	}
	var opts []seal.VerifyOption
	if req.DocumentSha256 != "" {
		sum, err := documentHash("document_sha256", req.DocumentSha256)
		if err != nil {
			return nil, err
		}
		raw, err := hex.DecodeString(sum)
		if err != nil {
			return nil, invalid("document_sha256", "%v", err)
		}
		opts = append(opts, seal.WithDocument([32]byte(raw)))
	}
	trust, err := s.trust.get(ctx, caller(ctx))
	if err != nil {
		return nil, toStatus(err)
	}
	v := seal.Verify(text, trust, time.Now(), opts...)
	resp := &apiv1.VerifySealResponse{Offline: offlineVerdict(v)}
	if v.Claims == nil {
		return resp, nil // signature or issuer not established: nothing to ask the ledger
	}
	var lv records.DocumentVerdict
	if err := evaluateJSON(ctx, s.ledger, &lv, spec.DocumentsVerify, v.Claims.IssuerMSPID, v.Claims.DocumentID); err != nil {
		return nil, err
	}
	if resp.LedgerStatus, err = documentStatusOf(lv.Status); err != nil {
		return nil, err
	}
	resp.LedgerSha256 = lv.SHA256
	resp.Valid = v.Valid && resp.LedgerStatus == apiv1.DocumentStatus_DOCUMENT_STATUS_VALID &&
		lv.SHA256 == hex.EncodeToString(v.Claims.DocumentSHA256[:])
	return resp, nil
}

// sealText gets the seal text out of whichever form the request holds.
func sealText(req *apiv1.VerifySealRequest) (string, error) {
	switch in := req.Seal.(type) {
	case *apiv1.VerifySealRequest_Text:
		if in.Text == "" {
			return "", invalid("text", "is empty")
		}
		return in.Text, nil
	case *apiv1.VerifySealRequest_Image:
		text, err := seal.DecodeImage(bytes.NewReader(in.Image))
		if errors.Is(err, seal.ErrNoQRCode) {
			return "", invalid("image", "no QR code found in the image")
		}
		if err != nil {
			return "", invalid("image", "%v", err)
		}
		return text, nil
	case *apiv1.VerifySealRequest_Link:
		text, err := seal.ParseLink(in.Link)
		if err != nil {
			return "", invalid("link", "%v", err)
		}
		return text, nil
	}
	return "", invalid("seal", "is required: the seal's text, an image of its QR code, or its verification link")
}
