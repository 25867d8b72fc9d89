package convocations

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
