package portal

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
)

// The JSON register is written by hand, like the HTML rows (rows.go):
// encoding/json reaches each field through reflection and indents the
// output in a second pass, which cost more than reading the page from the
// index. jsonrows_test.go checks the output byte for byte against
// writeJSON's.

// writeDocumentsJSON writes p as writeJSON writes it, status 200.
func writeDocumentsJSON(w http.ResponseWriter, p DocumentsPage) {
	buf := getBuffer()
	b := appendDocumentsPage(buf.AvailableBuffer(), p)
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Access-Control-Allow-Origin", "*")
	w.WriteHeader(http.StatusOK)
	w.Write(b) //nolint:errcheck // the client went away
	putBuffer(bytes.NewBuffer(b))
}

// appendDocumentsPage appends p as json.Encoder with a two-space indent
// writes it, final newline included.
func appendDocumentsPage(b []byte, p DocumentsPage) []byte {
	b = append(b, "{\n  \"total\": "...)
	b = strconv.AppendInt(b, int64(p.Total), 10)
	b = append(b, ",\n  \"size\": "...)
	b = strconv.AppendInt(b, int64(p.Size), 10)
	if p.Prev != "" {
		b = append(b, ",\n  \"prev\": "...)
		b = appendJSONString(b, p.Prev)
	}
	if p.Next != "" {
		b = append(b, ",\n  \"next\": "...)
		b = appendJSONString(b, p.Next)
	}
	b = append(b, ",\n  \"documents\": "...)
	switch {
	case p.Documents == nil:
		b = append(b, "null"...)
	case len(p.Documents) == 0:
		b = append(b, "[]"...)
	default:
		b = append(b, '[')
		for i, d := range p.Documents {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendPublicDocument(b, d)
		}
		b = append(b, "\n  ]"...)
	}
	return append(b, "\n}\n"...)
}

func appendPublicDocument(b []byte, d PublicDocument) []byte {
	field := func(name, v string) {
		b = append(b, ",\n      \""...)
		b = append(b, name...)
		b = append(b, "\": "...)
		b = appendJSONString(b, v)
	}
	b = append(b, "\n    {\n      \"issuer\": "...)
	b = appendJSONString(b, d.Issuer)
	field("id", d.ID)
	field("type", d.Type)
	field("status", d.Status)
	field("sha256", d.SHA256)
	field("validFrom", d.ValidFrom)
	if d.ValidUntil != "" {
		field("validUntil", d.ValidUntil)
	}
	if d.RevokedReason != "" {
		field("revocationReason", d.RevokedReason)
	}
	if d.SupersededBy != "" {
		field("supersededBy", d.SupersededBy)
	}
	field("registeredAt", d.RegisteredAt)
	b = append(b, ",\n      \"block\": "...)
	b = strconv.AppendUint(b, d.Block, 10)
	field("txId", d.TxID)
	return append(b, "\n    }"...)
}

// appendJSONString appends s quoted as encoding/json quotes it (with its
// HTML escaping): printable ASCII that needs no escape is copied, any
// other string is left to encoding/json.
func appendJSONString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c > 0x7e || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			q, err := json.Marshal(s)
			if err != nil { // a string always encodes
				return append(b, `""`...)
			}
			return append(b, q...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}
