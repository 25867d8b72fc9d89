package subsidies

// subsidyBudget is the stored approved total of a programme.
type subsidyBudget struct {
	ApprovedTotal  int64 `json:"approvedTotal"`
	ApprovedGrants int   `json:"approvedGrants"`
}
