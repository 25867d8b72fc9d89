package ledgerctl

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
)

func TestConvocationsConveneLinks(t *testing.T) {
	g := startFakeGateway(t)
	refA, refB := strings.Repeat("a", 64), strings.Repeat("d", 64)
	csvFile := writeTestFile(t, "recipients.csv", "recipient_ref,message_hash\n"+
		refA+","+strings.Repeat("b", 64)+"\n"+refB+","+strings.Repeat("e", 64)+"\n")
	convened := `{"ownerMspId":"RegistryMSP","meetingId":"2026-04-02-council","sentAt":"2026-03-20T10:00:00Z",
		"convened":2,"onTime":2,"late":0,"convocationIds":["` + strings.Repeat("1", 64) + `","` + strings.Repeat("2", 64) + `"],` + testCommitted + `}`

	// sent returns the token hashes the gateway received.
	sent := func(t *testing.T) []string {
		g.mu.Lock()
		defer g.mu.Unlock()
		reqs := g.requests["Convene"]
		require.Len(t, reqs, 1)
		var out []string
		for _, r := range reqs[0].(*apiv1.ConveneRequest).Recipients {
			out = append(out, r.AckTokenHash)
		}
		return out
	}
	// check parses a link and checks that its token hashes to what was sent.
	check := func(t *testing.T, link, convID, hash string) {
		u, err := url.Parse(link)
		require.NoError(t, err)
		require.Equal(t, "https://portal.example.org/acknowledge", u.Scheme+"://"+u.Host+u.Path)
		q := u.Query()
		require.Equal(t, "RegistryMSP", q.Get("owner"))
		require.Equal(t, "2026-04-02-council", q.Get("meeting"))
		require.Equal(t, convID, q.Get("convocation"))
		sum := sha256.Sum256([]byte(q.Get("token")))
		require.Equal(t, hash, hex.EncodeToString(sum[:]), "the link carries the token whose hash went to the ledger")
	}

	t.Run("--links draws a token per recipient, sends its hash and prints each link", func(t *testing.T) {
		g.reset()
		g.reply("Convene", convened)
		out, err := g.run("convocations", "convene", "--meeting", "2026-04-02-council", "--recipients", csvFile,
			"--links", "https://portal.example.org/")
		require.NoError(t, err, out)
		hashes := sent(t)
		require.Len(t, hashes, 2)
		require.NotEqual(t, hashes[0], hashes[1])
		require.Contains(t, out, "send it to them alone")
		var links []string
		for _, line := range strings.Split(out, "\n") {
			f := strings.Fields(line)
			if len(f) == 3 && strings.HasPrefix(f[2], "https://") {
				require.Contains(t, []string{refA, refB}, f[0])
				links = append(links, f[2])
			}
		}
		require.Len(t, links, 2)
		check(t, links[0], strings.Repeat("1", 64), hashes[0])
		check(t, links[1], strings.Repeat("2", 64), hashes[1])
	})

	t.Run("--links with --json prints the response and the links", func(t *testing.T) {
		g.reset()
		g.reply("Convene", convened)
		out, err := g.run("--json", "convocations", "convene", "--meeting", "2026-04-02-council", "--recipients", csvFile,
			"--links", "https://portal.example.org")
		require.NoError(t, err, out)
		var doc struct {
			Convened struct {
				Convened int `json:"convened"`
			} `json:"convened"`
			Links []convLink `json:"links"`
		}
		require.NoError(t, json.Unmarshal([]byte(out), &doc), out)
		require.Equal(t, 2, doc.Convened.Convened)
		require.Len(t, doc.Links, 2)
		require.Equal(t, refB, doc.Links[1].RecipientRef)
		check(t, doc.Links[1].Link, strings.Repeat("2", 64), sent(t)[1])
	})

	withHash := writeTestFile(t, "hashed.csv", "recipient_ref,message_hash,ack_token_hash\n"+
		refA+","+strings.Repeat("b", 64)+","+strings.Repeat("c", 64)+"\n")
	runRefusals(t, map[string]refusal{
		"--links refuses a recipient that already has a token hash": {
			args: []string{"convocations", "convene", "--meeting", "m", "--recipients", withHash, "--links", "https://portal.example.org"},
			want: "with --links, convene draws each token itself"},
		"--links must be an http(s) URL": {
			args: []string{"convocations", "convene", "--meeting", "m", "--recipients", csvFile, "--links", "portal.example.org"},
			want: "must be the portal's http or https URL"},
		"without --links every recipient needs a token hash": {
			args: []string{"convocations", "convene", "--meeting", "m", "--recipients", csvFile},
			want: "recipient 1 has no ack_token_hash"},
	})
}
