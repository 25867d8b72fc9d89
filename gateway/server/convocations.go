package server

import (
	"context"
	"fmt"

	"github.com/civicledger/civicledger/chaincode/records"
	"github.com/civicledger/civicledger/chaincode/spec"
	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
	"github.com/civicledger/civicledger/gateway/fabric"
)

// convocationsService serves ConvocationsService over the Convocations
// contract. The acknowledgement token is a secret: it goes to the chaincode
// as the argument it must be, and into no log line or error message.
// Conversions of the chaincode's results are in convocations_convert.go.
type convocationsService struct {
	apiv1.UnimplementedConvocationsServiceServer
	ledger ledger
}

func (c *convocationsService) SetBody(ctx context.Context, req *apiv1.SetBodyRequest) (*apiv1.SetBodyResponse, error) {
	if err := requireAll("body_id", req.BodyId, "name", req.Name, "time_zone", req.TimeZone); err != nil {
		return nil, err
	}
	if req.ClearDays == nil {
		return nil, invalid("clear_days", "is required (0 to %d days; 5 in France, 3 in communes under 3,500 inhabitants)", spec.MaxConvocationClearDays)
	}
	clearDays := int(req.GetClearDays())
	arg, err := jsonArg(records.ConvocationBodyInput{ID: req.BodyId, Name: req.Name, ClearDays: &clearDays, TimeZone: req.TimeZone})
	if err != nil {
		return nil, err
	}
	var b records.ConvocationBody
	committed, err := submitJSON(ctx, c.ledger, &b, fabric.Submission{Transaction: spec.ConvocationsSetBody, Args: []string{arg}})
	if err != nil {
		return nil, err
	}
	return &apiv1.SetBodyResponse{Body: convBodyProto(b), Committed: committed}, nil
}

func (c *convocationsService) CreateMeeting(ctx context.Context, req *apiv1.CreateMeetingRequest) (*apiv1.CreateMeetingResponse, error) {
	if err := requireAll("meeting_id", req.MeetingId, "body_id", req.BodyId, "starts_at", req.StartsAt, "place", req.Place); err != nil {
		return nil, err
	}
	if err := rfc3339("starts_at", req.StartsAt, true); err != nil {
		return nil, err
	}
	for i, h := range req.AgendaHashes {
		if err := sha256Hex(fmt.Sprintf("agenda_hashes[%d]", i), h); err != nil {
			return nil, err
		}
	}
	hashes := req.AgendaHashes
	if hashes == nil {
		hashes = []string{}
	}
	arg, err := jsonArg(records.MeetingInput{ID: req.MeetingId, BodyID: req.BodyId, StartsAt: req.StartsAt, Place: req.Place, AgendaHashes: hashes})
	if err != nil {
		return nil, err
	}
	var m records.Meeting
	committed, err := submitJSON(ctx, c.ledger, &m, fabric.Submission{Transaction: spec.ConvocationsCreateMeeting, Args: []string{arg}})
	if err != nil {
		return nil, err
	}
	return &apiv1.CreateMeetingResponse{Meeting: convMeetingProto(&m), Committed: committed}, nil
}

func (c *convocationsService) Convene(ctx context.Context, req *apiv1.ConveneRequest) (*apiv1.ConveneResponse, error) {
	if err := required("meeting_id", req.MeetingId); err != nil {
		return nil, err
	}
	if n := len(req.Recipients); n == 0 || n > spec.MaxConveneRecipients {
		return nil, invalid("recipients", "must list 1 to %d recipients, got %d (split larger lists into several calls)", spec.MaxConveneRecipients, n)
	}
	list := make([]records.ConveneRecipient, len(req.Recipients))
	for i, r := range req.Recipients {
		p := fmt.Sprintf("recipients[%d].", i)
		for _, f := range []struct{ name, v string }{
			{"recipient_ref", r.GetRecipientRef()}, {"message_hash", r.GetMessageHash()}, {"ack_token_hash", r.GetAckTokenHash()},
		} {
			if err := sha256Hex(p+f.name, f.v); err != nil {
				return nil, err
			}
		}
		list[i] = records.ConveneRecipient{RecipientRef: r.RecipientRef, MessageHash: r.MessageHash, AckTokenHash: r.AckTokenHash}
	}
	arg, err := jsonArg(list)
	if err != nil {
		return nil, err
	}
	var res records.ConveneResult
	committed, err := submitJSON(ctx, c.ledger, &res, fabric.Submission{Transaction: spec.ConvocationsConvene, Args: []string{req.MeetingId, arg}})
	if err != nil {
		return nil, err
	}
	return &apiv1.ConveneResponse{
		OwnerMspId: res.OwnerMSP, MeetingId: res.MeetingID, SentAt: res.SentAt,
		Convened: int32(res.Convened), OnTime: int32(res.OnTime), Late: int32(res.Late),
		ConvocationIds: res.ConvocationIDs, Committed: committed,
	}, nil
}

func (c *convocationsService) Acknowledge(ctx context.Context, req *apiv1.AcknowledgeRequest) (*apiv1.AcknowledgeResponse, error) {
	owner := ownerOrCaller(ctx, req.OwnerMspId)
	if err := requireAll("meeting_id", req.MeetingId, "convocation_id", req.ConvocationId, "token", req.Token); err != nil {
		return nil, err
	}
	if err := convocationID("convocation_id", req.ConvocationId); err != nil {
		return nil, err
	}
	if len(req.Token) > spec.MaxAckTokenLength {
		return nil, invalid("token", "is too long: %d bytes, at most %d", len(req.Token), spec.MaxAckTokenLength)
	}
	var conv records.Convocation
	committed, err := submitJSON(ctx, c.ledger, &conv, fabric.Submission{
		Transaction: spec.ConvocationsAcknowledge, Args: []string{owner, req.MeetingId, req.ConvocationId, req.Token},
	})
	if err != nil {
		return nil, err
	}
	return &apiv1.AcknowledgeResponse{Convocation: convConvocationProto(conv), Committed: committed}, nil
}

func (c *convocationsService) GetBody(ctx context.Context, req *apiv1.GetBodyRequest) (*apiv1.GetBodyResponse, error) {
	if err := required("body_id", req.BodyId); err != nil {
		return nil, err
	}
	var b records.ConvocationBody
	if err := evaluateJSON(ctx, c.ledger, &b, spec.ConvocationsGetBody, ownerOrCaller(ctx, req.OwnerMspId), req.BodyId); err != nil {
		return nil, err
	}
	return &apiv1.GetBodyResponse{Body: convBodyProto(b)}, nil
}

func (c *convocationsService) GetMeeting(ctx context.Context, req *apiv1.GetMeetingRequest) (*apiv1.GetMeetingResponse, error) {
	if err := required("meeting_id", req.MeetingId); err != nil {
		return nil, err
	}
	var m records.Meeting
	if err := evaluateJSON(ctx, c.ledger, &m, spec.ConvocationsGetMeeting, ownerOrCaller(ctx, req.OwnerMspId), req.MeetingId); err != nil {
		return nil, err
	}
	return &apiv1.GetMeetingResponse{Meeting: convMeetingProto(&m)}, nil
}

func (c *convocationsService) GetConvocation(ctx context.Context, req *apiv1.GetConvocationRequest) (*apiv1.GetConvocationResponse, error) {
	if err := requireAll("meeting_id", req.MeetingId, "convocation_id", req.ConvocationId); err != nil {
		return nil, err
	}
	if err := convocationID("convocation_id", req.ConvocationId); err != nil {
		return nil, err
	}
	var conv records.Convocation
	if err := evaluateJSON(ctx, c.ledger, &conv, spec.ConvocationsGetConvocation, ownerOrCaller(ctx, req.OwnerMspId), req.MeetingId, req.ConvocationId); err != nil {
		return nil, err
	}
	return &apiv1.GetConvocationResponse{Convocation: convConvocationProto(conv)}, nil
}

func (c *convocationsService) GetMeetingSummary(ctx context.Context, req *apiv1.GetMeetingSummaryRequest) (*apiv1.GetMeetingSummaryResponse, error) {
	if err := required("meeting_id", req.MeetingId); err != nil {
		return nil, err
	}
	var s records.MeetingSummary
	if err := evaluateJSON(ctx, c.ledger, &s, spec.ConvocationsSummary, ownerOrCaller(ctx, req.OwnerMspId), req.MeetingId); err != nil {
		return nil, err
	}
	return &apiv1.GetMeetingSummaryResponse{Summary: convSummaryProto(s)}, nil
}

func (c *convocationsService) ListMeetings(ctx context.Context, req *apiv1.ListMeetingsRequest) (*apiv1.ListMeetingsResponse, error) {
	size, err := pageSize(req.PageSize)
	if err != nil {
		return nil, err
	}
	var page records.MeetingPage
	if err := evaluateJSON(ctx, c.ledger, &page, spec.ConvocationsListMeetings, ownerOrCaller(ctx, req.OwnerMspId), size, req.PageToken); err != nil {
		return nil, err
	}
	resp := &apiv1.ListMeetingsResponse{NextPageToken: page.Bookmark}
	for _, m := range page.Meetings {
		resp.Meetings = append(resp.Meetings, convMeetingProto(m))
	}
	return resp, nil
}
