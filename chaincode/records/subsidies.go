package records

// SubsidyProgramme is an aid scheme of one granting administration. It is
// immutable once created.
type SubsidyProgramme struct {
	GrantingMSP string `json:"grantingMsp"`
	ID          string `json:"id"`
	Name        string `json:"name"`
	Budget      int64  `json:"budget"`
	Currency    string `json:"currency"`
	LegalBasis  string `json:"legalBasis"`
	// PeriodStart and PeriodEnd are inclusive UTC dates (YYYY-MM-DD)
	// within which grants may be proposed.
	PeriodStart string `json:"periodStart"`
	PeriodEnd   string `json:"periodEnd"`
	// DeMinimis grants count towards the beneficiary's de minimis ceiling.
	DeMinimis bool   `json:"deMinimis"`
	CreatedAt string `json:"createdAt"`
	CreatedBy string `json:"createdBy"`
}

// SubsidyProgrammeView is a programme with the state of its budget.
type SubsidyProgrammeView struct {
	Programme      *SubsidyProgramme `json:"programme"`
	ApprovedTotal  int64             `json:"approvedTotal"`
	ApprovedGrants int               `json:"approvedGrants"`
	Remaining      int64             `json:"remaining"`
}

// SubsidyGrant is an amount proposed for one beneficiary under a programme.
type SubsidyGrant struct {
	GrantingMSP string `json:"grantingMsp"`
	ProgrammeID string `json:"programmeId"`
	GrantID     string `json:"grantId"`
	// Beneficiary is the canonical undertaking identifier (see
	// canonicalSubsidyBeneficiary in chaincode/contracts).
	Beneficiary string `json:"beneficiary"`
	Amount      int64  `json:"amount"`
	Currency    string `json:"currency"`
	DeMinimis   bool   `json:"deMinimis"`
	Purpose     string `json:"purpose"`
	Status      string `json:"status"`
	ProposedAt  string `json:"proposedAt"`
	ProposedBy  string `json:"proposedBy"`
	// DecidedAt, DecidedBy and DecidedByMSP record the approval or
	// rejection; RejectionReason says why a grant was rejected. They are
	// absent while the grant is proposed (optional in the metadata).
	DecidedAt       string `json:"decidedAt,omitempty" metadata:"decidedAt,optional"`
	DecidedBy       string `json:"decidedBy,omitempty" metadata:"decidedBy,optional"`
	DecidedByMSP    string `json:"decidedByMsp,omitempty" metadata:"decidedByMsp,optional"`
	RejectionReason string `json:"rejectionReason,omitempty" metadata:"rejectionReason,optional"`
	// PaidTotal is the sum of the payments recorded so far.
	PaidTotal int64 `json:"paidTotal"`
}

// SubsidyGrantView is a grant with its payments, in payment id order.
type SubsidyGrantView struct {
	Grant    *SubsidyGrant     `json:"grant"`
	Payments []*SubsidyPayment `json:"payments"`
}

// SubsidyGrantPage is one page of the grants of a programme.
type SubsidyGrantPage struct {
	Grants []*SubsidyGrant `json:"grants"`
	// Bookmark starts the next page; empty after the last page.
	Bookmark string `json:"bookmark"`
}

// SubsidyPayment is one disbursement of an approved grant.
type SubsidyPayment struct {
	GrantingMSP string `json:"grantingMsp"`
	GrantID     string `json:"grantId"`
	PaymentID   string `json:"paymentId"`
	Amount      int64  `json:"amount"`
	// PaidTotal is the grant's payments total including this payment.
	PaidTotal  int64  `json:"paidTotal"`
	RecordedAt string `json:"recordedAt"`
	RecordedBy string `json:"recordedBy"`
}

// SubsidyAidRecord is one approved de minimis grant, filed under its
// beneficiary for the cross-administration ceiling check.
type SubsidyAidRecord struct {
	Beneficiary string `json:"beneficiary"`
	GrantingMSP string `json:"grantingMsp"`
	ProgrammeID string `json:"programmeId"`
	GrantID     string `json:"grantId"`
	Amount      int64  `json:"amount"`
	ApprovedAt  string `json:"approvedAt"`
}

// SubsidyAidShare is the de minimis aid one administration granted.
type SubsidyAidShare struct {
	GrantingMSP string `json:"grantingMsp"`
	Amount      int64  `json:"amount"`
	Grants      int    `json:"grants"`
}

// SubsidyAidReport is the de minimis aid of one beneficiary in the rolling
// window (From, To], in EUR cents.
type SubsidyAidReport struct {
	Beneficiary      string              `json:"beneficiary"`
	Currency         string              `json:"currency"`
	From             string              `json:"from"`
	To               string              `json:"to"`
	Total            int64               `json:"total"`
	Ceiling          int64               `json:"ceiling"`
	Remaining        int64               `json:"remaining"`
	ByAdministration []*SubsidyAidShare  `json:"byAdministration"`
	Awards           []*SubsidyAidRecord `json:"awards"`
}

// SubsidyProgrammeInput is the JSON argument of Subsidies:CreateProgramme.
type SubsidyProgrammeInput struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Budget      int64  `json:"budget"`
	Currency    string `json:"currency"`
	LegalBasis  string `json:"legalBasis"`
	PeriodStart string `json:"periodStart"`
	PeriodEnd   string `json:"periodEnd"`
	// DeMinimis is a pointer so that leaving it out is an error rather than
	// a silent "does not count towards the ceiling".
	DeMinimis *bool `json:"deMinimis"`
}

// SubsidyGrantInput is the JSON argument of Subsidies:ProposeGrant.
type SubsidyGrantInput struct {
	ProgrammeID string `json:"programmeId"`
	GrantID     string `json:"grantId"`
	Beneficiary string `json:"beneficiary"`
	Amount      int64  `json:"amount"`
	Purpose     string `json:"purpose"`
}

// SubsidyPaymentInput is the JSON argument of Subsidies:RecordPayment.
type SubsidyPaymentInput struct {
	PaymentID string `json:"paymentId"`
	Amount    int64  `json:"amount"`
}
