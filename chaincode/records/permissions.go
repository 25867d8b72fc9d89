package records

// Permission lets the administration Grantee read data of category
// Category held by the administration Owner, for Purpose under LegalBasis,
// from ValidFrom (inclusive) to ValidUntil (exclusive), and only about
// SubjectRef if set. Times are RFC 3339 in UTC.
type Permission struct {
	ID           string `json:"id"`
	Owner        string `json:"owner"`
	Grantee      string `json:"grantee"`
	Category     string `json:"category"`
	Purpose      string `json:"purpose"`
	LegalBasis   string `json:"legalBasis"`
	ValidFrom    string `json:"validFrom"`
	ValidUntil   string `json:"validUntil"`
	SubjectRef   string `json:"subjectRef,omitempty" metadata:",optional"`
	Status       string `json:"status"`
	OfferedAt    string `json:"offeredAt"`
	OfferedBy    string `json:"offeredBy"`
	AcceptedAt   string `json:"acceptedAt,omitempty" metadata:",optional"`
	AcceptedBy   string `json:"acceptedBy,omitempty" metadata:",optional"`
	RevokedAt    string `json:"revokedAt,omitempty" metadata:",optional"`
	RevokedBy    string `json:"revokedBy,omitempty" metadata:",optional"`
	RevokeReason string `json:"revokeReason,omitempty" metadata:",optional"`
}

// PermissionPage is one page of permissions. Bookmark, when not empty,
// fetches the next page.
type PermissionPage struct {
	Permissions []*Permission `json:"permissions"`
	Bookmark    string        `json:"bookmark"`
}

// PermissionUsePage is one page of recorded uses, oldest first. Bookmark,
// when not empty, fetches the next page.
type PermissionUsePage struct {
	Uses     []*PermissionUse `json:"uses"`
	Bookmark string           `json:"bookmark"`
}

// PermissionUse is one consultation of data, recorded by the grantee,
// whether or not a valid permission covered it. It holds no personal data
// beyond the subject reference.
type PermissionUse struct {
	// ID is the transaction that recorded the use.
	ID           string `json:"id"`
	Owner        string `json:"owner"`
	PermissionID string `json:"permissionId"`
	// Grantee is the administration that consulted the data (the caller's).
	Grantee string `json:"grantee"`
	// Category is the declared category, else the permission's, if any.
	Category   string `json:"category,omitempty" metadata:",optional"`
	SubjectRef string `json:"subjectRef"`
	Purpose    string `json:"purpose"`
	// UsedAt is the transaction time, RFC 3339 in UTC.
	UsedAt string `json:"usedAt"`
	// UsedBy is the client ID of the official who recorded it.
	UsedBy string `json:"usedBy"`
	Valid  bool   `json:"valid"`
	Reason string `json:"reason"`
}

// PermissionCheck answers Permissions:Check.
type PermissionCheck struct {
	Allowed bool `json:"allowed"`
	// PermissionID is the permission that allows it or, if none does, the
	// one that comes closest (same subject), if any.
	PermissionID string `json:"permissionId,omitempty" metadata:",optional"`
	Reason       string `json:"reason"`
}

// PermissionOffer is the JSON input of Permissions:Offer. The owner is the
// caller's administration, never a field.
type PermissionOffer struct {
	ID         string `json:"id"`
	Grantee    string `json:"grantee"`
	Category   string `json:"category"`
	Purpose    string `json:"purpose"`
	LegalBasis string `json:"legalBasis"`
	ValidFrom  string `json:"validFrom"`
	ValidUntil string `json:"validUntil"`
	// SubjectRef, if set, limits the permission to one subject.
	SubjectRef string `json:"subjectRef,omitempty"`
}

// PermissionUseInput is the JSON input of Permissions:RecordUse. The
// grantee is the caller's administration, never a field.
type PermissionUseInput struct {
	OwnerMSP     string `json:"ownerMSP"`
	PermissionID string `json:"permissionId"`
	SubjectRef   string `json:"subjectRef"`
	Purpose      string `json:"purpose"`
	// Category, if set, is the data category consulted; the use is valid
	// only if it is the permission's.
	Category string `json:"category,omitempty"`
}
