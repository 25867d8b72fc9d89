package convocations

import (
	"github.com/civicledger/civicledger/chaincode/contracts/base"
	"github.com/civicledger/civicledger/chaincode/records"
	"github.com/civicledger/civicledger/chaincode/state"
)

// GetBody returns body bodyID of administration ownerMSP, or NOT_FOUND.
func (c *Contract) GetBody(ctx *base.TxContext, ownerMSP, bodyID string) (*records.ConvocationBody, error) {
	if err := base.ValidateMSPID(ownerMSP); err != nil {
		return nil, err
	}
	if err := base.ValidateID("bodyId", bodyID); err != nil {
		return nil, err
	}
	return getConvBody(ctx, ownerMSP, bodyID)
}

// GetMeeting returns meeting meetingID of administration ownerMSP, or
// NOT_FOUND.
func (c *Contract) GetMeeting(ctx *base.TxContext, ownerMSP, meetingID string) (*records.Meeting, error) {
	if err := base.ValidateMSPID(ownerMSP); err != nil {
		return nil, err
	}
	if err := base.ValidateID("meetingId", meetingID); err != nil {
		return nil, err
	}
	return getMeeting(ctx, ownerMSP, meetingID)
}

// GetConvocation returns the legal proof of one convocation: hashes, sending
// time, on-time flag and acknowledgement, or NOT_FOUND.
func (c *Contract) GetConvocation(ctx *base.TxContext, ownerMSP, meetingID, convocationID string) (*records.Convocation, error) {
	if err := validateConvocationRef(ownerMSP, meetingID, convocationID); err != nil {
		return nil, err
	}
	_, conv, err := getConvocation(ctx, ownerMSP, meetingID, convocationID)
	if err != nil {
		return nil, err
	}
	return conv, nil
}

// Summary returns a meeting's line of the public register: the meeting and
// its convened, acknowledged, on-time and late counts, counted over the
// meeting's convocations at read time.
func (c *Contract) Summary(ctx *base.TxContext, ownerMSP, meetingID string) (*records.MeetingSummary, error) {
	m, err := c.GetMeeting(ctx, ownerMSP, meetingID)
	if err != nil {
		return nil, err
	}
	n, err := countConvocations(ctx, ownerMSP, meetingID)
	if err != nil {
		return nil, err
	}
	return &records.MeetingSummary{
		Meeting: m, Convened: n.convened, Acknowledged: n.acknowledged,
		OnTime: n.onTime, Late: n.convened - n.onTime,
	}, nil
}

// ListMeetings returns one page of the meetings of ownerMSP in meeting ID
// order: pageSize is a decimal from 1 to 100, "" or "0" for 20; bookmark is
// empty for the first page, then the one returned with the previous page.
// It is the public register of convocations.
func (c *Contract) ListMeetings(ctx *base.TxContext, ownerMSP, pageSize, bookmark string) (*records.MeetingPage, error) {
	if err := base.ValidateMSPID(ownerMSP); err != nil {
		return nil, err
	}
	size, err := base.ParsePageSize(pageSize)
	if err != nil {
		return nil, err
	}
	meetings, next, err := base.ListPage(ctx, "meetings of "+ownerMSP, state.TypeMeeting, []string{ownerMSP}, size, bookmark, state.DecodeJSON[records.Meeting])
	if err != nil {
		return nil, err
	}
	return &records.MeetingPage{Meetings: meetings, Bookmark: next}, nil
}
