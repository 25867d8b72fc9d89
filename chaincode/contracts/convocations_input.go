package contracts

// Size limits, in bytes, of the JSON arguments of the convocations contract.
// 500 recipients take about 120 KiB of compact JSON.
const (
	convBodyInputLimit       = 4 << 10
	convMeetingInputLimit    = 64 << 10
	convRecipientsInputLimit = 256 << 10
)

// convBodyInput is the JSON argument of SetBody. ClearDays is a pointer so
// that a missing or null value is refused instead of meaning zero days.
type convBodyInput struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	ClearDays *int   `json:"clearDays"`
	TimeZone  string `json:"timeZone"`
}

// convMeetingInput is the JSON argument of CreateMeeting.
type convMeetingInput struct {
	ID           string   `json:"id"`
	BodyID       string   `json:"bodyId"`
	StartsAt     string   `json:"startsAt"`
	Place        string   `json:"place"`
	AgendaHashes []string `json:"agendaHashes"`
}

// convRecipientInput is one element of the JSON list argument of Convene.
type convRecipientInput struct {
	RecipientRef string `json:"recipientRef"`
	MessageHash  string `json:"messageHash"`
	AckTokenHash string `json:"ackTokenHash"`
}
