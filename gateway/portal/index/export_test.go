package index

// DecodePageRow is decodePageRow at time 0, for tests.
func DecodePageRow(row string) (Document, error) { return decodePageRow(row, "", 0, true) }
