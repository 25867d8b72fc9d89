package convocations

import (
	"regexp"
	"strconv"
	"time"
	// The zone database is compiled into the chaincode so that a peer
	// without /usr/share/zoneinfo still knows Europe/Paris.
	_ "time/tzdata"

	"github.com/civicledger/civicledger/chaincode/contracts/base"
	"github.com/civicledger/civicledger/chaincode/records"
	"github.com/civicledger/civicledger/chaincode/spec"
)

// convDateLayout is the layout of a calendar date.
const convDateLayout = "2006-01-02"

var (
	// convTimeZonePattern admits canonical IANA names (Area/Location, or
	// UTC) and so refuses "Local" (the peer's own zone), "" (which Go reads
	// as UTC) and the posix/ and right/ trees that only some peers have.
	convTimeZonePattern = regexp.MustCompile(`^(UTC|[A-Z][A-Za-z]+(/[A-Za-z0-9_+-]+){1,2})$`)
)

// validateConvocationRef checks the arguments that name a convocation.
func validateConvocationRef(ownerMSP, meetingID, convocationID string) error {
	if err := base.ValidateMSPID(ownerMSP); err != nil {
		return err
	}
	if err := base.ValidateID("meetingId", meetingID); err != nil {
		return err
	}
	// A convocation id is issued by the ledger, in lower case: like every
	// other id it has one spelling, so it is not case-folded as hashes are.
	return base.ValidateShape("convocationId", convocationID, spec.Hex64Pattern, "64 lowercase hex digits, as Convene returned it")
}

// loadConvTimeZone resolves an IANA time zone name.
func loadConvTimeZone(name string) (*time.Location, error) {
	if name == "" {
		return nil, base.InvalidArgument("timeZone is required")
	}
	if !convTimeZonePattern.MatchString(name) {
		return nil, base.InvalidArgument("timeZone %q is not an iana name such as Europe/Paris", base.Clip(name))
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, base.InvalidArgument("unknown timeZone %q", base.Clip(name))
	}
	return loc, nil
}

// newConvocationBody validates SetBody's input for the caller's body.
func newConvocationBody(owner string, at time.Time, raw string) (*records.ConvocationBody, error) {
	var in records.ConvocationBodyInput
	if err := base.DecodeInput("body", raw, spec.MaxConvocationBodyInput, &in); err != nil {
		return nil, err
	}
	if err := base.ValidateID("id", in.ID); err != nil {
		return nil, err
	}
	name, err := base.NormalizeText("name", in.Name, spec.MaxConvocationBodyName)
	if err != nil {
		return nil, err
	}
	if in.ClearDays == nil {
		return nil, base.InvalidArgument("clearDays is required")
	}
	if d := *in.ClearDays; d < 0 || d > spec.MaxConvocationClearDays {
		return nil, base.InvalidArgument("clearDays %d is out of range 0..%d", d, spec.MaxConvocationClearDays)
	}
	if _, err := loadConvTimeZone(in.TimeZone); err != nil {
		return nil, err
	}
	return &records.ConvocationBody{
		OwnerMSP: owner, ID: in.ID, Name: name, ClearDays: *in.ClearDays,
		TimeZone: in.TimeZone, UpdatedAt: at.Format(time.RFC3339Nano),
	}, nil
}

// parseMeetingInput validates CreateMeeting's input, except what depends on
// the ledger (the body) and on the time (the start being in the future).
func parseMeetingInput(raw string) (*records.MeetingInput, time.Time, error) {
	var in records.MeetingInput
	if err := base.DecodeInput("meeting", raw, spec.MaxMeetingInput, &in); err != nil {
		return nil, time.Time{}, err
	}
	if err := base.ValidateID("id", in.ID); err != nil {
		return nil, time.Time{}, err
	}
	if err := base.ValidateID("bodyId", in.BodyID); err != nil {
		return nil, time.Time{}, err
	}
	startsAt, err := base.ParseTime("startsAt", in.StartsAt)
	if err != nil {
		return nil, time.Time{}, err
	}
	place, err := base.NormalizeText("place", in.Place, spec.MaxMeetingPlace)
	if err != nil {
		return nil, time.Time{}, err
	}
	in.Place = place
	if n := len(in.AgendaHashes); n > spec.MaxMeetingAgendaHashes {
		return nil, time.Time{}, base.InvalidArgument("too many agendaHashes: %d, at most %d", n, spec.MaxMeetingAgendaHashes)
	}
	seen := make(map[string]int, len(in.AgendaHashes))
	for i, h := range in.AgendaHashes {
		h, err := base.NormalizeHex64("agendaHashes["+strconv.Itoa(i)+"]", h)
		if err != nil {
			return nil, time.Time{}, err
		}
		in.AgendaHashes[i] = h
		if j, dup := seen[h]; dup {
			return nil, time.Time{}, base.InvalidArgument("agendaHashes[%d] repeats agendaHashes[%d]", i, j)
		}
		seen[h] = i
	}
	if in.AgendaHashes == nil {
		in.AgendaHashes = []string{}
	}
	return &in, startsAt, nil
}

// parseRecipients validates Convene's list of recipients: 1..500 entries,
// hashes in canonical form, no recipient twice.
func parseRecipients(raw string) ([]records.ConveneRecipient, error) {
	var list []records.ConveneRecipient
	if err := base.DecodeInput("recipients", raw, spec.MaxConveneRecipientsInput, &list); err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, base.InvalidArgument("recipients must list at least one recipient")
	}
	if len(list) > spec.MaxConveneRecipients {
		return nil, base.InvalidArgument("too many recipients: %d, at most %d per transaction", len(list), spec.MaxConveneRecipients)
	}
	seen := make(map[string]int, len(list))
	for i, r := range list {
		p := "recipients[" + strconv.Itoa(i) + "]."
		var err error
		if list[i].RecipientRef, err = base.NormalizeHex64(p+"recipientRef", r.RecipientRef); err != nil {
			return nil, err
		}
		if list[i].MessageHash, err = base.NormalizeHex64(p+"messageHash", r.MessageHash); err != nil {
			return nil, err
		}
		if list[i].AckTokenHash, err = base.NormalizeHex64(p+"ackTokenHash", r.AckTokenHash); err != nil {
			return nil, err
		}
		r = list[i]
		if j, dup := seen[r.RecipientRef]; dup {
			return nil, base.InvalidArgument("recipients[%d] repeats the recipientRef of recipients[%d]", i, j)
		}
		seen[r.RecipientRef] = i
	}
	return list, nil
}

// convDeadline is the last calendar day, in loc, on which a convocation to a
// meeting starting at startsAt is on time: on time iff (meeting day − sending
// day) − 1 ≥ clearDays, i.e. sending day ≤ meeting day − (clearDays+1). The
// day arithmetic runs on civil dates, so DST changes cannot shift it.
func convDeadline(startsAt time.Time, loc *time.Location, clearDays int) string {
	y, m, d := startsAt.In(loc).Date()
	return time.Date(y, m, d-(clearDays+1), 12, 0, 0, 0, time.UTC).Format(convDateLayout)
}

// convOnTime reports whether sending at sentAt meets deadline (YYYY-MM-DD in
// loc): what counts is the calendar day of sending where the body sits.
func convOnTime(sentAt time.Time, loc *time.Location, deadline string) bool {
	return sentAt.In(loc).Format(convDateLayout) <= deadline
}

// convSendingOnTime tells whether sending at at to meeting m is on time,
// and refuses with FAILED_PRECONDITION once the meeting has started: a late
// convocation is still anchored (and flagged), a convocation to a past
// meeting is meaningless.
func convSendingOnTime(m *records.Meeting, at time.Time) (bool, error) {
	startsAt, err := time.Parse(time.RFC3339, m.StartsAt)
	if err != nil {
		return false, base.Internal(err, "start of meeting %s", m.ID)
	}
	if !at.Before(startsAt) {
		return false, base.FailedPrecondition("meeting %s started at %s: it can no longer be convened", m.ID, m.StartsAt)
	}
	loc, err := time.LoadLocation(m.TimeZone)
	if err != nil {
		return false, base.Internal(err, "time zone of meeting %s", m.ID)
	}
	return convOnTime(at, loc, m.Deadline), nil
}
