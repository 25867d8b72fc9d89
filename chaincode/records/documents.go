package records

// Document is the public record of a registered document. Personal data
// never appears here: the subject is only referenced by a salted hash.
type Document struct {
	Issuer string `json:"issuer"`
	ID     string `json:"id"`
	Type   string `json:"type"`
	// SHA256 is the lowercase hex SHA-256 of the document's bytes.
	SHA256 string `json:"sha256"`
	// KeyFacts are the public facts printed in the seal.
	KeyFacts map[string]string `json:"keyFacts"`
	// ValidFrom and ValidUntil bound the validity window [from, until) in
	// RFC 3339 UTC; an empty ValidUntil means no end.
	ValidFrom  string `json:"validFrom"`
	ValidUntil string `json:"validUntil,omitempty" metadata:"validUntil,optional"`
	// SubjectRef is the salted SHA-256 of the subject, in lowercase hex.
	SubjectRef    string `json:"subjectRef"`
	Status        string `json:"status"`
	RevokedReason string `json:"revokedReason,omitempty" metadata:"revokedReason,optional"`
	SupersededBy  string `json:"supersededBy,omitempty" metadata:"supersededBy,optional"`
	RegisteredAt  string `json:"registeredAt"`
	// RegisteredBy and StatusChangedBy are Fabric client IDs.
	RegisteredBy    string `json:"registeredBy"`
	StatusChangedAt string `json:"statusChangedAt,omitempty" metadata:"statusChangedAt,optional"`
	StatusChangedBy string `json:"statusChangedBy,omitempty" metadata:"statusChangedBy,optional"`
}

// DocumentVerdict is the answer to a verification: the status at the
// transaction time (checkedAt) and the public facts a verifier compares.
type DocumentVerdict struct {
	Status        string `json:"status"`
	Issuer        string `json:"issuer,omitempty" metadata:"issuer,optional"`
	ID            string `json:"id,omitempty" metadata:"id,optional"`
	Type          string `json:"type,omitempty" metadata:"type,optional"`
	SHA256        string `json:"sha256,omitempty" metadata:"sha256,optional"`
	ValidFrom     string `json:"validFrom,omitempty" metadata:"validFrom,optional"`
	ValidUntil    string `json:"validUntil,omitempty" metadata:"validUntil,optional"`
	RevokedReason string `json:"revokedReason,omitempty" metadata:"revokedReason,optional"`
	SupersededBy  string `json:"supersededBy,omitempty" metadata:"supersededBy,optional"`
	CheckedAt     string `json:"checkedAt"`
}

// DocumentPage is one page of Documents:ListByIssuer; an empty bookmark
// means last page.
type DocumentPage struct {
	Items    []*Document `json:"items"`
	Bookmark string      `json:"bookmark"`
}

// DocumentVersion is one committed version of a document record.
type DocumentVersion struct {
	TxID      string    `json:"txId"`
	Timestamp string    `json:"timestamp"`
	IsDelete  bool      `json:"isDelete"`
	Document  *Document `json:"document,omitempty" metadata:"document,optional"`
}

// DocumentRegistration is the JSON argument of Documents:Register. KeyFacts
// and ValidUntil may be left out: clients omit them when empty.
type DocumentRegistration struct {
	ID         string            `json:"id"`
	Type       string            `json:"type"`
	SHA256     string            `json:"sha256"`
	KeyFacts   map[string]string `json:"keyFacts,omitempty"`
	ValidFrom  string            `json:"validFrom"`
	ValidUntil string            `json:"validUntil,omitempty"`
	SubjectRef string            `json:"subjectRef"`
}
