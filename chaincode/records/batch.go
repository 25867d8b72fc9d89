package records

// DocumentBatch is the JSON argument of Documents:RegisterBatch: at most
// spec.MaxDocumentBatch registrations of the caller's administration,
// registered together or not at all. With SkipRegistered, an entry whose id
// the administration already registered with the same type and SHA-256 is
// skipped rather than refused, so that an interrupted import can be run again.
type DocumentBatch struct {
	Documents      []DocumentRegistration `json:"documents"`
	SkipRegistered bool                   `json:"skipRegistered,omitempty"`
}

// DocumentBatchResult is the result of Documents:RegisterBatch and the
// payload of its single event: the ids registered, in input order, and
// those skipped as already registered.
type DocumentBatchResult struct {
	Issuer       string   `json:"issuer"`
	Registered   []string `json:"registered"`
	Skipped      []string `json:"skipped"`
	RegisteredAt string   `json:"registeredAt"`
	RegisteredBy string   `json:"registeredBy"`
}
