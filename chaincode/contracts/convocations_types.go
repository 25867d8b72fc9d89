package contracts

// ConvocationsContractName prefixes the convocations transactions, as in
// "Convocations:Convene".
const ConvocationsContractName = "Convocations"

// Events of the convocations contract, one per transaction.
const (
	// EventConvocationBodySet carries the stored ConvocationBody.
	EventConvocationBodySet = "convocations.BodySet"
	// EventMeetingCreated carries the stored Meeting.
	EventMeetingCreated = "convocations.MeetingCreated"
	// EventConvened carries a ConvenedEvent: counts only, no recipient.
	EventConvened = "convocations.Convened"
	// EventAcknowledged carries an AcknowledgedEvent.
	EventAcknowledged = "convocations.Acknowledged"
)

// Limits of the convocations contract.
const (
	// MaxConvocationClearDays bounds the clear days a body may require.
	MaxConvocationClearDays = 30
	// MaxMeetingAgendaHashes bounds the agenda documents of a meeting.
	MaxMeetingAgendaHashes = 200
	// MaxConveneRecipients bounds the convocations sent in one transaction.
	MaxConveneRecipients = 500
)

// ConvenedEvent is the payload of EventConvened: counts, no personal data.
type ConvenedEvent struct {
	OwnerMSP  string `json:"ownerMsp"`
	MeetingID string `json:"meetingId"`
	SentAt    string `json:"sentAt"`
	Convened  int    `json:"convened"`
	OnTime    int    `json:"onTime"`
	Late      int    `json:"late"`
}

// AcknowledgedEvent is the payload of EventAcknowledged.
type AcknowledgedEvent struct {
	OwnerMSP        string `json:"ownerMsp"`
	MeetingID       string `json:"meetingId"`
	ConvocationID   string `json:"convocationId"`
	AcknowledgedAt  string `json:"acknowledgedAt"`
	AcknowledgedVia string `json:"acknowledgedVia"`
}
