package contracts

// Size limits, in bytes, of the JSON arguments of the convocations contract.
// 500 recipients take about 120 KiB of compact JSON.
const (
	convBodyInputLimit       = 4 << 10
	convMeetingInputLimit    = 64 << 10
	convRecipientsInputLimit = 256 << 10
)
