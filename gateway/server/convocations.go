package server

import (
	"context"
	"fmt"
	"time"

	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
	"github.com/civicledger/civicledger/gateway/fabric"
)

// convocationsService serves ConvocationsService over the Convocations
// contract. The acknowledgement token is a secret: it goes to the chaincode
// as the argument it must be, and into no log line or error message.
type convocationsService struct {
	apiv1.UnimplementedConvocationsServiceServer
	*Server
}

// Limits checked before calling the ledger, so that a person gets the
// request's own field name; the chaincode checks them again.
const (
	convMaxRecipients = 500
	convMaxTokenBytes = 512
)

func (c *convocationsService) SetBody(ctx context.Context, req *apiv1.SetBodyRequest) (*apiv1.SetBodyResponse, error) {
	if err := convRequired("body_id", req.BodyId, "name", req.Name, "time_zone", req.TimeZone); err != nil {
		return nil, err
	}
	if req.ClearDays == nil {
		return nil, invalid("clear_days", "is required (0 to 30 days; 5 in France, 3 in communes under 3,500 inhabitants)")
	}
	arg, err := jsonArg(convBodyArg{ID: req.BodyId, Name: req.Name, ClearDays: req.GetClearDays(), TimeZone: req.TimeZone})
	if err != nil {
		return nil, err
	}
	var b convBodyJSON
	committed, err := c.submitJSON(ctx, &b, fabric.Submission{Transaction: "Convocations:SetBody", Args: []string{arg}})
	if err != nil {
		return nil, err
	}
	return &apiv1.SetBodyResponse{Body: b.proto(), Committed: committed}, nil
}

func (c *convocationsService) CreateMeeting(ctx context.Context, req *apiv1.CreateMeetingRequest) (*apiv1.CreateMeetingResponse, error) {
	if err := convRequired("meeting_id", req.MeetingId, "body_id", req.BodyId, "starts_at", req.StartsAt, "place", req.Place); err != nil {
		return nil, err
	}
	if _, err := time.Parse(time.RFC3339, req.StartsAt); err != nil {
		return nil, invalid("starts_at", "must be RFC 3339 with an offset, e.g. 2026-04-02T18:00:00+02:00")
	}
	for i, h := range req.AgendaHashes {
		if err := convHex64(fmt.Sprintf("agenda_hashes[%d]", i), h); err != nil {
			return nil, err
		}
	}
	hashes := req.AgendaHashes
	if hashes == nil {
		hashes = []string{}
	}
	arg, err := jsonArg(convMeetingArg{ID: req.MeetingId, BodyID: req.BodyId, StartsAt: req.StartsAt, Place: req.Place, AgendaHashes: hashes})
	if err != nil {
		return nil, err
	}
	var m convMeetingJSON
	committed, err := c.submitJSON(ctx, &m, fabric.Submission{Transaction: "Convocations:CreateMeeting", Args: []string{arg}})
	if err != nil {
		return nil, err
	}
	return &apiv1.CreateMeetingResponse{Meeting: m.proto(), Committed: committed}, nil
}

func (c *convocationsService) Convene(ctx context.Context, req *apiv1.ConveneRequest) (*apiv1.ConveneResponse, error) {
	if err := required("meeting_id", req.MeetingId); err != nil {
		return nil, err
	}
	if n := len(req.Recipients); n == 0 || n > convMaxRecipients {
		return nil, invalid("recipients", "must list 1 to %d recipients, got %d (split larger lists into several calls)", convMaxRecipients, n)
	}
	list := make([]convRecipientArg, len(req.Recipients))
	for i, r := range req.Recipients {
		p := fmt.Sprintf("recipients[%d].", i)
		for _, f := range []struct{ name, v string }{
			{"recipient_ref", r.GetRecipientRef()}, {"message_hash", r.GetMessageHash()}, {"ack_token_hash", r.GetAckTokenHash()},
		} {
			if err := convHex64(p+f.name, f.v); err != nil {
				return nil, err
			}
		}
		list[i] = convRecipientArg{RecipientRef: r.RecipientRef, MessageHash: r.MessageHash, AckTokenHash: r.AckTokenHash}
	}
	arg, err := jsonArg(list)
	if err != nil {
		return nil, err
	}
	var res convConveneJSON
	committed, err := c.submitJSON(ctx, &res, fabric.Submission{Transaction: "Convocations:Convene", Args: []string{req.MeetingId, arg}})
	if err != nil {
		return nil, err
	}
	return &apiv1.ConveneResponse{
		OwnerMspId: res.OwnerMSP, MeetingId: res.MeetingID, SentAt: res.SentAt,
		Convened: res.Convened, OnTime: res.OnTime, Late: res.Late,
		ConvocationIds: res.ConvocationIDs, Committed: committed,
	}, nil
}

func (c *convocationsService) Acknowledge(ctx context.Context, req *apiv1.AcknowledgeRequest) (*apiv1.AcknowledgeResponse, error) {
	owner := convOwner(ctx, req.OwnerMspId)
	if err := convRequired("meeting_id", req.MeetingId, "convocation_id", req.ConvocationId, "token", req.Token); err != nil {
		return nil, err
	}
	if err := convHex64("convocation_id", req.ConvocationId); err != nil {
		return nil, err
	}
	if len(req.Token) > convMaxTokenBytes {
		return nil, invalid("token", "is too long: %d bytes, at most %d", len(req.Token), convMaxTokenBytes)
	}
	var conv convConvocationJSON
	committed, err := c.submitJSON(ctx, &conv, fabric.Submission{
		Transaction: "Convocations:Acknowledge", Args: []string{owner, req.MeetingId, req.ConvocationId, req.Token},
	})
	if err != nil {
		return nil, err
	}
	return &apiv1.AcknowledgeResponse{Convocation: conv.proto(), Committed: committed}, nil
}

func (c *convocationsService) GetBody(ctx context.Context, req *apiv1.GetBodyRequest) (*apiv1.GetBodyResponse, error) {
	if err := required("body_id", req.BodyId); err != nil {
		return nil, err
	}
	var b convBodyJSON
	if err := c.evaluateJSON(ctx, &b, "Convocations:GetBody", convOwner(ctx, req.OwnerMspId), req.BodyId); err != nil {
		return nil, err
	}
	return &apiv1.GetBodyResponse{Body: b.proto()}, nil
}

func (c *convocationsService) GetMeeting(ctx context.Context, req *apiv1.GetMeetingRequest) (*apiv1.GetMeetingResponse, error) {
	if err := required("meeting_id", req.MeetingId); err != nil {
		return nil, err
	}
	var m convMeetingJSON
	if err := c.evaluateJSON(ctx, &m, "Convocations:GetMeeting", convOwner(ctx, req.OwnerMspId), req.MeetingId); err != nil {
		return nil, err
	}
	return &apiv1.GetMeetingResponse{Meeting: m.proto()}, nil
}

func (c *convocationsService) GetConvocation(ctx context.Context, req *apiv1.GetConvocationRequest) (*apiv1.GetConvocationResponse, error) {
	if err := convRequired("meeting_id", req.MeetingId, "convocation_id", req.ConvocationId); err != nil {
		return nil, err
	}
	if err := convHex64("convocation_id", req.ConvocationId); err != nil {
		return nil, err
	}
	var conv convConvocationJSON
	if err := c.evaluateJSON(ctx, &conv, "Convocations:GetConvocation", convOwner(ctx, req.OwnerMspId), req.MeetingId, req.ConvocationId); err != nil {
		return nil, err
	}
	return &apiv1.GetConvocationResponse{Convocation: conv.proto()}, nil
}

func (c *convocationsService) GetMeetingSummary(ctx context.Context, req *apiv1.GetMeetingSummaryRequest) (*apiv1.GetMeetingSummaryResponse, error) {
	if err := required("meeting_id", req.MeetingId); err != nil {
		return nil, err
	}
	var s convSummaryJSON
	if err := c.evaluateJSON(ctx, &s, "Convocations:Summary", convOwner(ctx, req.OwnerMspId), req.MeetingId); err != nil {
		return nil, err
	}
	return &apiv1.GetMeetingSummaryResponse{Summary: s.proto()}, nil
}

func (c *convocationsService) ListMeetings(ctx context.Context, req *apiv1.ListMeetingsRequest) (*apiv1.ListMeetingsResponse, error) {
	size, err := pageSize(req.PageSize)
	if err != nil {
		return nil, err
	}
	var page convMeetingPageJSON
	if err := c.evaluateJSON(ctx, &page, "Convocations:ListMeetings", convOwner(ctx, req.OwnerMspId), size, req.PageToken); err != nil {
		return nil, err
	}
	resp := &apiv1.ListMeetingsResponse{NextPageToken: page.Bookmark}
	for _, m := range page.Meetings {
		resp.Meetings = append(resp.Meetings, m.proto())
	}
	return resp, nil
}

// convRequired fails on the first empty field of name, value pairs, in order.
func convRequired(pairs ...string) error {
	for i := 0; i+1 < len(pairs); i += 2 {
		if err := required(pairs[i], pairs[i+1]); err != nil {
			return err
		}
	}
	return nil
}

// convHex64 checks that v is a SHA-256 in the chaincode's canonical form.
// The value is not echoed: a clear token pasted by mistake stays out of
// error messages and logs.
func convHex64(field, v string) error {
	if len(v) != 64 {
		return invalid(field, "must be a SHA-256 as 64 lowercase hex characters, got %d characters", len(v))
	}
	for i, r := range v {
		if (r < '0' || r > '9') && (r < 'a' || r > 'f') {
			return invalid(field, "must be a SHA-256 as 64 lowercase hex characters, character %d is not 0-9 or a-f", i+1)
		}
	}
	return nil
}

// convOwner is the administration a request names, or the caller's own.
func convOwner(ctx context.Context, owner string) string {
	if owner == "" {
		if u := caller(ctx); u != nil {
			return u.MSPID
		}
	}
	return owner
}

// Chaincode inputs, encoded with the field names the chaincode decodes
// strictly.
type convBodyArg struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	ClearDays int32  `json:"clearDays"`
	TimeZone  string `json:"timeZone"`
}

type convMeetingArg struct {
	ID           string   `json:"id"`
	BodyID       string   `json:"bodyId"`
	StartsAt     string   `json:"startsAt"`
	Place        string   `json:"place"`
	AgendaHashes []string `json:"agendaHashes"`
}

type convRecipientArg struct {
	RecipientRef string `json:"recipientRef"`
	MessageHash  string `json:"messageHash"`
	AckTokenHash string `json:"ackTokenHash"`
}

// convBodyJSON is the chaincode's ConvocationBody.
type convBodyJSON struct {
	OwnerMSP  string `json:"ownerMsp"`
	ID        string `json:"id"`
	Name      string `json:"name"`
	ClearDays int32  `json:"clearDays"`
	TimeZone  string `json:"timeZone"`
	UpdatedAt string `json:"updatedAt"`
}

func (b convBodyJSON) proto() *apiv1.ConvocationBody {
	return &apiv1.ConvocationBody{OwnerMspId: b.OwnerMSP, Id: b.ID, Name: b.Name, ClearDays: b.ClearDays, TimeZone: b.TimeZone, UpdatedAt: b.UpdatedAt}
}

// convMeetingJSON is the chaincode's Meeting.
type convMeetingJSON struct {
	OwnerMSP     string   `json:"ownerMsp"`
	ID           string   `json:"id"`
	BodyID       string   `json:"bodyId"`
	StartsAt     string   `json:"startsAt"`
	Place        string   `json:"place"`
	AgendaHashes []string `json:"agendaHashes"`
	TimeZone     string   `json:"timeZone"`
	ClearDays    int32    `json:"clearDays"`
	Deadline     string   `json:"deadline"`
	CreatedAt    string   `json:"createdAt"`
	CreatedTxID  string   `json:"createdTxId"`
}

func (m *convMeetingJSON) proto() *apiv1.Meeting {
	if m == nil {
		return nil
	}
	return &apiv1.Meeting{
		OwnerMspId: m.OwnerMSP, Id: m.ID, BodyId: m.BodyID, StartsAt: m.StartsAt, Place: m.Place,
		AgendaHashes: m.AgendaHashes, TimeZone: m.TimeZone, ClearDays: m.ClearDays, Deadline: m.Deadline,
		CreatedAt: m.CreatedAt, CreatedTransactionId: m.CreatedTxID,
	}
}

// convConvocationJSON is the chaincode's Convocation.
type convConvocationJSON struct {
	OwnerMSP         string `json:"ownerMsp"`
	MeetingID        string `json:"meetingId"`
	ID               string `json:"id"`
	RecipientRef     string `json:"recipientRef"`
	MessageHash      string `json:"messageHash"`
	AckTokenHash     string `json:"ackTokenHash"`
	SentAt           string `json:"sentAt"`
	SentTxID         string `json:"sentTxId"`
	OnTime           bool   `json:"onTime"`
	AcknowledgedAt   string `json:"acknowledgedAt"`
	AcknowledgedVia  string `json:"acknowledgedVia"`
	AcknowledgedTxID string `json:"acknowledgedTxId"`
}

func (c convConvocationJSON) proto() *apiv1.Convocation {
	return &apiv1.Convocation{
		OwnerMspId: c.OwnerMSP, MeetingId: c.MeetingID, Id: c.ID, RecipientRef: c.RecipientRef,
		MessageHash: c.MessageHash, AckTokenHash: c.AckTokenHash, SentAt: c.SentAt, SentTransactionId: c.SentTxID,
		OnTime: c.OnTime, AcknowledgedAt: c.AcknowledgedAt, AcknowledgedVia: c.AcknowledgedVia,
		AcknowledgedTransactionId: c.AcknowledgedTxID,
	}
}

// convConveneJSON is the chaincode's ConveneResult.
type convConveneJSON struct {
	OwnerMSP       string   `json:"ownerMsp"`
	MeetingID      string   `json:"meetingId"`
	SentAt         string   `json:"sentAt"`
	Convened       int32    `json:"convened"`
	OnTime         int32    `json:"onTime"`
	Late           int32    `json:"late"`
	ConvocationIDs []string `json:"convocationIds"`
}

// convSummaryJSON is the chaincode's MeetingSummary.
type convSummaryJSON struct {
	Meeting      *convMeetingJSON `json:"meeting"`
	Convened     int32            `json:"convened"`
	Acknowledged int32            `json:"acknowledged"`
	OnTime       int32            `json:"onTime"`
	Late         int32            `json:"late"`
}

func (s convSummaryJSON) proto() *apiv1.MeetingSummary {
	return &apiv1.MeetingSummary{Meeting: s.Meeting.proto(), Convened: s.Convened, Acknowledged: s.Acknowledged, OnTime: s.OnTime, Late: s.Late}
}

// convMeetingPageJSON is the chaincode's MeetingPage.
type convMeetingPageJSON struct {
	Meetings []*convMeetingJSON `json:"meetings"`
	Bookmark string             `json:"bookmark"`
}
