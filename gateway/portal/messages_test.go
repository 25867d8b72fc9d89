package portal_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/civicledger/civicledger/gateway/portal"
)

// Every page rendered from the per-language templates, whose fixed texts
// are written in (render.go), is the bytes of the templates as written,
// which translate at every request: in both languages, chosen by header
// or by ?lang=, on register, verification, error and form pages.
func TestFixedTextsAreTheTemplatesBytes(t *testing.T) {
	paths := []string{"/", "/verify", "/verify/file", "/verify/hash?sha256=" + hashValid, "/verify/hash?sha256=" + hashRevoked,
		"/verify/hash?sha256=" + hashUnknown, "/registers/documents", "/registers/documents?issuer=RegistryMSP&status=revoked",
		"/registers/documents?type=nonsense", "/registers/administrations", "/audit", "/registers/convocations",
		"/registers/subsidies", "/registers/permissions", "/consulted", "/no-such-page"}
	pages := func(literal bool) map[string]string {
		defer portal.SetLiteralMessages(literal)()
		base, _, _ := registersFixture(t)
		ackBase, _ := ackFixture(t)
		out := map[string]string{}
		for _, path := range append(paths, "ack:/acknowledge?"+ackQuery(nil).Encode()) {
			b := base
			if p, ok := strings.CutPrefix(path, "ack:"); ok {
				b, path = ackBase, p
			}
			sep := "?"
			if strings.Contains(path, "?") {
				sep = "&"
			}
			for _, v := range []struct{ name, url, lang string }{
				{"default", path, ""}, {"Accept-Language fr", path, "fr-CH, en;q=0.5"},
				{"?lang=fr", path + sep + "lang=fr", ""}, {"?lang=en", path + sep + "lang=en", ""},
			} {
				var resp *http.Response
				var body string
				if v.lang != "" {
					resp, body = get(t, b+v.url, "Accept-Language", v.lang)
				} else {
					resp, body = get(t, b+v.url)
				}
				out[v.name+" "+path] = resp.Status + "\n" + body
			}
		}
		return out
	}
	written, literal := pages(false), pages(true)
	require.Len(t, literal, len(written))
	for k, want := range written {
		require.Equal(t, want, literal[k], k)
	}
	require.Contains(t, literal["?lang=fr /registers/documents"], `<html lang="fr">`)
}
