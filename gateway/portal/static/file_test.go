//go:build browser

package static_test

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/civicledger/civicledger/gateway/internal/browser"
)

func TestFilePage(t *testing.T) {
	srv := newStandIn(t, newWorld(t))
	b := browser.ForTest(t)
	marker := "CIVIC-FILE-MARKER-7d1e5c"
	content := []byte("%PDF-1.7 permit for " + marker + "\n" + strings.Repeat("body ", 2000))
	path := filepath.Join(t.TempDir(), "permit.pdf")
	require.NoError(t, os.WriteFile(path, content, 0o600))
	sum := sha256.Sum256(content)
	want := hex.EncodeToString(sum[:])

	// neverSent checks that no request the server or the browser saw
	// carries the file's bytes (in clear or base64).
	neverSent := func(t *testing.T, p *browser.Page, from int) {
		t.Helper()
		b64 := base64.StdEncoding.EncodeToString(content[:60])
		for _, r := range srv.requests()[from:] {
			require.NotContains(t, r.URL+r.Body, marker, "the file left the browser in %s %s", r.Method, r.URL)
			require.NotContains(t, r.Body, b64[:40])
		}
		for _, r := range p.Requests() {
			require.NotContains(t, r.URL+r.Body, marker, "the browser sent the file in %s %s", r.Method, r.URL)
		}
	}

	t.Run("choosing a file submits only its SHA-256, computed in the browser", func(t *testing.T) {
		from := len(srv.requests())
		p, err := b.NewPage()
		require.NoError(t, err)
		defer p.Close()
		require.NoError(t, p.Open(srv.URL+"/verify/file"))
		require.NoError(t, p.WaitFor("#document-file"))

		v, err := p.Axe()
		require.NoError(t, err)
		require.Empty(t, v, v.String())
		_, err = p.Screenshots("file")
		require.NoError(t, err)

		require.NoError(t, p.SetFile("#document-file", path))
		loc, err := p.WaitLocation(`location.pathname === "/verify/hash"`)
		require.NoError(t, err, "page errors: %v", p.Errors())
		u, err := url.Parse(loc)
		require.NoError(t, err)
		require.Equal(t, url.Values{"sha256": {want}}, u.Query())
		shown, err := p.Text("#hash")
		require.NoError(t, err)
		require.Equal(t, want, shown)
		require.Empty(t, p.Errors())
		neverSent(t, p, from)
	})

	t.Run("dropping a file on the drop zone submits its SHA-256", func(t *testing.T) {
		from := len(srv.requests())
		p, err := b.NewPage()
		require.NoError(t, err)
		defer p.Close()
		require.NoError(t, p.Open(srv.URL+"/verify/file"))
		require.NoError(t, p.WaitFor("#drop-zone"))
		// A drop as the browser delivers it: a DataTransfer holding a File.
		require.NoError(t, p.Run(`(() => {
			const dt = new DataTransfer();
			dt.items.add(new File(["dropped `+marker+`"], "dropped.txt", {type: "text/plain"}));
			const zone = document.getElementById("drop-zone");
			zone.dispatchEvent(new DragEvent("dragover", {dataTransfer: dt, bubbles: true, cancelable: true}));
			zone.dispatchEvent(new DragEvent("drop", {dataTransfer: dt, bubbles: true, cancelable: true}));
		})()`))
		loc, err := p.WaitLocation(`location.pathname === "/verify/hash"`)
		require.NoError(t, err, "page errors: %v", p.Errors())
		u, err := url.Parse(loc)
		require.NoError(t, err)
		dropped := sha256.Sum256([]byte("dropped " + marker))
		require.Equal(t, hex.EncodeToString(dropped[:]), u.Query().Get("sha256"))
		neverSent(t, p, from)
	})
}
