package server

import (
	"context"
	"strings"
	"testing"

	"google.golang.org/grpc/codes"
	"google.golang.org/protobuf/proto"

	"github.com/civicledger/civicledger/chaincode/spec"
	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
)

var (
	testHashA = strings.Repeat("ab", 32)
	testHashB = strings.Repeat("cd", 32)
	testHashC = strings.Repeat("ef", 32)

	testBodyJSON = `{"ownerMsp":"RegistryMSP","id":"council","name":"Council","clearDays":5,"timeZone":"Europe/Paris","updatedAt":"2026-01-01T10:00:00Z"}`
	testBody     = &apiv1.ConvocationBody{OwnerMspId: "RegistryMSP", Id: "council", Name: "Council", ClearDays: 5, TimeZone: "Europe/Paris", UpdatedAt: "2026-01-01T10:00:00Z"}

	testMeetingJSON = `{"ownerMsp":"RegistryMSP","id":"m1","bodyId":"council","startsAt":"2026-04-02T18:00:00+02:00","place":"Town hall",` +
		`"agendaHashes":["` + testHashA + `"],"timeZone":"Europe/Paris","clearDays":5,"deadline":"2026-03-27T23:59:59+01:00","createdAt":"2026-03-01T10:00:00Z","createdTxId":"t0"}`
	testMeeting = &apiv1.Meeting{OwnerMspId: "RegistryMSP", Id: "m1", BodyId: "council", StartsAt: "2026-04-02T18:00:00+02:00", Place: "Town hall",
		AgendaHashes: []string{testHashA}, TimeZone: "Europe/Paris", ClearDays: 5, Deadline: "2026-03-27T23:59:59+01:00",
		CreatedAt: "2026-03-01T10:00:00Z", CreatedTransactionId: "t0"}

	testConvocationJSON = `{"ownerMsp":"RegistryMSP","meetingId":"m1","id":"` + testHashC + `","recipientRef":"` + testHashA + `","messageHash":"` + testHashB +
		`","ackTokenHash":"` + testHashC + `","sentAt":"2026-03-20T10:00:00Z","sentTxId":"t1","onTime":true,"acknowledgedAt":"2026-03-21T10:00:00Z","acknowledgedVia":"link","acknowledgedTxId":"t2"}`
	testConvocation = &apiv1.Convocation{OwnerMspId: "RegistryMSP", MeetingId: "m1", Id: testHashC, RecipientRef: testHashA, MessageHash: testHashB,
		AckTokenHash: testHashC, SentAt: "2026-03-20T10:00:00Z", SentTransactionId: "t1", OnTime: true,
		AcknowledgedAt: "2026-03-21T10:00:00Z", AcknowledgedVia: "link", AcknowledgedTransactionId: "t2"}
)

func convocations(l *fakeLedger) *convocationsService { return &convocationsService{ledger: l} }

func TestConvocationsHandlers(t *testing.T) {
	const token = "k7Qp2vXb9LrT4mZs8NwE1yHc-secret-token"
	t.Run("a valid request runs the contract's transaction and converts its result", func(t *testing.T) {
		runHandlerCases(t, map[string]handlerCase{
			"SetBody sends the body as one JSON argument": {
				call: func(c context.Context, l *fakeLedger) (proto.Message, error) {
					return msg(convocations(l).SetBody(c, &apiv1.SetBodyRequest{BodyId: "council", Name: "Council", ClearDays: proto.Int32(5), TimeZone: "Europe/Paris"}))
				},
				want:   ledgerCall{Kind: "submit", Tx: spec.ConvocationsSetBody, Args: []string{`{"id":"council","name":"Council","clearDays":5,"timeZone":"Europe/Paris"}`}},
				answer: testBodyJSON,
				resp:   &apiv1.SetBodyResponse{Body: testBody, Committed: testCommitted()},
			},
			"CreateMeeting sends the meeting as one JSON argument": {
				call: func(c context.Context, l *fakeLedger) (proto.Message, error) {
					return msg(convocations(l).CreateMeeting(c, &apiv1.CreateMeetingRequest{MeetingId: "m1", BodyId: "council",
						StartsAt: "2026-04-02T18:00:00+02:00", Place: "Town hall", AgendaHashes: []string{testHashA}}))
				},
				want: ledgerCall{Kind: "submit", Tx: spec.ConvocationsCreateMeeting, Args: []string{`{"id":"m1","bodyId":"council",` +
					`"startsAt":"2026-04-02T18:00:00+02:00","place":"Town hall","agendaHashes":["` + testHashA + `"]}`}},
				answer: testMeetingJSON,
				resp:   &apiv1.CreateMeetingResponse{Meeting: testMeeting, Committed: testCommitted()},
			},
			"Convene sends the meeting and the recipients as a JSON list": {
				call: func(c context.Context, l *fakeLedger) (proto.Message, error) {
					return msg(convocations(l).Convene(c, &apiv1.ConveneRequest{MeetingId: "m1", Recipients: []*apiv1.ConveneRecipient{
						{RecipientRef: testHashA, MessageHash: testHashB, AckTokenHash: testHashC}}}))
				},
				want: ledgerCall{Kind: "submit", Tx: spec.ConvocationsConvene, Args: []string{"m1",
					`[{"recipientRef":"` + testHashA + `","messageHash":"` + testHashB + `","ackTokenHash":"` + testHashC + `"}]`}},
				answer: `{"ownerMsp":"RegistryMSP","meetingId":"m1","sentAt":"2026-03-20T10:00:00Z","convened":1,"onTime":1,"late":0,"convocationIds":["` + testHashC + `"]}`,
				resp: &apiv1.ConveneResponse{OwnerMspId: "RegistryMSP", MeetingId: "m1", SentAt: "2026-03-20T10:00:00Z", Convened: 1, OnTime: 1,
					ConvocationIds: []string{testHashC}, Committed: testCommitted()},
			},
			"Acknowledge passes the token to the chaincode of the caller's administration": {
				call: func(c context.Context, l *fakeLedger) (proto.Message, error) {
					return msg(convocations(l).Acknowledge(c, &apiv1.AcknowledgeRequest{MeetingId: "m1", ConvocationId: testHashC, Token: token}))
				},
				want:   ledgerCall{Kind: "submit", Tx: spec.ConvocationsAcknowledge, Args: []string{"RegistryMSP", "m1", testHashC, token}},
				answer: testConvocationJSON,
				resp:   &apiv1.AcknowledgeResponse{Convocation: testConvocation, Committed: testCommitted()},
			},
			"GetBody reads another administration's body": {
				call: func(c context.Context, l *fakeLedger) (proto.Message, error) {
					return msg(convocations(l).GetBody(c, &apiv1.GetBodyRequest{OwnerMspId: "TaxMSP", BodyId: "council"}))
				},
				want:   ledgerCall{Kind: "evaluate", Tx: spec.ConvocationsGetBody, Args: []string{"TaxMSP", "council"}},
				answer: testBodyJSON,
				resp:   &apiv1.GetBodyResponse{Body: testBody},
			},
			"GetMeeting reads the caller's administration's meeting": {
				call: func(c context.Context, l *fakeLedger) (proto.Message, error) {
					return msg(convocations(l).GetMeeting(c, &apiv1.GetMeetingRequest{MeetingId: "m1"}))
				},
				want:   ledgerCall{Kind: "evaluate", Tx: spec.ConvocationsGetMeeting, Args: []string{"RegistryMSP", "m1"}},
				answer: testMeetingJSON,
				resp:   &apiv1.GetMeetingResponse{Meeting: testMeeting},
			},
			"GetConvocation names the meeting and the convocation": {
				call: func(c context.Context, l *fakeLedger) (proto.Message, error) {
					return msg(convocations(l).GetConvocation(c, &apiv1.GetConvocationRequest{MeetingId: "m1", ConvocationId: testHashC}))
				},
				want:   ledgerCall{Kind: "evaluate", Tx: spec.ConvocationsGetConvocation, Args: []string{"RegistryMSP", "m1", testHashC}},
				answer: testConvocationJSON,
				resp:   &apiv1.GetConvocationResponse{Convocation: testConvocation},
			},
			"GetMeetingSummary converts the counts": {
				call: func(c context.Context, l *fakeLedger) (proto.Message, error) {
					return msg(convocations(l).GetMeetingSummary(c, &apiv1.GetMeetingSummaryRequest{MeetingId: "m1"}))
				},
				want:   ledgerCall{Kind: "evaluate", Tx: spec.ConvocationsSummary, Args: []string{"RegistryMSP", "m1"}},
				answer: `{"meeting":` + testMeetingJSON + `,"convened":3,"acknowledged":2,"onTime":3,"late":0}`,
				resp:   &apiv1.GetMeetingSummaryResponse{Summary: &apiv1.MeetingSummary{Meeting: testMeeting, Convened: 3, Acknowledged: 2, OnTime: 3}},
			},
			"ListMeetings sends the page size and token": {
				call: func(c context.Context, l *fakeLedger) (proto.Message, error) {
					return msg(convocations(l).ListMeetings(c, &apiv1.ListMeetingsRequest{PageToken: "bm1"}))
				},
				want:   ledgerCall{Kind: "evaluate", Tx: spec.ConvocationsListMeetings, Args: []string{"RegistryMSP", "", "bm1"}},
				answer: `{"meetings":[` + testMeetingJSON + `],"bookmark":"bm2"}`,
				resp:   &apiv1.ListMeetingsResponse{Meetings: []*apiv1.Meeting{testMeeting}, NextPageToken: "bm2"},
			},
		})
	})

	t.Run("a chaincode refusal reaches the client with its gRPC code", func(t *testing.T) {
		runRefusalCases(t, map[string]refusalCase{
			"a second acknowledgement is FailedPrecondition": {
				call: func(c context.Context, l *fakeLedger) (proto.Message, error) {
					return msg(convocations(l).Acknowledge(c, &apiv1.AcknowledgeRequest{MeetingId: "m1", ConvocationId: testHashC, Token: token}))
				},
				tx: spec.ConvocationsAcknowledge, refusal: "FAILED_PRECONDITION: the convocation is already acknowledged", want: codes.FailedPrecondition,
			},
			"a wrong token is PermissionDenied": {
				call: func(c context.Context, l *fakeLedger) (proto.Message, error) {
					return msg(convocations(l).Acknowledge(c, &apiv1.AcknowledgeRequest{MeetingId: "m1", ConvocationId: testHashC, Token: token}))
				},
				tx: spec.ConvocationsAcknowledge, refusal: "PERMISSION_DENIED: the token does not match the convocation", want: codes.PermissionDenied,
			},
			"a meeting of an unknown body is NotFound": {
				call: func(c context.Context, l *fakeLedger) (proto.Message, error) {
					return msg(convocations(l).CreateMeeting(c, &apiv1.CreateMeetingRequest{MeetingId: "m1", BodyId: "senate",
						StartsAt: "2026-04-02T18:00:00+02:00", Place: "p"}))
				},
				tx: spec.ConvocationsCreateMeeting, refusal: "NOT_FOUND: no body senate of RegistryMSP", want: codes.NotFound,
			},
		})
	})

	t.Run("an invalid request never reaches the ledger", func(t *testing.T) {
		runInvalidCases(t, map[string]invalidCase{
			"a body without clear days": {field: "clear_days", call: func(c context.Context, l *fakeLedger) (proto.Message, error) {
				return msg(convocations(l).SetBody(c, &apiv1.SetBodyRequest{BodyId: "council", Name: "Council", TimeZone: "Europe/Paris"}))
			}},
			"a meeting with a malformed agenda hash": {field: "agenda_hashes[0]", call: func(c context.Context, l *fakeLedger) (proto.Message, error) {
				return msg(convocations(l).CreateMeeting(c, &apiv1.CreateMeetingRequest{MeetingId: "m1", BodyId: "council",
					StartsAt: "2026-04-02T18:00:00+02:00", Place: "p", AgendaHashes: []string{"abc"}}))
			}},
			"a recipient without an acknowledgement token hash": {field: "recipients[0].ack_token_hash", call: func(c context.Context, l *fakeLedger) (proto.Message, error) {
				return msg(convocations(l).Convene(c, &apiv1.ConveneRequest{MeetingId: "m1", Recipients: []*apiv1.ConveneRecipient{
					{RecipientRef: testHashA, MessageHash: testHashB}}}))
			}},
			"an acknowledgement with an oversized token": {field: "token", call: func(c context.Context, l *fakeLedger) (proto.Message, error) {
				return msg(convocations(l).Acknowledge(c, &apiv1.AcknowledgeRequest{MeetingId: "m1", ConvocationId: testHashC, Token: strings.Repeat("x", 513)}))
			}},
			"a convocation read with a malformed id": {field: "convocation_id", call: func(c context.Context, l *fakeLedger) (proto.Message, error) {
				return msg(convocations(l).GetConvocation(c, &apiv1.GetConvocationRequest{MeetingId: "m1", ConvocationId: "c1"}))
			}},
			"a meeting list with a negative page size": {field: "page_size", call: func(c context.Context, l *fakeLedger) (proto.Message, error) {
				return msg(convocations(l).ListMeetings(c, &apiv1.ListMeetingsRequest{PageSize: -1}))
			}},
		})
	})
}
