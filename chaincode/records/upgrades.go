package records

// UpgradeProposal is a new definition of the chaincode (version, sequence,
// package) that the administrations approve one by one, kept on the ledger
// with who approved it and when, and the Fabric transaction that committed
// it. The endorsement policy, collections and plugins are those of the
// committed definition: an upgrade changes only the code. Times are RFC
// 3339 in UTC; certificate ids are hex SHA-256 digests of the DER
// certificate, not names.
type UpgradeProposal struct {
	// ID is "<chaincode>-<sequence>": one proposal per sequence.
	ID        string `json:"id"`
	Chaincode string `json:"chaincode"`
	Version   string `json:"version"`
	// Sequence is the definition's sequence: one more than the committed
	// one when it was proposed.
	Sequence int64 `json:"sequence"`
	// PackageID is "<label>:<hex sha-256 of the package>": every
	// administration installs the same package bytes.
	PackageID      string `json:"packageId"`
	ProposedBy     string `json:"proposedBy"`
	ProposerCertID string `json:"proposerCertId"`
	ProposedAt     string `json:"proposedAt"`
	// Status is open or committed.
	Status    string             `json:"status"`
	Approvals []*UpgradeApproval `json:"approvals"`
	// CommitTxID and CommitBlock are the Fabric lifecycle transaction that
	// committed the definition, as the admin who recorded it (CommittedBy)
	// declared.
	CommitTxID  string `json:"commitTxId,omitempty" metadata:",optional"`
	CommitBlock uint64 `json:"commitBlock,omitempty" metadata:",optional"`
	CommittedAt string `json:"committedAt,omitempty" metadata:",optional"`
	CommittedBy string `json:"committedBy,omitempty" metadata:",optional"`
}

// UpgradeApproval is one administration's approval of a proposal: an
// admin of it approved the definition for its organization.
type UpgradeApproval struct {
	MSPID          string `json:"mspId"`
	ApproverCertID string `json:"approverCertId"`
	ApprovedAt     string `json:"approvedAt"`
}

// UpgradeProposeInput is the JSON argument of Upgrades:Propose.
type UpgradeProposeInput struct {
	Chaincode string `json:"chaincode"`
	Version   string `json:"version"`
	Sequence  int64  `json:"sequence"`
	PackageID string `json:"packageId"`
}

// UpgradePage is one page of proposals. Bookmark, when not empty, fetches
// the next page.
type UpgradePage struct {
	Proposals []*UpgradeProposal `json:"proposals"`
	Bookmark  string             `json:"bookmark"`
}
