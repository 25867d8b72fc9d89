//go:build browser

package static_test

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/civicledger/civicledger/gateway/internal/browser"
	"github.com/civicledger/civicledger/gateway/proofs/seal"
)

// sealResult is what the seal page showed.
type sealResult struct {
	verdict, reason, text string
	steps                 []browser.Element
	facts                 string
	errors                []string
}

// openSeal opens <base>/verify#<seal> in a new tab and waits for the verdict.
func openSeal(t *testing.T, b *browser.Browser, base, text string) (*browser.Page, sealResult) {
	t.Helper()
	link, err := seal.Seal{Text: text}.Link(base)
	require.NoError(t, err)
	p, err := b.NewPage()
	require.NoError(t, err)
	t.Cleanup(p.Close)
	require.NoError(t, p.Open(link))
	var r sealResult
	r.verdict, err = p.WaitAttr("#seal-verdict", "data-verdict")
	require.NoError(t, err, "page errors: %v", p.Errors())
	r.reason, _, err = p.Attr("#seal-verdict", "data-reason")
	require.NoError(t, err)
	r.text, err = p.Text("#seal-verdict")
	require.NoError(t, err)
	r.steps, err = p.All("#seal-steps li")
	require.NoError(t, err)
	facts, err := p.All("#seal-facts")
	require.NoError(t, err)
	if len(facts) == 1 {
		r.facts = facts[0].Text
	}
	r.errors = p.Errors()
	return p, r
}

// shaHex is the lowercase hex SHA-256 of a test document.
func shaHex(id string) string {
	sum := sha256.Sum256(document(id))
	return hex.EncodeToString(sum[:])
}

// changeOneChar replaces the character in the middle of the Base45 part.
func changeOneChar(text string) string {
	i := len(text) / 2
	c := byte('A')
	if text[i] == 'A' {
		c = 'B'
	}
	return text[:i] + string(c) + text[i+1:]
}

func TestSealPage(t *testing.T) {
	w := newWorld(t)
	srv := newStandIn(t, w)
	b := browser.ForTest(t)
	treasury, registry, foreign := w.treasury.signer(t), w.registry.signer(t), w.foreign.signer(t)

	valid := mustSeal(t, treasury, claims("DX-1", "TreasuryMSP"))
	srv.setStatus("TreasuryMSP", "DX-1", http.StatusOK, validStatus(shaHex("DX-1")))

	t.Run("a valid seal is valid, with every step passed and the key facts shown", func(t *testing.T) {
		before := len(srv.requests())
		p, r := openSeal(t, b, srv.URL, valid)
		require.Equal(t, "valid", r.verdict, r.text)
		require.Equal(t, "ok", r.reason)
		require.Contains(t, r.text, "issued by Treasury")
		var names []string
		for _, s := range r.steps {
			require.Equal(t, "true", s.Attrs["data-ok"], s.Text)
			names = append(names, s.Attrs["data-step"])
		}
		require.Equal(t, []string{"format", "structure", "header", "certificate", "signature", "claims", "signer", "issuer", "window", "ledger"}, names)
		require.Contains(t, r.facts, "Jeanne Martin-Durand")
		require.Contains(t, r.facts, "DX-1")
		require.Contains(t, r.facts, shaHex("DX-1"))
		require.Empty(t, r.errors)

		t.Run("only the issuer and the document id reach the server", func(t *testing.T) {
			var status []loggedRequest
			for _, req := range srv.requests()[before:] {
				require.NotContains(t, req.URL+req.Body, "Jeanne", "a key fact left the browser")
				require.NotContains(t, req.URL+req.Body, "Martin", "a key fact left the browser")
				require.NotContains(t, req.URL, valid[10:40], "the seal text left the browser")
				if strings.HasPrefix(req.URL, "/api/v1/status") {
					status = append(status, req)
				}
			}
			require.Len(t, status, 1)
			u, err := url.Parse(status[0].URL)
			require.NoError(t, err)
			require.Equal(t, url.Values{"issuer": {"TreasuryMSP"}, "id": {"DX-1"}}, u.Query())
		})
		t.Run("the page has no accessibility violations", func(t *testing.T) {
			v, err := p.Axe()
			require.NoError(t, err)
			require.Empty(t, v, v.String())
			_, err = p.Screenshots("seal-valid")
			require.NoError(t, err)
		})
	})

	t.Run("a seal with one character changed is refused", func(t *testing.T) {
		p, r := openSeal(t, b, srv.URL, changeOneChar(valid))
		require.Contains(t, []string{"tampered", "malformed"}, r.verdict, r.text)
		require.Contains(t, r.text, "Refused")
		require.Empty(t, r.facts, "no unauthenticated fact is shown")
		last := r.steps[len(r.steps)-1]
		require.Equal(t, "false", last.Attrs["data-ok"])
		v, err := p.Axe()
		require.NoError(t, err)
		require.Empty(t, v, v.String())
		_, err = p.Screenshots("seal-refused")
		require.NoError(t, err)
	})

	cases := []struct {
		name, text, verdict, reason, says string
		status                            func()
	}{
		{
			name: "a seal by a signer of an unknown CA gives unknown-issuer",
			text: mustSeal(t, foreign, claims("DX-2", "TreasuryMSP")), verdict: "unknown-issuer", reason: "unknown-issuer",
			says: "not signed by a member administration",
		},
		{
			name: "a seal claiming another member's MSP gives issuer-mismatch",
			text: mustSeal(t, treasury, claims("DX-3", "CouncilMSP")), verdict: "issuer-mismatch", reason: "issuer-mismatch",
			says: "claims to come from CouncilMSP but was signed by another administration (TreasuryMSP)",
		},
		{
			name: "a revoked document gives revoked, with its reason",
			text: mustSeal(t, treasury, claims("DX-4", "TreasuryMSP")), verdict: "revoked", reason: "ok",
			says: "Reason: debt paid after issue",
			status: func() {
				srv.setStatus("TreasuryMSP", "DX-4", http.StatusOK, map[string]any{
					"status": "revoked", "sha256": shaHex("DX-4"), "revokedAt": now.Format("2006-01-02T15:04:05Z"),
					"revocationReason": "debt paid after issue", "block": 51, "txId": "77aa",
				})
			},
		},
		{
			name: "a document the ledger does not know is not valid",
			text: mustSeal(t, treasury, claims("DX-5", "TreasuryMSP")), verdict: "unknown", reason: "ok",
			says: "no record of this document",
		},
		{
			name: "a ledger record with another SHA-256 is not that document",
			text: mustSeal(t, treasury, claims("DX-6", "TreasuryMSP")), verdict: "unknown", reason: "ok",
			status: func() { srv.setStatus("TreasuryMSP", "DX-6", http.StatusOK, validStatus(shaHex("other"))) },
		},
		{
			name: "a superseded document gives superseded, naming the new one",
			text: mustSeal(t, treasury, claims("DX-7", "TreasuryMSP")), verdict: "superseded", reason: "ok", says: "DX-7b",
			status: func() {
				srv.setStatus("TreasuryMSP", "DX-7", http.StatusOK, map[string]any{"status": "superseded", "sha256": shaHex("DX-7"), "supersededBy": "DX-7b"})
			},
		},
		{
			name: "a seal past its window gives expired",
			text: func() string {
				c := claims("DX-8", "TreasuryMSP")
				c.IssuedAt, c.ValidUntil = now.AddDate(0, 0, -20), now.AddDate(0, 0, -10)
				return mustSeal(t, treasury, c)
			}(),
			verdict: "expired", reason: "expired", says: "valid until",
			status: func() { srv.setStatus("TreasuryMSP", "DX-8", http.StatusOK, validStatus(shaHex("DX-8"))) },
		},
		{
			name: "a status endpoint in trouble gives unavailable",
			text: mustSeal(t, registry, claims("DX-9", "RegistryMSP")), verdict: "unavailable", reason: "ok",
			status: func() {
				srv.setStatus("RegistryMSP", "DX-9", http.StatusServiceUnavailable, map[string]any{"error": "ledger unreachable"})
			},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.status != nil {
				c.status()
			}
			_, r := openSeal(t, b, srv.URL, c.text)
			require.Equal(t, c.verdict, r.verdict, r.text)
			require.Equal(t, c.reason, r.reason)
			require.Contains(t, r.text, c.says)
			require.Empty(t, r.errors)
		})
	}

	t.Run("a French page says it in French", func(t *testing.T) {
		link, err := seal.Seal{Text: valid}.Link(srv.URL + "/fr")
		require.NoError(t, err)
		p, err := b.NewPage()
		require.NoError(t, err)
		defer p.Close()
		require.NoError(t, p.Open(link))
		verdict, err := p.WaitAttr("#seal-verdict", "data-verdict")
		require.NoError(t, err)
		require.Equal(t, "valid", verdict)
		text, err := p.Text("#seal-verdict")
		require.NoError(t, err)
		require.Contains(t, text, "Valide : ce sceau a été émis par Treasury")
		v, err := p.Axe()
		require.NoError(t, err)
		require.Empty(t, v, v.String())
		_, err = p.Screenshots("seal-valid-fr")
		require.NoError(t, err)
	})
}
