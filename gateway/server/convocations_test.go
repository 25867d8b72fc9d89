package server

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
)

// These cases are refused before any ledger call, so the service needs no
// Fabric connection.
func TestConvocationsValidation(t *testing.T) {
	svc := &convocationsService{ledger: &fakeLedger{}}
	hash := strings.Repeat("ab", 32)
	const secret = "k7Qp2vXb9LrT4mZs8NwE1yHc-secret-token"
	rcpt := func(ref, msg, ack string) *apiv1.ConveneRecipient {
		return &apiv1.ConveneRecipient{RecipientRef: ref, MessageHash: msg, AckTokenHash: ack}
	}
	clearDays := int32(5)
	cases := map[string]struct {
		call  func(context.Context) error
		field string
	}{
		"a body without clear days is refused rather than given 0 days": {
			call: func(ctx context.Context) error {
				_, err := svc.SetBody(ctx, &apiv1.SetBodyRequest{BodyId: "council", Name: "Council", TimeZone: "Europe/Paris"})
				return err
			}, field: "clear_days",
		},
		"a body without a time zone is refused": {
			call: func(ctx context.Context) error {
				_, err := svc.SetBody(ctx, &apiv1.SetBodyRequest{BodyId: "council", Name: "Council", ClearDays: &clearDays})
				return err
			}, field: "time_zone",
		},
		"a meeting start that is not RFC 3339 is refused": {
			call: func(ctx context.Context) error {
				_, err := svc.CreateMeeting(ctx, &apiv1.CreateMeetingRequest{MeetingId: "m", BodyId: "b", StartsAt: "2026-04-02 18:00", Place: "p"})
				return err
			}, field: "starts_at",
		},
		"an agenda hash with a non-hex letter is refused with its index": {
			call: func(ctx context.Context) error {
				_, err := svc.CreateMeeting(ctx, &apiv1.CreateMeetingRequest{MeetingId: "m", BodyId: "b",
					StartsAt: "2026-04-02T18:00:00+02:00", Place: "p", AgendaHashes: []string{hash, "g" + hash[1:]}})
				return err
			}, field: "agenda_hashes[1]",
		},
		"convening nobody is refused": {
			call: func(ctx context.Context) error {
				_, err := svc.Convene(ctx, &apiv1.ConveneRequest{MeetingId: "m"})
				return err
			}, field: "recipients",
		},
		"more than 500 recipients are refused": {
			call: func(ctx context.Context) error {
				list := make([]*apiv1.ConveneRecipient, 501)
				for i := range list {
					list[i] = rcpt(hash, hash, hash)
				}
				_, err := svc.Convene(ctx, &apiv1.ConveneRequest{MeetingId: "m", Recipients: list})
				return err
			}, field: "recipients",
		},
		"a clear token given as ack_token_hash is refused without being echoed": {
			call: func(ctx context.Context) error {
				_, err := svc.Convene(ctx, &apiv1.ConveneRequest{MeetingId: "m", Recipients: []*apiv1.ConveneRecipient{
					rcpt(hash, hash, hash), rcpt(hash, hash, secret),
				}})
				return err
			}, field: "recipients[1].ack_token_hash",
		},
		"an acknowledgement without a token is refused": {
			call: func(ctx context.Context) error {
				_, err := svc.Acknowledge(ctx, &apiv1.AcknowledgeRequest{OwnerMspId: "RegistryMSP", MeetingId: "m", ConvocationId: hash})
				return err
			}, field: "token",
		},
		"an oversized token is refused without being echoed": {
			call: func(ctx context.Context) error {
				_, err := svc.Acknowledge(ctx, &apiv1.AcknowledgeRequest{OwnerMspId: "RegistryMSP", MeetingId: "m",
					ConvocationId: hash, Token: strings.Repeat(secret, 20)})
				return err
			}, field: "token",
		},
		"a malformed convocation id is refused": {
			call: func(ctx context.Context) error {
				_, err := svc.GetConvocation(ctx, &apiv1.GetConvocationRequest{MeetingId: "m", ConvocationId: "42"})
				return err
			}, field: "convocation_id",
		},
		"a page size over 100 is refused": {
			call: func(ctx context.Context) error {
				_, err := svc.ListMeetings(ctx, &apiv1.ListMeetingsRequest{PageSize: 101})
				return err
			}, field: "page_size",
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			err := tc.call(context.Background())
			st := status.Convert(err)
			require.Equal(t, codes.InvalidArgument, st.Code(), st.Message())
			require.True(t, strings.HasPrefix(st.Message(), tc.field+": "), st.Message())
			require.NotContains(t, st.Message(), secret)
		})
	}
}
