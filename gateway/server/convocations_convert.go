package server

import (
	"github.com/civicledger/civicledger/chaincode/records"
	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
)

// Conversion between the Convocations contract's records (chaincode/records)
// and the API's messages. The chaincode counts in int; its limits (at most
// 30 clear days, 500 recipients a call) keep every count within int32.

func convBodyProto(b records.ConvocationBody) *apiv1.ConvocationBody {
	return &apiv1.ConvocationBody{OwnerMspId: b.OwnerMSP, Id: b.ID, Name: b.Name, ClearDays: int32(b.ClearDays), TimeZone: b.TimeZone, UpdatedAt: b.UpdatedAt}
}

func convMeetingProto(m *records.Meeting) *apiv1.Meeting {
	if m == nil {
		return nil
	}
	return &apiv1.Meeting{
		OwnerMspId: m.OwnerMSP, Id: m.ID, BodyId: m.BodyID, StartsAt: m.StartsAt, Place: m.Place,
		AgendaHashes: m.AgendaHashes, TimeZone: m.TimeZone, ClearDays: int32(m.ClearDays), Deadline: m.Deadline,
		CreatedAt: m.CreatedAt, CreatedTransactionId: m.CreatedTxID,
	}
}

func convConvocationProto(c records.Convocation) *apiv1.Convocation {
	return &apiv1.Convocation{
		OwnerMspId: c.OwnerMSP, MeetingId: c.MeetingID, Id: c.ID, RecipientRef: c.RecipientRef,
		MessageHash: c.MessageHash, AckTokenHash: c.AckTokenHash, SentAt: c.SentAt, SentTransactionId: c.SentTxID,
		OnTime: c.OnTime, AcknowledgedAt: c.AcknowledgedAt, AcknowledgedVia: c.AcknowledgedVia,
		AcknowledgedTransactionId: c.AcknowledgedTxID,
	}
}

func convSummaryProto(s records.MeetingSummary) *apiv1.MeetingSummary {
	return &apiv1.MeetingSummary{Meeting: convMeetingProto(s.Meeting), Convened: int32(s.Convened),
		Acknowledged: int32(s.Acknowledged), OnTime: int32(s.OnTime), Late: int32(s.Late)}
}
