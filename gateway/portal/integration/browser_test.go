//go:build integration

package integration

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/civicledger/civicledger/chaincode/spec"
	"github.com/civicledger/civicledger/gateway/internal/browser"
)

// checkPage runs axe-core on the page open in p (WCAG 2.1 AA, zero
// violations) and writes its screenshots at phone and desktop width.
func checkPage(t *testing.T, p *browser.Page, name string) {
	t.Helper()
	v, err := p.Axe()
	require.NoError(t, err)
	require.Empty(t, v, "%s: %s", name, v.String())
	shots, err := p.Screenshots("portal-" + name)
	require.NoError(t, err)
	require.NotEmpty(t, shots)
	require.Empty(t, p.Errors(), "%s: page errors", name)
}

// openPage opens the portal's path in a new tab.
func openPage(t *testing.T, b *browser.Browser, path string) *browser.Page {
	t.Helper()
	p, err := b.NewPage()
	require.NoError(t, err)
	t.Cleanup(p.Close)
	require.NoError(t, p.Open(tn.PortalURL()+path))
	return p
}

// jsQuote quotes s as a JavaScript string literal.
func jsQuote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// TestBrowser drives headless Chromium against the real civicportal of the
// test network: a dropped file is hashed in the browser and never sent, a
// real seal link is checked in the browser, an acknowledgement link is
// followed to the ledger, and every page passes axe-core.
func TestBrowser(t *testing.T) {
	b := browser.ForTest(t)
	marker := "CIVIC-BROWSER-FILE-" + uniqueID("m")
	content := "%PDF-1.7 permit " + marker + "\n" + strings.Repeat("page ", 500)
	id := uniqueID("BRW")
	register(t, id, content, "Browser Subject")
	waitIndexed(t, id)

	var seal struct {
		Link string `json:"link"`
	}
	require.NoError(t, json.Unmarshal([]byte(ledgerctlRun(t, "--json", "seal", id)), &seal))
	require.True(t, strings.HasPrefix(seal.Link, tn.PortalURL()+"/verify#"), seal.Link)

	t.Run("a dropped file is hashed in the browser and found valid; the file is never sent", func(t *testing.T) {
		p := openPage(t, b, "/verify/file")
		require.NoError(t, p.WaitFor("#drop-zone"))
		checkPage(t, p, "verify-file")
		drop := func(body string) string {
			js, err := json.Marshal(body)
			require.NoError(t, err)
			require.NoError(t, p.Run(`(() => {
				const dt = new DataTransfer();
				dt.items.add(new File([`+string(js)+`], "permit.pdf", {type: "application/pdf"}));
				const zone = document.getElementById("drop-zone");
				zone.dispatchEvent(new DragEvent("dragover", {dataTransfer: dt, bubbles: true, cancelable: true}));
				zone.dispatchEvent(new DragEvent("drop", {dataTransfer: dt, bubbles: true, cancelable: true}));
			})()`))
			loc, err := p.WaitLocation(`location.pathname === "/verify/hash"`)
			require.NoError(t, err, "page errors: %v", p.Errors())
			require.NoError(t, p.WaitFor("section.verdict"))
			return loc
		}
		loc := drop(content)
		u, err := url.Parse(loc)
		require.NoError(t, err)
		require.Equal(t, url.Values{"sha256": {hexHash(content)}}, u.Query(), "only the fingerprint is submitted")
		verdict, err := p.Text("section.verdict h2")
		require.NoError(t, err)
		require.Contains(t, verdict, "Valid")
		require.Contains(t, verdict, id)
		checkPage(t, p, "verify-hash-valid")

		require.NoError(t, p.Open(tn.PortalURL()+"/verify/file"))
		require.NoError(t, p.WaitFor("#drop-zone"))
		drop(content + "!")
		verdict, err = p.Text("section.verdict h2")
		require.NoError(t, err)
		require.Contains(t, verdict, "Unknown", "a changed file is unknown")
		checkPage(t, p, "verify-hash-unknown")

		// A revoked document's file: the answer says revoked, and why.
		revokedID := uniqueID("BRV")
		revokedContent := "%PDF-1.7 permit " + marker + " revoked\n"
		register(t, revokedID, revokedContent, "Browser Revoked Subject")
		waitIndexed(t, revokedID)
		submit(t, "approver", spec.DocumentsRevoke, []string{registry, treasury}, withArgs(revokedID, "issued in error")...)
		waitFor(t, "the revocation to be indexed", func() bool {
			_, body := get(t, "/registers/documents.json?status=revoked&size=500&issuer="+registry)
			return strings.Contains(body, `"id": "`+revokedID+`"`)
		})
		require.NoError(t, p.Open(tn.PortalURL()+"/verify/file"))
		require.NoError(t, p.WaitFor("#drop-zone"))
		drop(revokedContent)
		verdict, err = p.Text("section.verdict")
		require.NoError(t, err)
		require.Contains(t, verdict, "Revoked", "a revoked document's file")
		require.Contains(t, verdict, "issued in error", "the revocation's reason is shown")
		checkPage(t, p, "verify-hash-revoked")

		for _, r := range p.Requests() {
			require.NotContains(t, r.URL+r.Body, marker, "the browser sent the file in %s %s", r.Method, r.URL)
		}
	})

	t.Run("a real seal's link is valid, and with one character changed it is refused", func(t *testing.T) {
		p, err := b.NewPage()
		require.NoError(t, err)
		t.Cleanup(p.Close)
		require.NoError(t, p.Open(seal.Link))
		verdict, err := p.WaitAttr("#seal-verdict", "data-verdict")
		require.NoError(t, err, "page errors: %v", p.Errors())
		text, _ := p.Text("#seal-verdict")
		require.Equal(t, "valid", verdict, text)
		checkPage(t, p, "verify-seal-valid")
		for _, r := range p.Requests() {
			require.NotContains(t, r.URL, seal.Link[len(seal.Link)-30:], "the seal left the browser")
		}

		i := strings.Index(seal.Link, "#") + 1 + (len(seal.Link)-strings.Index(seal.Link, "#"))/2
		c := "A"
		if seal.Link[i] == 'A' {
			c = "B"
		}
		p2, err := b.NewPage()
		require.NoError(t, err)
		t.Cleanup(p2.Close)
		require.NoError(t, p2.Open(seal.Link[:i]+c+seal.Link[i+1:]))
		verdict, err = p2.WaitAttr("#seal-verdict", "data-verdict")
		require.NoError(t, err)
		require.Contains(t, []string{"tampered", "malformed"}, verdict)
		checkPage(t, p2, "verify-seal-refused")
	})

	t.Run("an acknowledgement link opened and confirmed in the browser is recorded on the ledger", func(t *testing.T) {
		_, links := convokeWithLinks(t, 1)
		p, err := b.NewPage()
		require.NoError(t, err)
		t.Cleanup(p.Close)
		require.NoError(t, p.Open(links[0]))
		require.NoError(t, p.WaitFor("#ack-confirm"))
		checkPage(t, p, "acknowledge-confirm")
		require.Empty(t, convocationOnLedger(t, links[0]).AcknowledgedAt, "opening the link records nothing")

		require.NoError(t, p.Run(`document.getElementById("ack-confirm").click()`))
		// WaitLocation survives the navigation the form submission starts.
		_, err = p.WaitLocation(`document.getElementById("ack-receipt") !== null`)
		require.NoError(t, err, "page errors: %v", p.Errors())
		conv := convocationOnLedger(t, links[0])
		require.NotEmpty(t, conv.AcknowledgedAt)
		shownTx, err := p.Text("#ack-tx")
		require.NoError(t, err)
		require.Equal(t, conv.AcknowledgedTxID, strings.TrimSpace(shownTx))
		checkPage(t, p, "acknowledge-receipt")
	})

	t.Run("who consulted my data: the reference typed in the form shows the use, in a page with no violations", func(t *testing.T) {
		_, _, subject := recordGrantAndUse(t)
		p := openPage(t, b, "/consulted")
		require.NoError(t, p.WaitFor("#consulted-form"))
		checkPage(t, p, "consulted-form")
		waitFor(t, "the use to be shown", func() bool {
			require.NoError(t, p.Open(tn.PortalURL()+"/consulted"))
			require.NoError(t, p.Run(`document.getElementById("subject").value = `+jsQuote(subject)+`; document.getElementById("consulted-form").submit()`))
			_, err := p.WaitLocation(`document.getElementById("consulted-result") !== null`)
			require.NoError(t, err)
			n, err := p.All("#uses tbody tr")
			require.NoError(t, err)
			return len(n) == 1
		})
		loc, err := p.WaitLocation("true")
		require.NoError(t, err)
		require.NotContains(t, loc, subject, "the reference is not in the address")
		checkPage(t, p, "consulted-result")

		require.NoError(t, p.Open(tn.PortalURL()+"/consulted?lang=fr"))
		require.NoError(t, p.Run(`document.getElementById("subject").value = "Jean Dupont"; document.getElementById("consulted-form").submit()`))
		_, err = p.WaitLocation(`document.getElementById("subject-error") !== null`)
		require.NoError(t, err)
		checkPage(t, p, "consulted-bad-fr")
	})

	t.Run("every page has no accessibility violations, in English and French", func(t *testing.T) {
		pages := map[string]string{
			"convocations": "/registers/convocations", "subsidies": "/registers/subsidies", "permissions": "/registers/permissions",
			"consulted": "/consulted",
			"home":      "/", "verify-seal-empty": "/verify", "documents": "/registers/documents",
			"documents-filtered": "/registers/documents?issuer=" + registry + "&type=permit&status=valid",
			"administrations":    "/registers/administrations", "audit": "/audit",
			"error-404": "/nowhere", "error-400": "/verify/hash?sha256=xyz",
			"acknowledge-bad-link": "/acknowledge?owner=" + registry,
		}
		for name, path := range pages {
			for _, lang := range []string{"en", "fr"} {
				t.Run(name+"-"+lang, func(t *testing.T) {
					sep := "?"
					if strings.Contains(path, "?") {
						sep = "&"
					}
					p := openPage(t, b, path+sep+"lang="+lang)
					require.NoError(t, p.WaitFor("main h1"))
					checkPage(t, p, name+"-"+lang)
				})
			}
		}
	})
}
