package records

// Profile is the public directory entry of one administration.
type Profile struct {
	MSPID       string `json:"mspId"`
	DisplayName string `json:"displayName"`
	Kind        string `json:"kind"`
	Contact     string `json:"contact"`
	// UpdatedAt is the RFC 3339 timestamp of the transaction that wrote it.
	UpdatedAt string `json:"updatedAt"`
	// UpdatedBy is the client ID of the admin who wrote it.
	UpdatedBy string `json:"updatedBy"`
	// LeftAt is the RFC 3339 time the removal of the administration was
	// recorded (Membership:MarkApplied of its removal); empty while it is a
	// member. The profile stays, so its past acts keep a readable issuer.
	LeftAt string `json:"leftAt,omitempty" metadata:",optional"`
	// LeftConfigBlock is the number of the config block that removed it.
	LeftConfigBlock uint64 `json:"leftConfigBlock,omitempty" metadata:",optional"`
}
