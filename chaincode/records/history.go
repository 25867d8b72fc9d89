package records

// RecordVersion is one committed version of a ledger record.
type RecordVersion struct {
	TxID      string `json:"txId"`
	Timestamp string `json:"timestamp"`
	IsDelete  bool   `json:"isDelete"`
	// Value is the record's JSON as written by that transaction; empty for a
	// deletion.
	Value string `json:"value,omitempty" metadata:",optional"`
}
