//go:build integration

package integration

import (
	"bytes"
	"image"
	"image/png"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"

	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
)

func seals(t *testing.T, mspID, user string) apiv1.SealServiceClient {
	t.Helper()
	return apiv1.NewSealServiceClient(gw(t, mspID, user))
}

// tamper changes one Base45 character in the middle of a seal text.
func tamper(text string) string {
	i := len(text) / 2
	c := byte('A')
	if text[i] == 'A' {
		c = 'B'
	}
	return text[:i] + string(c) + text[i+1:]
}

func whitePNG(t *testing.T) []byte {
	t.Helper()
	img := image.NewGray(image.Rect(0, 0, 200, 200))
	for i := range img.Pix {
		img.Pix[i] = 0xff
	}
	var buf bytes.Buffer
	require.NoError(t, png.Encode(&buf, img))
	return buf.Bytes()
}

func TestSealService(t *testing.T) {
	id := uniqueID("SEAL")
	req := docRequest(id, apiv1.DocumentType_DOCUMENT_TYPE_DEBT_EXTRACT)
	docRegister(t, registry, req)

	issued, err := seals(t, registry, "clerk").IssueSeal(ctx(t), &apiv1.IssueSealRequest{DocumentId: id, PngSize: 600})
	require.NoError(t, err)
	require.True(t, strings.HasPrefix(issued.Text, "CL1:"))
	require.NotEmpty(t, issued.Png)
	require.Contains(t, issued.Svg, "<svg")
	require.True(t, strings.HasPrefix(issued.Link, tn.PortalURL()+"/verify#"), issued.Link)
	require.Positive(t, issued.QrVersion)
	require.Equal(t, registry, issued.Claims.Issuer)
	require.Equal(t, id, issued.Claims.DocumentId)
	require.Equal(t, "debt-extract", issued.Claims.Type)
	require.Equal(t, req.Sha256, issued.Claims.Sha256)
	require.Equal(t, req.KeyFacts, issued.Claims.KeyFacts)

	verifier := seals(t, treasury, "clerk")

	t.Run("another administration verifies the PNG as valid", func(t *testing.T) {
		resp, err := verifier.VerifySeal(ctx(t), &apiv1.VerifySealRequest{Seal: &apiv1.VerifySealRequest_Image{Image: issued.Png}})
		require.NoError(t, err)
		require.True(t, resp.Valid)
		require.True(t, resp.Offline.Valid, resp.Offline.Message)
		require.Equal(t, "ok", resp.Offline.Reason)
		require.Equal(t, registry, resp.Offline.Claims.Issuer)
		require.Equal(t, id, resp.Offline.Claims.DocumentId)
		require.Equal(t, docValid, resp.LedgerStatus)
		require.Equal(t, req.Sha256, resp.LedgerSha256)
	})

	t.Run("the link and the text verify too", func(t *testing.T) {
		for name, r := range map[string]*apiv1.VerifySealRequest{
			"link": {Seal: &apiv1.VerifySealRequest_Link{Link: issued.Link}},
			"text": {Seal: &apiv1.VerifySealRequest_Text{Text: issued.Text}},
		} {
			resp, err := seals(t, council, "clerk").VerifySeal(ctx(t), r)
			require.NoError(t, err, name)
			require.True(t, resp.Valid, name)
		}
	})

	t.Run("the document hash must match the sealed one", func(t *testing.T) {
		resp, err := verifier.VerifySeal(ctx(t), &apiv1.VerifySealRequest{
			Seal: &apiv1.VerifySealRequest_Text{Text: issued.Text}, DocumentSha256: req.Sha256})
		require.NoError(t, err)
		require.True(t, resp.Valid)

		resp, err = verifier.VerifySeal(ctx(t), &apiv1.VerifySealRequest{
			Seal: &apiv1.VerifySealRequest_Text{Text: issued.Text}, DocumentSha256: docHash("another document")})
		require.NoError(t, err)
		require.False(t, resp.Valid)
		require.False(t, resp.Offline.Valid)
		require.Equal(t, "document-mismatch", resp.Offline.Reason)
	})

	t.Run("a tampered text is not valid", func(t *testing.T) {
		resp, err := verifier.VerifySeal(ctx(t), &apiv1.VerifySealRequest{Seal: &apiv1.VerifySealRequest_Text{Text: tamper(issued.Text)}})
		require.NoError(t, err)
		require.False(t, resp.Valid)
		require.Contains(t, []string{"bad-signature", "bad-encoding"}, resp.Offline.Reason)
		require.Nil(t, resp.Offline.Claims)
		require.Equal(t, apiv1.DocumentStatus_DOCUMENT_STATUS_UNSPECIFIED, resp.LedgerStatus)
	})

	t.Run("an image without a QR code is refused", func(t *testing.T) {
		_, err := verifier.VerifySeal(ctx(t), &apiv1.VerifySealRequest{Seal: &apiv1.VerifySealRequest_Image{Image: whitePNG(t)}})
		requireCode(t, err, codes.InvalidArgument)
		require.Contains(t, err.Error(), "no QR code found in the image")
		_, err = verifier.VerifySeal(ctx(t), &apiv1.VerifySealRequest{})
		requireCode(t, err, codes.InvalidArgument)
	})

	t.Run("unknown documents and other administrations' documents get no seal", func(t *testing.T) {
		_, err := seals(t, registry, "clerk").IssueSeal(ctx(t), &apiv1.IssueSealRequest{DocumentId: uniqueID("NOPE")})
		requireCode(t, err, codes.NotFound)
		_, err = seals(t, treasury, "clerk").IssueSeal(ctx(t), &apiv1.IssueSealRequest{DocumentId: id})
		requireCode(t, err, codes.NotFound)
		_, err = seals(t, registry, "clerk").IssueSeal(ctx(t), &apiv1.IssueSealRequest{DocumentId: "bad id"})
		requireCode(t, err, codes.InvalidArgument)
	})

	t.Run("a revoked document's seal is valid offline but not on the ledger", func(t *testing.T) {
		rev, err := documents(t, registry, "approver").RevokeDocument(ctx(t), &apiv1.RevokeDocumentRequest{Id: id, Reason: "issued in error"})
		require.NoError(t, err)
		require.NoError(t, tn.WaitForBlock(ctx(t), rev.Committed.BlockNumber))

		resp, err := verifier.VerifySeal(ctx(t), &apiv1.VerifySealRequest{Seal: &apiv1.VerifySealRequest_Image{Image: issued.Png}})
		require.NoError(t, err)
		require.True(t, resp.Offline.Valid)
		require.Equal(t, docRevoked, resp.LedgerStatus)
		require.False(t, resp.Valid)

		_, err = seals(t, registry, "clerk").IssueSeal(ctx(t), &apiv1.IssueSealRequest{DocumentId: id})
		requireCode(t, err, codes.FailedPrecondition)
	})
}

func TestSealOfAnExpiredDocument(t *testing.T) {
	id := uniqueID("SEALEXP")
	req := docRequest(id, apiv1.DocumentType_DOCUMENT_TYPE_PERMIT)
	until := time.Now().UTC().Add(5 * time.Second).Truncate(time.Second)
	req.ValidUntil = until.Format(time.RFC3339)
	docRegister(t, registry, req)
	issued, err := seals(t, registry, "clerk").IssueSeal(ctx(t), &apiv1.IssueSealRequest{DocumentId: id})
	require.NoError(t, err)
	time.Sleep(time.Until(until.Add(time.Second)))

	t.Run("after its validity window the seal is expired offline and on the ledger", func(t *testing.T) {
		resp, err := seals(t, council, "clerk").VerifySeal(ctx(t), &apiv1.VerifySealRequest{Seal: &apiv1.VerifySealRequest_Image{Image: issued.Png}})
		require.NoError(t, err)
		require.False(t, resp.Valid)
		require.False(t, resp.Offline.Valid)
		require.Equal(t, "expired", resp.Offline.Reason, resp.Offline.Message)
		require.Equal(t, id, resp.Offline.Claims.DocumentId)
		require.Equal(t, docExpired, resp.LedgerStatus)
	})

	t.Run("an expired document gets no new seal", func(t *testing.T) {
		_, err := seals(t, registry, "clerk").IssueSeal(ctx(t), &apiv1.IssueSealRequest{DocumentId: id})
		requireCode(t, err, codes.FailedPrecondition)
	})
}
