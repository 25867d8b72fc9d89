package server

import (
	"context"
	"testing"

	"google.golang.org/grpc/codes"
	"google.golang.org/protobuf/proto"

	"github.com/civicledger/civicledger/chaincode/spec"
	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
)

func directory(l *fakeLedger) *directoryService { return &directoryService{ledger: l} }

func TestDirectoryHandlers(t *testing.T) {
	const profileJSON = `{"mspId":"RegistryMSP","displayName":"Land Registry","kind":"agency","contact":"registry@example.org","updatedAt":"2026-01-01T10:00:00Z","updatedBy":"admin1"}`
	profile := &apiv1.Profile{MspId: "RegistryMSP", DisplayName: "Land Registry", Kind: "agency", Contact: "registry@example.org", UpdatedAt: "2026-01-01T10:00:00Z"}

	t.Run("a valid request runs the contract's transaction and converts its result", func(t *testing.T) {
		runHandlerCases(t, map[string]handlerCase{
			"SetProfile sends the name, kind and contact, and hides who wrote it": {
				call: func(c context.Context, l *fakeLedger) (proto.Message, error) {
					return msg(directory(l).SetProfile(c, &apiv1.SetProfileRequest{DisplayName: "Land Registry", Kind: "agency", Contact: "registry@example.org"}))
				},
				want:   ledgerCall{Kind: "submit", Tx: spec.DirectorySetProfile, Args: []string{"Land Registry", "agency", "registry@example.org"}},
				answer: profileJSON,
				resp:   &apiv1.SetProfileResponse{Profile: profile, Committed: testCommitted()},
			},
			"GetProfile names the administration": {
				call: func(c context.Context, l *fakeLedger) (proto.Message, error) {
					return msg(directory(l).GetProfile(c, &apiv1.GetProfileRequest{MspId: "RegistryMSP"}))
				},
				want:   ledgerCall{Kind: "evaluate", Tx: spec.DirectoryGetProfile, Args: []string{"RegistryMSP"}},
				answer: profileJSON,
				resp:   profile,
			},
			"a departed administration's profile says when it left": {
				call: func(c context.Context, l *fakeLedger) (proto.Message, error) {
					return msg(directory(l).GetProfile(c, &apiv1.GetProfileRequest{MspId: "TreasuryMSP"}))
				},
				want: ledgerCall{Kind: "evaluate", Tx: spec.DirectoryGetProfile, Args: []string{"TreasuryMSP"}},
				answer: `{"mspId":"TreasuryMSP","displayName":"Treasury","kind":"ministry","contact":"treasury@example.org","updatedAt":"2026-01-01T10:00:00Z",` +
					`"updatedBy":"admin1","leftAt":"2026-03-01T09:00:00Z","leftConfigBlock":42}`,
				resp: &apiv1.Profile{MspId: "TreasuryMSP", DisplayName: "Treasury", Kind: "ministry", Contact: "treasury@example.org",
					UpdatedAt: "2026-01-01T10:00:00Z", LeftAt: "2026-03-01T09:00:00Z", LeftConfigBlock: 42},
			},
			"ListProfiles converts each profile": {
				call: func(c context.Context, l *fakeLedger) (proto.Message, error) {
					return msg(directory(l).ListProfiles(c, &apiv1.ListProfilesRequest{}))
				},
				want:   ledgerCall{Kind: "evaluate", Tx: spec.DirectoryListProfiles},
				answer: `[` + profileJSON + `]`,
				resp:   &apiv1.ListProfilesResponse{Profiles: []*apiv1.Profile{profile}},
			},
		})
	})

	t.Run("a chaincode refusal reaches the client with its gRPC code", func(t *testing.T) {
		runRefusalCases(t, map[string]refusalCase{
			"a profile set by a clerk is PermissionDenied": {
				call: func(c context.Context, l *fakeLedger) (proto.Message, error) {
					return msg(directory(l).SetProfile(c, &apiv1.SetProfileRequest{DisplayName: "n", Kind: "agency", Contact: "c"}))
				},
				tx: spec.DirectorySetProfile, refusal: "PERMISSION_DENIED: setting the profile needs the role admin", want: codes.PermissionDenied,
			},
			"an unknown administration is NotFound": {
				call: func(c context.Context, l *fakeLedger) (proto.Message, error) {
					return msg(directory(l).GetProfile(c, &apiv1.GetProfileRequest{MspId: "NoMSP"}))
				},
				tx: spec.DirectoryGetProfile, refusal: "NOT_FOUND: no profile of NoMSP", want: codes.NotFound,
			},
		})
	})

	t.Run("an invalid request never reaches the ledger", func(t *testing.T) {
		runInvalidCases(t, map[string]invalidCase{
			"a profile without a contact": {field: "contact", call: func(c context.Context, l *fakeLedger) (proto.Message, error) {
				return msg(directory(l).SetProfile(c, &apiv1.SetProfileRequest{DisplayName: "n", Kind: "agency"}))
			}},
			"a profile read without an administration": {field: "msp_id", call: func(c context.Context, l *fakeLedger) (proto.Message, error) {
				return msg(directory(l).GetProfile(c, &apiv1.GetProfileRequest{}))
			}},
		})
	})
}
