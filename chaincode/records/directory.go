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
}
