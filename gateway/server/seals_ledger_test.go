package server

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"

	"github.com/civicledger/civicledger/chaincode/spec"
	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
	"github.com/civicledger/civicledger/gateway/config"
	"github.com/civicledger/civicledger/gateway/fabric"
	"github.com/civicledger/civicledger/gateway/proofs/seal"
)

// fixedTrust is a trust list that needs no ledger.
type fixedTrust seal.TrustList

func (f fixedTrust) get(context.Context, *fabric.User) (seal.TrustList, error) {
	return seal.TrustList(f), nil
}

func TestSealsHandlers(t *testing.T) {
	ca, files := sealPKI(t)
	signer, err := loadSealSigner(files)
	require.NoError(t, err)
	docJSON, err := json.Marshal(testSealDocument())
	require.NoError(t, err)
	seals := func(l *fakeLedger) *sealsService {
		return &sealsService{ledger: l, sealer: signer, trust: fixedTrust{"RegistryMSP": {ca}},
			mspID: "RegistryMSP", portalURL: config.DefaultPortalURL}
	}
	issued := func(t *testing.T) string {
		l := &fakeLedger{answers: map[string]string{spec.DocumentsGet: string(docJSON)}}
		resp, err := seals(l).IssueSeal(asClerk(), &apiv1.IssueSealRequest{DocumentId: "EXT-1"})
		require.NoError(t, err)
		return resp.Text
	}

	t.Run("IssueSeal reads the caller's own document from the ledger and seals it", func(t *testing.T) {
		l := &fakeLedger{answers: map[string]string{spec.DocumentsGet: string(docJSON)}}
		resp, err := seals(l).IssueSeal(asClerk(), &apiv1.IssueSealRequest{DocumentId: "EXT-1", PngSize: 256})
		require.NoError(t, err)
		require.Equal(t, []ledgerCall{{Kind: "evaluate", Tx: spec.DocumentsGet, Args: []string{"RegistryMSP", "EXT-1"}}}, l.recorded())
		require.Equal(t, "RegistryMSP", resp.Claims.Issuer)
		require.Equal(t, "EXT-1", resp.Claims.DocumentId)
		require.NotEmpty(t, resp.Png)
	})

	t.Run("VerifySeal asks the ledger for the issuer's document and agrees with a valid one", func(t *testing.T) {
		text := issued(t)
		l := &fakeLedger{answers: map[string]string{spec.DocumentsVerify: `{"status":"valid","issuer":"RegistryMSP","id":"EXT-1","type":"debt-extract","sha256":"` +
			testDocumentHash + `","checkedAt":"2026-03-01T00:00:00Z"}`}}
		resp, err := seals(l).VerifySeal(asClerk(), &apiv1.VerifySealRequest{Seal: &apiv1.VerifySealRequest_Text{Text: text}})
		require.NoError(t, err)
		require.Equal(t, []ledgerCall{{Kind: "evaluate", Tx: spec.DocumentsVerify, Args: []string{"RegistryMSP", "EXT-1"}}}, l.recorded())
		require.True(t, resp.Offline.Valid, resp.Offline.Message)
		require.Equal(t, apiv1.DocumentStatus_DOCUMENT_STATUS_VALID, resp.LedgerStatus)
		require.True(t, resp.Valid)
	})

	t.Run("VerifySeal reports a document the ledger says is revoked as not valid", func(t *testing.T) {
		text := issued(t)
		l := &fakeLedger{answers: map[string]string{spec.DocumentsVerify: `{"status":"revoked","issuer":"RegistryMSP","id":"EXT-1","type":"debt-extract","sha256":"` +
			testDocumentHash + `","revokedReason":"error","checkedAt":"2026-03-01T00:00:00Z"}`}}
		resp, err := seals(l).VerifySeal(asClerk(), &apiv1.VerifySealRequest{Seal: &apiv1.VerifySealRequest_Text{Text: text}})
		require.NoError(t, err)
		require.True(t, resp.Offline.Valid)
		require.Equal(t, apiv1.DocumentStatus_DOCUMENT_STATUS_REVOKED, resp.LedgerStatus)
		require.False(t, resp.Valid)
	})

	t.Run("a chaincode refusal reaches the client with its gRPC code", func(t *testing.T) {
		for name, tc := range map[string]struct {
			call    func(*fakeLedger) error
			tx, msg string
			want    codes.Code
		}{
			"a seal of an unknown document is NotFound": {
				call: func(l *fakeLedger) error {
					_, err := seals(l).IssueSeal(asClerk(), &apiv1.IssueSealRequest{DocumentId: "EXT-9"})
					return err
				},
				tx: spec.DocumentsGet, msg: "NOT_FOUND: no document EXT-9 of RegistryMSP", want: codes.NotFound,
			},
			"a verification the chaincode refuses is InvalidArgument": {
				call: func(l *fakeLedger) error {
					_, err := seals(l).VerifySeal(asClerk(), &apiv1.VerifySealRequest{Seal: &apiv1.VerifySealRequest_Text{Text: issued(t)}})
					return err
				},
				tx: spec.DocumentsVerify, msg: "INVALID_ARGUMENT: issuer is malformed", want: codes.InvalidArgument,
			},
		} {
			t.Run(name, func(t *testing.T) {
				err := tc.call(&fakeLedger{errs: map[string]error{tc.tx: refusal(tc.msg)}})
				require.Equal(t, tc.want, status.Code(err), err)
			})
		}
	})

	t.Run("an invalid request never reaches the ledger", func(t *testing.T) {
		runInvalidCases(t, map[string]invalidCase{
			"a seal of an oversized image": {field: "png_size", call: func(c context.Context, l *fakeLedger) (proto.Message, error) {
				return msg(seals(l).IssueSeal(c, &apiv1.IssueSealRequest{DocumentId: "EXT-1", PngSize: 5000}))
			}},
			"a seal of a malformed document id": {field: "document_id", call: func(c context.Context, l *fakeLedger) (proto.Message, error) {
				return msg(seals(l).IssueSeal(c, &apiv1.IssueSealRequest{DocumentId: "../x"}))
			}},
			"a verification without a seal": {field: "seal", call: func(c context.Context, l *fakeLedger) (proto.Message, error) {
				return msg(seals(l).VerifySeal(c, &apiv1.VerifySealRequest{}))
			}},
			"a verification with a truncated document hash": {field: "document_sha256", call: func(c context.Context, l *fakeLedger) (proto.Message, error) {
				return msg(seals(l).VerifySeal(c, &apiv1.VerifySealRequest{Seal: &apiv1.VerifySealRequest_Text{Text: "x"}, DocumentSha256: "abc"}))
			}},
		})
	})
}
