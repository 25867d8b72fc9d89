package records

// Anchor is the ledger record of a Merkle root (RFC 6962 hashing) over a
// batch of document hashes. The size is stored with the root because an
// inclusion proof does not prove its tree size: a verifier must compare the
// proof's tree size with Size.
type Anchor struct {
	// Root is the tree head, 64 lowercase hex digits.
	Root string `json:"root"`
	// Size is the number of leaves of the tree.
	Size uint64 `json:"size"`
	// Label is the anchoring department's free text, possibly empty.
	Label string `json:"label,omitempty" metadata:"label,optional"`
	// AnchoredBy is the MSP ID of the caller's administration.
	AnchoredBy string `json:"anchoredBy"`
	// AnchoredAt is the transaction time, RFC 3339 UTC.
	AnchoredAt string `json:"anchoredAt"`
	// TxID is the transaction that recorded the anchor.
	TxID string `json:"txId"`
}

// AnchorInput is the JSON argument of Anchors:Anchor. Label may be left
// out: clients omit an empty one.
type AnchorInput struct {
	Root  string `json:"root"`
	Size  uint64 `json:"size"`
	Label string `json:"label,omitempty"`
}
