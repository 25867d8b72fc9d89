package records

// MembershipProposal is a channel config update that adds an administration
// to the network or removes one, kept on the ledger with the admins'
// signatures over it, so that every member sees who signed what. Times are
// RFC 3339 in UTC; certificate ids are hex SHA-256 digests of the DER
// certificate, not names.
type MembershipProposal struct {
	// ID is the hex SHA-256 of Update's bytes: the same update is one
	// proposal.
	ID string `json:"id"`
	// Kind is add or remove.
	Kind string `json:"kind"`
	// SubjectMSPID is the administration that joins or leaves.
	SubjectMSPID string `json:"subjectMspId"`
	// ChannelID is the channel the update applies to.
	ChannelID string `json:"channelId"`
	// Update is the base64 of the marshalled common.ConfigUpdate, the
	// bytes the admins sign.
	Update string `json:"update"`
	// Sequence is the channel config sequence the update was computed
	// against; it applies only while that is the current one.
	Sequence       uint64 `json:"sequence"`
	ProposedBy     string `json:"proposedBy"`
	ProposerCertID string `json:"proposerCertId"`
	ProposedAt     string `json:"proposedAt"`
	ExpiresAt      string `json:"expiresAt"`
	// Status is open, applied or withdrawn as stored; an answer says
	// expired for an open proposal past ExpiresAt.
	Status     string                 `json:"status"`
	Signatures []*MembershipSignature `json:"signatures"`
	// AppliedBlock is the config block that applied the update, as the
	// admin who recorded it (AppliedBy) declared.
	AppliedBlock uint64 `json:"appliedBlock,omitempty" metadata:",optional"`
	AppliedAt    string `json:"appliedAt,omitempty" metadata:",optional"`
	AppliedBy    string `json:"appliedBy,omitempty" metadata:",optional"`
	WithdrawnAt  string `json:"withdrawnAt,omitempty" metadata:",optional"`
	WithdrawnBy  string `json:"withdrawnBy,omitempty" metadata:",optional"`
}

// MembershipSignature is one administration's admin signature over a
// proposal's update.
type MembershipSignature struct {
	MSPID        string `json:"mspId"`
	SignerCertID string `json:"signerCertId"`
	SignedAt     string `json:"signedAt"`
	// ConfigSignature is the base64 of the marshalled
	// common.ConfigSignature, as the envelope to the orderer carries it.
	ConfigSignature string `json:"configSignature"`
}

// MembershipProposeInput is the JSON argument of Membership:Propose.
// ExpiresAt is an RFC 3339 time.
type MembershipProposeInput struct {
	Kind         string `json:"kind"`
	SubjectMSPID string `json:"subjectMspId"`
	Update       string `json:"update"`
	Sequence     uint64 `json:"sequence"`
	ExpiresAt    string `json:"expiresAt"`
}

// MembershipPage is one page of proposals. Bookmark, when not empty,
// fetches the next page.
type MembershipPage struct {
	Proposals []*MembershipProposal `json:"proposals"`
	Bookmark  string                `json:"bookmark"`
}
