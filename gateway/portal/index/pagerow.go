package index

import (
	"errors"
	"strconv"
	"strings"

	"github.com/civicledger/civicledger/chaincode/spec"
)

// A register page reads one column per document, page_row: the fields
// the register shows, each written as its length in bytes, a colon and
// its text. SQLite computes the column (a stored generated column) when a
// document is inserted or updated, so it is never out of step with the
// columns it is made from. Reading one column instead of a dozen is most
// of the cost of a page saved: the driver takes its connection's mutex,
// converts and allocates for every column of every row.

// pageRowFields are the fields of page_row, in order (decodePageRow reads
// them in this order).
var pageRowFields = []string{
	"status", "valid_from_ns", "coalesce(valid_until_ns, '')",
	"issuer", "id", "type", "valid_from", "valid_until", "block",
	"sha256", "revoked_reason", "superseded_by", "registered_at", "tx_id",
}

// pageRowExpr is page_row's SQL expression.
func pageRowExpr() string {
	parts := make([]string, len(pageRowFields))
	for i, f := range pageRowFields {
		parts[i] = "length(CAST(" + f + " AS BLOB)) || ':' || " + f
	}
	return strings.Join(parts, " || ")
}

var errPageRow = errors.New("malformed page_row")

// pageRowReader splits a page_row into its fields without copying them.
type pageRowReader struct {
	s   string
	err error
}

func (r *pageRowReader) next() string {
	if r.err != nil {
		return ""
	}
	// The length's digits, then the colon (a loop: strconv.Atoi, for
	// every field of every row, cost as much as the rest of the decoding).
	n, colon := 0, 0
	for ; colon < len(r.s) && colon < 10 && '0' <= r.s[colon] && r.s[colon] <= '9'; colon++ {
		n = n*10 + int(r.s[colon]-'0')
	}
	if colon == 0 || colon == len(r.s) || r.s[colon] != ':' || n > len(r.s)-colon-1 {
		r.err = errPageRow
		return ""
	}
	v := r.s[colon+1 : colon+1+n]
	r.s = r.s[colon+1+n:]
	return v
}

func (r *pageRowReader) int() int64 {
	v := r.next()
	if r.err != nil {
		return 0
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		r.err = errPageRow
	}
	return n
}

// decodePageRow reads a page_row into a register row, with its status at
// now (Unix nanoseconds) derived as statusExpr derives it. A brief row
// leaves out what the register's HTML page does not show.
func decodePageRow(row string, now int64, brief bool) (Document, error) {
	r := pageRowReader{s: row}
	var d Document
	stored, from := r.next(), r.int()
	until, hasUntil := int64(0), false
	if u := r.next(); u != "" && r.err == nil {
		n, err := strconv.ParseInt(u, 10, 64)
		if err != nil {
			return d, errPageRow
		}
		until, hasUntil = n, true
	}
	switch {
	case stored != spec.DocumentValid:
		d.Status = stored
	case from > now:
		d.Status = spec.DocumentNotYetValid
	case hasUntil && until <= now:
		d.Status = spec.DocumentExpired
	default:
		d.Status = spec.DocumentValid
	}
	d.Issuer, d.ID, d.Type, d.ValidFrom, d.ValidUntil = r.next(), r.next(), r.next(), r.next(), r.next()
	d.Block = uint64(r.int())
	if !brief {
		d.SHA256, d.RevokedReason, d.SupersededBy, d.RegisteredAt, d.TxID = r.next(), r.next(), r.next(), r.next(), r.next()
	}
	return d, r.err
}
