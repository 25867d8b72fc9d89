package records

// ConvocationBody is a deliberative body of an administration (council,
// committee…) and its legal convocation rule.
type ConvocationBody struct {
	OwnerMSP string `json:"ownerMsp"`
	ID       string `json:"id"`
	Name     string `json:"name"`
	// ClearDays is the number of whole days that must separate the day of
	// sending from the day of the meeting (5 in France, 3 in communes under
	// 3,500 inhabitants).
	ClearDays int `json:"clearDays"`
	// TimeZone is the IANA zone in which calendar days are counted.
	TimeZone  string `json:"timeZone"`
	UpdatedAt string `json:"updatedAt"`
}

// Meeting is a meeting of a body, as shown in the public register. It copies
// the body's rule when created, so that every convocation to it is judged by
// the same rule even if the body is reconfigured later.
type Meeting struct {
	OwnerMSP string `json:"ownerMsp"`
	ID       string `json:"id"`
	BodyID   string `json:"bodyId"`
	// StartsAt is RFC 3339 with the offset of TimeZone at that instant.
	StartsAt     string   `json:"startsAt"`
	Place        string   `json:"place"`
	AgendaHashes []string `json:"agendaHashes"`
	TimeZone     string   `json:"timeZone"`
	ClearDays    int      `json:"clearDays"`
	// Deadline is the last calendar day (YYYY-MM-DD in TimeZone) on which a
	// convocation is on time: the meeting's day minus ClearDays+1 days.
	Deadline    string `json:"deadline"`
	CreatedAt   string `json:"createdAt"`
	CreatedTxID string `json:"createdTxId"`
}

// Convocation is the legal proof of one convocation: what was sent to whom
// (pseudonymously), when, whether on time, and when its receipt was
// acknowledged.
type Convocation struct {
	OwnerMSP  string `json:"ownerMsp"`
	MeetingID string `json:"meetingId"`
	// ID is spec.ConvocationID(OwnerMSP, MeetingID, RecipientRef).
	ID           string `json:"id"`
	RecipientRef string `json:"recipientRef"`
	MessageHash  string `json:"messageHash"`
	AckTokenHash string `json:"ackTokenHash"`
	// SentAt is the timestamp of the Convene transaction, RFC 3339 in UTC.
	SentAt   string `json:"sentAt"`
	SentTxID string `json:"sentTxId"`
	OnTime   bool   `json:"onTime"`
	// AcknowledgedAt is the timestamp of the Acknowledge transaction; empty
	// until the receipt is acknowledged.
	AcknowledgedAt string `json:"acknowledgedAt,omitempty" metadata:",optional"`
	// AcknowledgedVia is the administration whose gateway relayed the click.
	AcknowledgedVia  string `json:"acknowledgedVia,omitempty" metadata:",optional"`
	AcknowledgedTxID string `json:"acknowledgedTxId,omitempty" metadata:",optional"`
}

// ConveneResult answers Convocations:Convene: the IDs of the new convocations in input
// order (to build the acknowledgement links) and the counts.
type ConveneResult struct {
	OwnerMSP       string   `json:"ownerMsp"`
	MeetingID      string   `json:"meetingId"`
	SentAt         string   `json:"sentAt"`
	Convened       int      `json:"convened"`
	OnTime         int      `json:"onTime"`
	Late           int      `json:"late"`
	ConvocationIDs []string `json:"convocationIds"`
}

// MeetingSummary is a meeting's line in the public register: the meeting
// and its counts, without any recipient reference.
type MeetingSummary struct {
	Meeting      *Meeting `json:"meeting"`
	Convened     int      `json:"convened"`
	Acknowledged int      `json:"acknowledged"`
	OnTime       int      `json:"onTime"`
	Late         int      `json:"late"`
}

// MeetingPage is one page of an administration's meetings, in meeting ID
// order; Bookmark is empty on the last page.
type MeetingPage struct {
	Meetings []*Meeting `json:"meetings"`
	Bookmark string     `json:"bookmark"`
}

// ConvocationBodyInput is the JSON argument of Convocations:SetBody.
// ClearDays is a pointer so that a missing or null value is refused instead
// of meaning zero days.
type ConvocationBodyInput struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	ClearDays *int   `json:"clearDays"`
	TimeZone  string `json:"timeZone"`
}

// MeetingInput is the JSON argument of Convocations:CreateMeeting.
type MeetingInput struct {
	ID           string   `json:"id"`
	BodyID       string   `json:"bodyId"`
	StartsAt     string   `json:"startsAt"`
	Place        string   `json:"place"`
	AgendaHashes []string `json:"agendaHashes"`
}

// ConveneRecipient is one element of the JSON list argument of
// Convocations:Convene.
type ConveneRecipient struct {
	RecipientRef string `json:"recipientRef"`
	MessageHash  string `json:"messageHash"`
	AckTokenHash string `json:"ackTokenHash"`
}
