package portal

import (
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/require"
)

// The JSON register written by hand is the bytes encoding/json made of it
// (writeJSON), escaping and omitted fields included.
func TestDocumentsJSONIsEncodingJSONsBytes(t *testing.T) {
	tricky := []string{"", "plain", `quote " and \ back`, "<script>&amp;</script>", "tab\tnew\nline\r\x00\x1f\b\f",
		"é, 中文, emoji 🎉", "line\u2028sep\u2029", "bad utf-8 \xff\xfe", "+-=@'"}
	docs := []PublicDocument{}
	for i, s := range tricky {
		docs = append(docs, PublicDocument{Issuer: "RegistryMSP", ID: s, Type: "permit", Status: "valid", SHA256: s,
			ValidFrom: "2026-01-01T00:00:00Z", ValidUntil: tricky[(i+1)%len(tricky)], RevokedReason: tricky[(i+2)%len(tricky)],
			SupersededBy: tricky[(i+3)%len(tricky)], RegisteredAt: s, Block: uint64(i * 1000), TxID: s})
	}
	for name, p := range map[string]DocumentsPage{
		"a page with rows and links": {Total: 123456, Size: 50, Prev: "before=A~B&issuer=<x>", Next: "after=C~D", Documents: docs},
		"a page without links":       {Total: 9, Size: 500, Documents: docs[:1]},
		"an empty page":              {Documents: []PublicDocument{}},
		"a page of no slice":         {Size: 50},
	} {
		t.Run(name, func(t *testing.T) {
			want := httptest.NewRecorder()
			writeJSON(want, 200, p)
			got := httptest.NewRecorder()
			writeDocumentsJSON(got, p)
			require.Equal(t, want.Body.String(), got.Body.String())
			require.Equal(t, want.Header(), got.Header())
			require.Equal(t, want.Code, got.Code)
		})
	}
}
