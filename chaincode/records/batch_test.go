package records

// The wire formats of the batch registration, checked with the others.
func init() {
	type wire = struct {
		value       any
		full, empty string
	}
	wireFormats = append(wireFormats,
		wire{DocumentBatch{},
			`{"documents":[{"id":"ID","type":"Type","sha256":"SHA256","keyFacts":{"k":"x"},"validFrom":"ValidFrom","validUntil":"ValidUntil","subjectRef":"SubjectRef"}],"skipRegistered":true}`,
			`{"documents":null}`},
		wire{DocumentBatchResult{},
			`{"issuer":"Issuer","registered":["x"],"skipped":["x"],"registeredAt":"RegisteredAt","registeredBy":"RegisteredBy"}`,
			`{"issuer":"","registered":null,"skipped":null,"registeredAt":"","registeredBy":""}`},
	)
}
