package index

import (
	"errors"
	"strconv"
	"strings"

	"github.com/civicledger/civicledger/chaincode/spec"
)

// A register page reads one or two columns per document: page_row, the
// fields the register's HTML page shows, and page_more, the further fields
// of its JSON and CSV twins; each field written as its length in bytes, a
// colon and its text. Reading one column instead of a dozen is most of the
// cost of a page saved: the driver takes its connection's mutex, converts
// and allocates for every column of every row. page_row is in the indexes
// of the register's filters too, so that a filtered HTML page is read from
// its index alone (SQLite does not read a generated column from an index:
// the columns are written by the upsert, Go encoding the inserted row and
// SQL the updated one, and pagerow_test.go checks that both read back as
// the document's own columns).

// pageRowFields are the fields of page_row, in order (decodePageRow reads
// them in this order); pageMoreFields those of page_more.
var (
	pageRowFields = []string{
		"status", "valid_from_ns", "coalesce(valid_until_ns, '')",
		"issuer", "id", "type", "valid_from", "valid_until", "block",
	}
	pageMoreFields = []string{"sha256", "revoked_reason", "superseded_by", "registered_at", "tx_id"}
)

// keptOnUpdate are the fields an update of a document keeps (its
// registration's), which its upsert reads from the stored row.
var keptOnUpdate = map[string]bool{"issuer": true, "id": true, "block": true, "registered_at": true, "tx_id": true}

// pageRowUpdate is the SQL that makes fields' column anew in a document's
// upsert: the updated values (excluded.*) and the kept ones.
func pageRowUpdate(fields []string) string {
	parts := make([]string, len(fields))
	for i, f := range fields {
		if !keptOnUpdate[f] {
			f = strings.ReplaceAll(f, "valid_until_ns", "excluded.valid_until_ns")
			if !strings.HasPrefix(f, "coalesce(") {
				f = "excluded." + f
			}
		}
		parts[i] = "length(CAST(" + f + " AS BLOB)) || ':' || " + f
	}
	return strings.Join(parts, " || ")
}

// encodePageRow writes values as pageRowUpdate's SQL writes them.
func encodePageRow(values ...string) string {
	n := 0
	for _, v := range values {
		n += len(v) + 4
	}
	b := make([]byte, 0, n)
	for _, v := range values {
		b = strconv.AppendInt(b, int64(len(v)), 10)
		b = append(b, ':')
		b = append(b, v...)
	}
	return string(b)
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

// decodePageRow reads a page_row (and page_more, unless brief) into a
// register row, with its status at now (Unix nanoseconds) derived as
// statusExpr derives it. A brief row leaves out what the register's HTML
// page does not show.
func decodePageRow(row, more string, now int64, brief bool) (Document, error) {
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
	if r.err == nil && r.s != "" {
		r.err = errPageRow
	}
	if brief || r.err != nil {
		return d, r.err
	}
	m := pageRowReader{s: more}
	d.SHA256, d.RevokedReason, d.SupersededBy, d.RegisteredAt, d.TxID = m.next(), m.next(), m.next(), m.next(), m.next()
	if m.err == nil && m.s != "" {
		m.err = errPageRow
	}
	return d, m.err
}
