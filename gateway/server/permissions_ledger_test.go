package server

import (
	"context"
	"testing"

	"google.golang.org/grpc/codes"
	"google.golang.org/protobuf/proto"

	"github.com/civicledger/civicledger/chaincode/spec"
	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
)

var (
	testPermissionJSON = `{"id":"P1","owner":"RegistryMSP","grantee":"TaxMSP","category":"income","purpose":"audit","legalBasis":"Art. 6",` +
		`"validFrom":"2026-01-01T00:00:00Z","validUntil":"2027-01-01T00:00:00Z","subjectRef":"` + testHashA + `","status":"active",` +
		`"offeredAt":"2026-01-01T10:00:00Z","offeredBy":"clerk1","acceptedAt":"2026-01-02T10:00:00Z","acceptedBy":"clerk9"}`
	testPermission = &apiv1.Permission{Id: "P1", OwnerMspId: "RegistryMSP", GranteeMspId: "TaxMSP", Category: "income", Purpose: "audit",
		LegalBasis: "Art. 6", ValidFrom: "2026-01-01T00:00:00Z", ValidUntil: "2027-01-01T00:00:00Z", SubjectRef: testHashA,
		Status: apiv1.PermissionStatus_PERMISSION_STATUS_ACTIVE, OfferedAt: "2026-01-01T10:00:00Z", OfferedBy: "clerk1",
		AcceptedAt: "2026-01-02T10:00:00Z", AcceptedBy: "clerk9"}
	testUseJSON = `{"id":"U1","owner":"RegistryMSP","permissionId":"P1","grantee":"TaxMSP","category":"income","subjectRef":"` + testHashA +
		`","purpose":"audit","usedAt":"2026-02-01T10:00:00Z","usedBy":"clerk9","valid":false,"reason":"permission revoked"}`
	testUse = &apiv1.PermissionUse{Id: "U1", OwnerMspId: "RegistryMSP", PermissionId: "P1", GranteeMspId: "TaxMSP", Category: "income",
		SubjectRef: testHashA, Purpose: "audit", UsedAt: "2026-02-01T10:00:00Z", UsedBy: "clerk9",
		Reason: apiv1.PermissionReason_PERMISSION_REASON_REVOKED}
)

func permissions(l *fakeLedger) *permissionsService { return &permissionsService{ledger: l} }

func TestPermissionsHandlers(t *testing.T) {
	t.Run("a valid request runs the contract's transaction and converts its result", func(t *testing.T) {
		runHandlerCases(t, map[string]handlerCase{
			"OfferPermission sends the offer as one JSON argument": {
				call: func(c context.Context, l *fakeLedger) (proto.Message, error) {
					return msg(permissions(l).OfferPermission(c, &apiv1.OfferPermissionRequest{Id: "P1", GranteeMspId: "TaxMSP", Category: "income",
						Purpose: "audit", LegalBasis: "Art. 6", ValidFrom: "2026-01-01T00:00:00Z", ValidUntil: "2027-01-01T00:00:00Z", SubjectRef: testHashA}))
				},
				want: ledgerCall{Kind: "submit", Tx: spec.PermissionsOffer, Args: []string{`{"id":"P1","grantee":"TaxMSP","category":"income","purpose":"audit",` +
					`"legalBasis":"Art. 6","validFrom":"2026-01-01T00:00:00Z","validUntil":"2027-01-01T00:00:00Z","subjectRef":"` + testHashA + `"}`}},
				answer: testPermissionJSON,
				resp:   &apiv1.OfferPermissionResponse{Permission: testPermission, Committed: testCommitted()},
			},
			"AcceptPermission names the owner and the permission": {
				call: func(c context.Context, l *fakeLedger) (proto.Message, error) {
					return msg(permissions(l).AcceptPermission(c, &apiv1.AcceptPermissionRequest{OwnerMspId: "RegistryMSP", PermissionId: "P1"}))
				},
				want:   ledgerCall{Kind: "submit", Tx: spec.PermissionsAccept, Args: []string{"RegistryMSP", "P1"}},
				answer: testPermissionJSON,
				resp:   &apiv1.AcceptPermissionResponse{Permission: testPermission, Committed: testCommitted()},
			},
			"RevokePermission sends the reason": {
				call: func(c context.Context, l *fakeLedger) (proto.Message, error) {
					return msg(permissions(l).RevokePermission(c, &apiv1.RevokePermissionRequest{OwnerMspId: "RegistryMSP", PermissionId: "P1", Reason: "ended"}))
				},
				want:   ledgerCall{Kind: "submit", Tx: spec.PermissionsRevoke, Args: []string{"RegistryMSP", "P1", "ended"}},
				answer: testPermissionJSON,
				resp:   &apiv1.RevokePermissionResponse{Permission: testPermission, Committed: testCommitted()},
			},
			"RecordUse sends the use as one JSON argument": {
				call: func(c context.Context, l *fakeLedger) (proto.Message, error) {
					return msg(permissions(l).RecordUse(c, &apiv1.RecordUseRequest{OwnerMspId: "RegistryMSP", PermissionId: "P1",
						SubjectRef: testHashA, Purpose: "audit", Category: "income"}))
				},
				want: ledgerCall{Kind: "submit", Tx: spec.PermissionsRecordUse, Args: []string{`{"ownerMSP":"RegistryMSP","permissionId":"P1",` +
					`"subjectRef":"` + testHashA + `","purpose":"audit","category":"income"}`}},
				answer: testUseJSON,
				resp:   &apiv1.RecordUseResponse{Use: testUse, Committed: testCommitted()},
			},
			"CheckPermission converts the reason to the API's enum": {
				call: func(c context.Context, l *fakeLedger) (proto.Message, error) {
					return msg(permissions(l).CheckPermission(c, &apiv1.CheckPermissionRequest{OwnerMspId: "RegistryMSP", GranteeMspId: "TaxMSP", Category: "income"}))
				},
				want:   ledgerCall{Kind: "evaluate", Tx: spec.PermissionsCheck, Args: []string{"RegistryMSP", "TaxMSP", "income", ""}},
				answer: `{"allowed":true,"permissionId":"P1","reason":"covered by an active permission"}`,
				resp:   &apiv1.CheckPermissionResponse{Allowed: true, PermissionId: "P1", Reason: apiv1.PermissionReason_PERMISSION_REASON_COVERED},
			},
			"GetPermission converts the status": {
				call: func(c context.Context, l *fakeLedger) (proto.Message, error) {
					return msg(permissions(l).GetPermission(c, &apiv1.GetPermissionRequest{OwnerMspId: "RegistryMSP", PermissionId: "P1"}))
				},
				want:   ledgerCall{Kind: "evaluate", Tx: spec.PermissionsGet, Args: []string{"RegistryMSP", "P1"}},
				answer: testPermissionJSON,
				resp:   &apiv1.GetPermissionResponse{Permission: testPermission},
			},
			"ListPermissionsByOwner sends the page size and token": {
				call: func(c context.Context, l *fakeLedger) (proto.Message, error) {
					return msg(permissions(l).ListPermissionsByOwner(c, &apiv1.ListPermissionsByOwnerRequest{OwnerMspId: "RegistryMSP", PageSize: 2, PageToken: "bm1"}))
				},
				want:   ledgerCall{Kind: "evaluate", Tx: spec.PermissionsListByOwner, Args: []string{"RegistryMSP", "2", "bm1"}},
				answer: `{"permissions":[` + testPermissionJSON + `],"bookmark":"bm2"}`,
				resp:   &apiv1.ListPermissionsByOwnerResponse{Permissions: []*apiv1.Permission{testPermission}, NextPageToken: "bm2"},
			},
			"ListUsesBySubject converts each use": {
				call: func(c context.Context, l *fakeLedger) (proto.Message, error) {
					return msg(permissions(l).ListUsesBySubject(c, &apiv1.ListUsesBySubjectRequest{SubjectRef: testHashA}))
				},
				want:   ledgerCall{Kind: "evaluate", Tx: spec.PermissionsListUsesBySubject, Args: []string{testHashA, "", ""}},
				answer: `{"uses":[` + testUseJSON + `],"bookmark":""}`,
				resp:   &apiv1.ListUsesBySubjectResponse{Uses: []*apiv1.PermissionUse{testUse}},
			},
			"ListInvalidUses converts each use": {
				call: func(c context.Context, l *fakeLedger) (proto.Message, error) {
					return msg(permissions(l).ListInvalidUses(c, &apiv1.ListInvalidUsesRequest{PageSize: 100}))
				},
				want:   ledgerCall{Kind: "evaluate", Tx: spec.PermissionsListInvalidUses, Args: []string{"100", ""}},
				answer: `{"uses":[` + testUseJSON + `],"bookmark":"bm2"}`,
				resp:   &apiv1.ListInvalidUsesResponse{Uses: []*apiv1.PermissionUse{testUse}, NextPageToken: "bm2"},
			},
		})
	})

	t.Run("a chaincode refusal reaches the client with its gRPC code", func(t *testing.T) {
		runRefusalCases(t, map[string]refusalCase{
			"an acceptance by another administration than the grantee is PermissionDenied": {
				call: func(c context.Context, l *fakeLedger) (proto.Message, error) {
					return msg(permissions(l).AcceptPermission(c, &apiv1.AcceptPermissionRequest{OwnerMspId: "RegistryMSP", PermissionId: "P1"}))
				},
				tx: spec.PermissionsAccept, refusal: "PERMISSION_DENIED: only the grantee TaxMSP may accept permission P1", want: codes.PermissionDenied,
			},
			"an id already offered is AlreadyExists": {
				call: func(c context.Context, l *fakeLedger) (proto.Message, error) {
					return msg(permissions(l).OfferPermission(c, &apiv1.OfferPermissionRequest{Id: "P1", GranteeMspId: "TaxMSP", Category: "income",
						Purpose: "audit", LegalBasis: "Art. 6", ValidFrom: "2026-01-01T00:00:00Z", ValidUntil: "2027-01-01T00:00:00Z"}))
				},
				tx: spec.PermissionsOffer, refusal: "ALREADY_EXISTS: permission P1 of RegistryMSP exists", want: codes.AlreadyExists,
			},
			"an unknown permission is NotFound": {
				call: func(c context.Context, l *fakeLedger) (proto.Message, error) {
					return msg(permissions(l).GetPermission(c, &apiv1.GetPermissionRequest{OwnerMspId: "RegistryMSP", PermissionId: "P9"}))
				},
				tx: spec.PermissionsGet, refusal: "NOT_FOUND: no permission P9 of RegistryMSP", want: codes.NotFound,
			},
		})
	})

	t.Run("an invalid request never reaches the ledger", func(t *testing.T) {
		runInvalidCases(t, map[string]invalidCase{
			"an offer without a validity end": {field: "valid_until", call: func(c context.Context, l *fakeLedger) (proto.Message, error) {
				return msg(permissions(l).OfferPermission(c, &apiv1.OfferPermissionRequest{Id: "P1", GranteeMspId: "TaxMSP", Category: "income",
					Purpose: "audit", LegalBasis: "Art. 6", ValidFrom: "2026-01-01T00:00:00Z"}))
			}},
			"a revocation without a reason": {field: "reason", call: func(c context.Context, l *fakeLedger) (proto.Message, error) {
				return msg(permissions(l).RevokePermission(c, &apiv1.RevokePermissionRequest{OwnerMspId: "RegistryMSP", PermissionId: "P1"}))
			}},
			"a use without a subject": {field: "subject_ref", call: func(c context.Context, l *fakeLedger) (proto.Message, error) {
				return msg(permissions(l).RecordUse(c, &apiv1.RecordUseRequest{OwnerMspId: "RegistryMSP", PermissionId: "P1", Purpose: "audit"}))
			}},
			"a check with a malformed subject": {field: "subject_ref", call: func(c context.Context, l *fakeLedger) (proto.Message, error) {
				return msg(permissions(l).CheckPermission(c, &apiv1.CheckPermissionRequest{OwnerMspId: "RegistryMSP", GranteeMspId: "TaxMSP",
					Category: "income", SubjectRef: "Jean Dupont"}))
			}},
			"a list of another owner's permissions without the owner": {field: "owner_msp_id", call: func(c context.Context, l *fakeLedger) (proto.Message, error) {
				return msg(permissions(l).ListPermissionsByOwner(c, &apiv1.ListPermissionsByOwnerRequest{}))
			}},
		})
	})
}
