//go:build integration

package integration

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/protobuf/encoding/protojson"

	"github.com/civicledger/civicledger/chaincode/spec"
	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
)

func convClient(t *testing.T, mspID, user string) apiv1.ConvocationsServiceClient {
	t.Helper()
	return apiv1.NewConvocationsServiceClient(gw(t, mspID, user))
}

func convHash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// convBody sets a body of mspID with 5 clear days in Europe/Paris.
func convBody(t *testing.T, mspID string) string {
	t.Helper()
	id := uniqueID("council")
	five := int32(5)
	_, err := convClient(t, mspID, "admin").SetBody(ctx(t), &apiv1.SetBodyRequest{
		BodyId: id, Name: "Conseil communautaire", ClearDays: &five, TimeZone: "Europe/Paris"})
	require.NoError(t, err)
	return id
}

// convMeeting records a meeting of body starting at startsAt.
func convMeeting(t *testing.T, mspID, id, body string, startsAt time.Time) *apiv1.Meeting {
	t.Helper()
	resp, err := convClient(t, mspID, "clerk").CreateMeeting(ctx(t), &apiv1.CreateMeetingRequest{
		MeetingId: id, BodyId: body, StartsAt: startsAt.Format(time.RFC3339),
		Place: "Hôtel d'agglomération, Lorient", AgendaHashes: []string{convHash("agenda " + id)},
	})
	require.NoError(t, err)
	return resp.Meeting
}

// convRecipients makes n recipients of a meeting and their secret tokens.
func convRecipients(meeting string, n int) ([]*apiv1.ConveneRecipient, []string) {
	var list []*apiv1.ConveneRecipient
	var tokens []string
	for i := range n {
		tok := fmt.Sprintf("token-%d-%s", i, meeting)
		tokens = append(tokens, tok)
		list = append(list, &apiv1.ConveneRecipient{
			RecipientRef: convHash(fmt.Sprintf("official-%d-%s", i, meeting)),
			MessageHash:  convHash(fmt.Sprintf("message-%d", i)),
			AckTokenHash: convHash(tok),
		})
	}
	return list, tokens
}

func TestConvocationsService(t *testing.T) {
	body := convBody(t, registry)
	paris, err := time.LoadLocation("Europe/Paris")
	require.NoError(t, err)
	// A meeting that starts soon, to check at the end that a started meeting
	// can no longer be convened.
	soonID := uniqueID("2026-soon")
	soon := convMeeting(t, registry, soonID, body, time.Now().Add(20*time.Second))

	t.Run("an admin sets a body and another administration reads its rule", func(t *testing.T) {
		b, err := convClient(t, treasury, "clerk").GetBody(ctx(t), &apiv1.GetBodyRequest{OwnerMspId: registry, BodyId: body})
		require.NoError(t, err)
		require.Equal(t, int32(5), b.Body.ClearDays)
		require.Equal(t, "Europe/Paris", b.Body.TimeZone)
		require.Equal(t, registry, b.Body.OwnerMspId)
	})

	t.Run("a clerk may not set a body", func(t *testing.T) {
		three := int32(3)
		_, err := convClient(t, registry, "clerk").SetBody(ctx(t), &apiv1.SetBodyRequest{
			BodyId: uniqueID("b"), Name: "x", ClearDays: &three, TimeZone: "Europe/Paris"})
		requireCode(t, err, codes.PermissionDenied)
	})

	t.Run("a body without clear days is refused rather than given zero days", func(t *testing.T) {
		_, err := convClient(t, registry, "admin").SetBody(ctx(t), &apiv1.SetBodyRequest{BodyId: uniqueID("b"), Name: "x", TimeZone: "Europe/Paris"})
		requireCode(t, err, codes.InvalidArgument)
	})

	t.Run("a time zone abbreviation is refused by the ledger", func(t *testing.T) {
		five := int32(5)
		_, err := convClient(t, registry, "admin").SetBody(ctx(t), &apiv1.SetBodyRequest{BodyId: uniqueID("b"), Name: "x", ClearDays: &five, TimeZone: "CET"})
		requireCode(t, err, codes.InvalidArgument)
	})

	meetingID := uniqueID("2026-council")
	startsAt := time.Now().AddDate(0, 0, 30).In(paris)
	t.Run("a clerk records a meeting and the ledger fixes its deadline", func(t *testing.T) {
		m := convMeeting(t, registry, meetingID, body, startsAt)
		require.Equal(t, int32(5), m.ClearDays)
		y, mo, d := startsAt.Date()
		require.Equal(t, time.Date(y, mo, d-6, 12, 0, 0, 0, time.UTC).Format("2006-01-02"), m.Deadline)

		got, err := convClient(t, registry, "approver").GetMeeting(ctx(t), &apiv1.GetMeetingRequest{MeetingId: meetingID})
		require.NoError(t, err, "an empty owner means the caller's administration")
		require.Equal(t, m.CreatedTransactionId, got.Meeting.CreatedTransactionId)
	})

	t.Run("an approver may not record a meeting", func(t *testing.T) {
		_, err := convClient(t, registry, "approver").CreateMeeting(ctx(t), &apiv1.CreateMeetingRequest{
			MeetingId: uniqueID("m"), BodyId: body, StartsAt: startsAt.Format(time.RFC3339), Place: "p"})
		requireCode(t, err, codes.PermissionDenied)
	})

	t.Run("a meeting of another administration's body is not found", func(t *testing.T) {
		_, err := convClient(t, treasury, "clerk").CreateMeeting(ctx(t), &apiv1.CreateMeetingRequest{
			MeetingId: uniqueID("m"), BodyId: body, StartsAt: startsAt.Format(time.RFC3339), Place: "p"})
		requireCode(t, err, codes.NotFound)
	})

	t.Run("the same meeting id twice is refused", func(t *testing.T) {
		_, err := convClient(t, registry, "clerk").CreateMeeting(ctx(t), &apiv1.CreateMeetingRequest{
			MeetingId: meetingID, BodyId: body, StartsAt: startsAt.Format(time.RFC3339), Place: "p"})
		requireCode(t, err, codes.AlreadyExists)
	})

	t.Run("a meeting in the past is refused", func(t *testing.T) {
		_, err := convClient(t, registry, "clerk").CreateMeeting(ctx(t), &apiv1.CreateMeetingRequest{
			MeetingId: uniqueID("m"), BodyId: body, StartsAt: time.Now().Add(-time.Hour).Format(time.RFC3339), Place: "p"})
		requireCode(t, err, codes.InvalidArgument)
	})

	recipients, tokens := convRecipients(meetingID, 3)
	var ids []string
	t.Run("a clerk convenes three officials on time, and a retry with the same idempotency key is the same transaction", func(t *testing.T) {
		key := uniqueID("convene")
		req := &apiv1.ConveneRequest{MeetingId: meetingID, Recipients: recipients}
		first, err := convClient(t, registry, "clerk").Convene(withIdempotencyKey(ctx(t), key), req)
		require.NoError(t, err)
		require.Equal(t, int32(3), first.Convened)
		require.Equal(t, int32(3), first.OnTime)
		require.Zero(t, first.Late)
		require.Len(t, first.ConvocationIds, 3)
		for i, r := range recipients {
			require.Equal(t, spec.ConvocationID(registry, meetingID, r.RecipientRef), first.ConvocationIds[i], "ids come in input order")
		}
		ids = first.ConvocationIds

		again, err := convClient(t, registry, "clerk").Convene(withIdempotencyKey(ctx(t), key), req)
		require.NoError(t, err)
		require.Equal(t, first.Committed.TransactionId, again.Committed.TransactionId)
	})
	require.Len(t, ids, 3)

	t.Run("convening an official twice is refused and writes nothing of the batch", func(t *testing.T) {
		fresh, _ := convRecipients(uniqueID("other"), 1)
		_, err := convClient(t, registry, "clerk").Convene(ctx(t), &apiv1.ConveneRequest{
			MeetingId: meetingID, Recipients: []*apiv1.ConveneRecipient{fresh[0], recipients[1]}})
		requireCode(t, err, codes.AlreadyExists)
		_, err = convClient(t, registry, "clerk").GetConvocation(ctx(t), &apiv1.GetConvocationRequest{
			MeetingId: meetingID, ConvocationId: spec.ConvocationID(registry, meetingID, fresh[0].RecipientRef)})
		requireCode(t, err, codes.NotFound)
	})

	t.Run("another administration cannot convene to the meeting", func(t *testing.T) {
		_, err := convClient(t, treasury, "clerk").Convene(ctx(t), &apiv1.ConveneRequest{MeetingId: meetingID, Recipients: recipients[:1]})
		requireCode(t, err, codes.NotFound)
	})

	t.Run("an approver may not convene", func(t *testing.T) {
		fresh, _ := convRecipients(uniqueID("other"), 1)
		_, err := convClient(t, registry, "approver").Convene(ctx(t), &apiv1.ConveneRequest{MeetingId: meetingID, Recipients: fresh})
		requireCode(t, err, codes.PermissionDenied)
	})

	t.Run("a clear token given instead of its hash is refused by the gateway", func(t *testing.T) {
		bad, _ := convRecipients(uniqueID("other"), 1)
		bad[0].AckTokenHash = "k7Qp2vXb9LrT4mZs8NwE1yHc"
		_, err := convClient(t, registry, "clerk").Convene(ctx(t), &apiv1.ConveneRequest{MeetingId: meetingID, Recipients: bad})
		requireCode(t, err, codes.InvalidArgument)
	})

	t.Run("a convocation sent after the deadline is anchored and counted late", func(t *testing.T) {
		lateID := uniqueID("2026-late")
		convMeeting(t, registry, lateID, body, time.Now().AddDate(0, 0, 2))
		late, _ := convRecipients(lateID, 1)
		resp, err := convClient(t, registry, "admin").Convene(ctx(t), &apiv1.ConveneRequest{MeetingId: lateID, Recipients: late})
		require.NoError(t, err)
		require.Equal(t, int32(1), resp.Late)
		s, err := convClient(t, council, "clerk").GetMeetingSummary(ctx(t), &apiv1.GetMeetingSummaryRequest{OwnerMspId: registry, MeetingId: lateID})
		require.NoError(t, err)
		require.Equal(t, int32(1), s.Summary.Late)
		require.Zero(t, s.Summary.OnTime)
	})

	t.Run("an official's click relayed by another administration is recorded once", func(t *testing.T) {
		resp, err := convClient(t, treasury, "clerk").Acknowledge(ctx(t), &apiv1.AcknowledgeRequest{
			OwnerMspId: registry, MeetingId: meetingID, ConvocationId: ids[0], Token: tokens[0]})
		require.NoError(t, err)
		require.Equal(t, treasury, resp.Convocation.AcknowledgedVia)
		require.Equal(t, resp.Committed.TransactionId, resp.Convocation.AcknowledgedTransactionId)

		_, err = convClient(t, treasury, "clerk").Acknowledge(ctx(t), &apiv1.AcknowledgeRequest{
			OwnerMspId: registry, MeetingId: meetingID, ConvocationId: ids[0], Token: tokens[0]})
		requireCode(t, err, codes.FailedPrecondition)
	})

	t.Run("a wrong token does not acknowledge", func(t *testing.T) {
		_, err := convClient(t, council, "clerk").Acknowledge(ctx(t), &apiv1.AcknowledgeRequest{
			OwnerMspId: registry, MeetingId: meetingID, ConvocationId: ids[1], Token: tokens[0]})
		requireCode(t, err, codes.PermissionDenied)
		c, err := convClient(t, council, "clerk").GetConvocation(ctx(t), &apiv1.GetConvocationRequest{
			OwnerMspId: registry, MeetingId: meetingID, ConvocationId: ids[1]})
		require.NoError(t, err)
		require.Empty(t, c.Convocation.AcknowledgedAt)
	})

	t.Run("an approver of any administration may relay an acknowledgement", func(t *testing.T) {
		_, err := convClient(t, council, "approver").Acknowledge(ctx(t), &apiv1.AcknowledgeRequest{
			OwnerMspId: registry, MeetingId: meetingID, ConvocationId: ids[1], Token: tokens[1]})
		require.NoError(t, err)
	})

	t.Run("an unknown convocation is not found", func(t *testing.T) {
		unknown := convHash(uniqueID("nobody"))
		_, err := convClient(t, treasury, "clerk").Acknowledge(ctx(t), &apiv1.AcknowledgeRequest{
			OwnerMspId: registry, MeetingId: meetingID, ConvocationId: unknown, Token: "whatever"})
		requireCode(t, err, codes.NotFound)
		_, err = convClient(t, treasury, "clerk").GetConvocation(ctx(t), &apiv1.GetConvocationRequest{
			OwnerMspId: registry, MeetingId: meetingID, ConvocationId: unknown})
		requireCode(t, err, codes.NotFound)
	})

	t.Run("the proof of a convocation shows its hashes, sending time and receipt", func(t *testing.T) {
		c, err := convClient(t, council, "clerk").GetConvocation(ctx(t), &apiv1.GetConvocationRequest{
			OwnerMspId: registry, MeetingId: meetingID, ConvocationId: ids[0]})
		require.NoError(t, err)
		require.Equal(t, recipients[0].RecipientRef, c.Convocation.RecipientRef)
		require.Equal(t, recipients[0].MessageHash, c.Convocation.MessageHash)
		require.Equal(t, recipients[0].AckTokenHash, c.Convocation.AckTokenHash)
		require.True(t, c.Convocation.OnTime)
		require.NotEmpty(t, c.Convocation.SentTransactionId)
		require.Equal(t, treasury, c.Convocation.AcknowledgedVia)
	})

	t.Run("the register shows convened, acknowledged and on-time counts without personal data", func(t *testing.T) {
		resp, err := convClient(t, council, "clerk").GetMeetingSummary(ctx(t), &apiv1.GetMeetingSummaryRequest{OwnerMspId: registry, MeetingId: meetingID})
		require.NoError(t, err)
		s := resp.Summary
		require.Equal(t, []int32{3, 2, 3, 0}, []int32{s.Convened, s.Acknowledged, s.OnTime, s.Late})
		require.Equal(t, meetingID, s.Meeting.Id)
		raw, err := protojson.Marshal(resp)
		require.NoError(t, err)
		for i, r := range recipients {
			require.NotContains(t, string(raw), r.RecipientRef)
			require.NotContains(t, string(raw), r.AckTokenHash)
			require.NotContains(t, string(raw), ids[i])
		}
	})

	t.Run("an unknown meeting is not found", func(t *testing.T) {
		_, err := convClient(t, treasury, "clerk").GetMeeting(ctx(t), &apiv1.GetMeetingRequest{OwnerMspId: registry, MeetingId: uniqueID("none")})
		requireCode(t, err, codes.NotFound)
		_, err = convClient(t, treasury, "clerk").GetMeetingSummary(ctx(t), &apiv1.GetMeetingSummaryRequest{OwnerMspId: registry, MeetingId: uniqueID("none")})
		requireCode(t, err, codes.NotFound)
		_, err = convClient(t, treasury, "clerk").GetBody(ctx(t), &apiv1.GetBodyRequest{OwnerMspId: registry, BodyId: uniqueID("none")})
		requireCode(t, err, codes.NotFound)
	})

	t.Run("the register lists an administration's meetings in id order, page by page", func(t *testing.T) {
		var all []string
		token := ""
		for page := 0; ; page++ {
			require.Less(t, page, 1000)
			resp, err := convClient(t, treasury, "clerk").ListMeetings(ctx(t), &apiv1.ListMeetingsRequest{OwnerMspId: registry, PageSize: 1, PageToken: token})
			require.NoError(t, err)
			require.LessOrEqual(t, len(resp.Meetings), 1)
			for _, m := range resp.Meetings {
				all = append(all, m.Id)
			}
			if token = resp.NextPageToken; token == "" {
				break
			}
		}
		require.Contains(t, all, meetingID)
		require.Contains(t, all, soonID)
		require.IsIncreasing(t, all)
	})

	t.Run("a page token of another administration's register is refused", func(t *testing.T) {
		first, err := convClient(t, registry, "clerk").ListMeetings(ctx(t), &apiv1.ListMeetingsRequest{PageSize: 1})
		require.NoError(t, err)
		require.NotEmpty(t, first.NextPageToken)
		_, err = convClient(t, registry, "clerk").ListMeetings(ctx(t), &apiv1.ListMeetingsRequest{OwnerMspId: council, PageSize: 1, PageToken: first.NextPageToken})
		requireCode(t, err, codes.InvalidArgument)
		_, err = convClient(t, registry, "clerk").ListMeetings(ctx(t), &apiv1.ListMeetingsRequest{PageSize: 101})
		requireCode(t, err, codes.InvalidArgument)
	})

	t.Run("convening after the meeting has started is refused", func(t *testing.T) {
		start, err := time.Parse(time.RFC3339, soon.StartsAt)
		require.NoError(t, err)
		time.Sleep(time.Until(start.Add(time.Second)))
		list, _ := convRecipients(soonID, 1)
		_, err = convClient(t, registry, "clerk").Convene(ctx(t), &apiv1.ConveneRequest{MeetingId: soonID, Recipients: list})
		requireCode(t, err, codes.FailedPrecondition)
	})
}
