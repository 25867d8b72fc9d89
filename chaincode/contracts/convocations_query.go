package contracts

import (
	"encoding/json"
	"strconv"
	"strings"

	"github.com/civicledger/civicledger/chaincode/state"
)

// maxMeetingBookmark bounds the bookmark argument of ListMeetings.
const maxMeetingBookmark = 1024

// GetBody returns body bodyID of administration ownerMSP, or NOT_FOUND.
func (c *ConvocationsContract) GetBody(ctx *TxContext, ownerMSP, bodyID string) (*ConvocationBody, error) {
	if err := validateMSPID(ownerMSP); err != nil {
		return nil, err
	}
	if err := validateConvID("bodyId", bodyID); err != nil {
		return nil, err
	}
	return getConvBody(ctx, ownerMSP, bodyID)
}

// GetMeeting returns meeting meetingID of administration ownerMSP, or
// NOT_FOUND.
func (c *ConvocationsContract) GetMeeting(ctx *TxContext, ownerMSP, meetingID string) (*Meeting, error) {
	if err := validateMSPID(ownerMSP); err != nil {
		return nil, err
	}
	if err := validateConvID("meetingId", meetingID); err != nil {
		return nil, err
	}
	return getMeeting(ctx, ownerMSP, meetingID)
}

// GetConvocation returns the legal proof of one convocation: hashes, sending
// time, on-time flag and acknowledgement, or NOT_FOUND.
func (c *ConvocationsContract) GetConvocation(ctx *TxContext, ownerMSP, meetingID, convocationID string) (*Convocation, error) {
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
func (c *ConvocationsContract) Summary(ctx *TxContext, ownerMSP, meetingID string) (*MeetingSummary, error) {
	m, err := c.GetMeeting(ctx, ownerMSP, meetingID)
	if err != nil {
		return nil, err
	}
	n, err := countConvocations(ctx, ownerMSP, meetingID)
	if err != nil {
		return nil, err
	}
	return &MeetingSummary{
		Meeting: m, Convened: n.convened, Acknowledged: n.acknowledged,
		OnTime: n.onTime, Late: n.convened - n.onTime,
	}, nil
}

// ListMeetings returns one page (pageSize 1..100, a decimal string) of the
// meetings of ownerMSP in meeting ID order, starting at bookmark (empty for
// the first page). It is the public register of convocations.
func (c *ConvocationsContract) ListMeetings(ctx *TxContext, ownerMSP, pageSize, bookmark string) (page *MeetingPage, err error) {
	if err := validateMSPID(ownerMSP); err != nil {
		return nil, err
	}
	size, err := strconv.Atoi(pageSize)
	if err != nil || size < 1 || size > MaxMeetingPageSize {
		return nil, InvalidArgument("pageSize %q is not an integer in 1..%d", clip(pageSize), MaxMeetingPageSize)
	}
	stub := ctx.GetStub()
	prefix, err := state.Key(stub, state.TypeMeeting, ownerMSP)
	if err != nil {
		return nil, Internal(err, "meeting range")
	}
	// The peer starts the range at the bookmark: one from outside this
	// owner's range would read other entries.
	if bookmark != "" && (len(bookmark) > maxMeetingBookmark || !strings.HasPrefix(bookmark, prefix)) {
		return nil, InvalidArgument("bookmark is not one of a meeting list of %s", ownerMSP)
	}
	it, md, err := stub.GetStateByPartialCompositeKeyWithPagination(state.TypeMeeting, []string{ownerMSP}, int32(size), bookmark)
	if err != nil {
		return nil, Internal(err, "query meetings of %s", ownerMSP)
	}
	defer func() {
		if cerr := it.Close(); cerr != nil && err == nil {
			page, err = nil, Internal(cerr, "close meetings of %s", ownerMSP)
		}
	}()
	page = &MeetingPage{Meetings: []*Meeting{}}
	for it.HasNext() {
		kv, err := it.Next()
		if err != nil {
			return nil, Internal(err, "iterate meetings of %s", ownerMSP)
		}
		m := new(Meeting)
		if err := json.Unmarshal(kv.Value, m); err != nil {
			return nil, Internal(err, "decode meeting %q", kv.Key)
		}
		page.Meetings = append(page.Meetings, m)
	}
	if md != nil {
		page.Bookmark = md.GetBookmark()
	}
	return page, nil
}
