package server

import apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"

// Conversion between the Convocations contract's JSON and the API's messages.

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
