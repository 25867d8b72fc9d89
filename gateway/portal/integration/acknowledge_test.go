//go:build integration

package integration

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/civicledger/civicledger/chaincode/records"
	"github.com/civicledger/civicledger/chaincode/spec"
	"github.com/civicledger/civicledger/gateway/ledgerctl"
)

// ledgerctlRun runs ledgerctl against the test network and returns its
// output once every administration's peer has the blocks it wrote.
func ledgerctlRun(t *testing.T, args ...string) string {
	t.Helper()
	var out bytes.Buffer
	root := ledgerctl.NewRoot()
	root.SetOut(&out)
	root.SetErr(&out)
	root.SetArgs(append([]string{"--connection", tn.ConnectionFile()}, args...))
	require.NoError(t, root.Execute(), "ledgerctl %s: %s", strings.Join(args, " "), out.String())
	// ledgerctl returns once the writer's peer has committed; the next
	// step may act through another administration's peer.
	require.NoError(t, tn.WaitForEveryPeer(context.Background()))
	return out.String()
}

// convokeWithLinks defines a body and a meeting of the Registry and
// convenes n officials with `ledgerctl convocations convene --links`; it
// returns the meeting and each official's acknowledgement link.
func convokeWithLinks(t *testing.T, n int) (meetingID string, links []string) {
	t.Helper()
	body, meetingID := uniqueID("council"), uniqueID("2027-council")
	ledgerctlRun(t, "--user", "admin", "convocations", "set-body", "--id", body, "--name", "Conseil communautaire",
		"--clear-days", "5", "--time-zone", "Europe/Paris")
	ledgerctlRun(t, "convocations", "create-meeting", "--id", meetingID, "--body", body,
		"--starts-at", time.Now().AddDate(0, 0, 30).Format(time.RFC3339), "--place", "Hôtel d'agglomération, Lorient")
	var csv strings.Builder
	csv.WriteString("recipient_ref,message_hash\n")
	for i := range n {
		csv.WriteString(hexHash(meetingID+"/ref/"+string(rune('a'+i))) + "," + hexHash(meetingID+"/msg/"+string(rune('a'+i))) + "\n")
	}
	file := filepath.Join(t.TempDir(), "recipients.csv")
	require.NoError(t, os.WriteFile(file, []byte(csv.String()), 0o600))
	out := ledgerctlRun(t, "--json", "convocations", "convene", "--meeting", meetingID, "--recipients", file, "--links", tn.PortalURL())
	var doc struct {
		Links []struct {
			Link string `json:"link"`
		} `json:"links"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &doc), out)
	require.Len(t, doc.Links, n)
	for _, l := range doc.Links {
		require.True(t, strings.HasPrefix(l.Link, tn.PortalURL()+"/acknowledge?"), l.Link)
		links = append(links, l.Link)
	}
	return meetingID, links
}

// convocationOnLedger reads a convocation as a Treasury clerk, through
// another administration's peer than the portal's.
func convocationOnLedger(t *testing.T, link string) records.Convocation {
	t.Helper()
	u, err := url.Parse(link)
	require.NoError(t, err)
	q := u.Query()
	c, err := tn.Contract(treasury, "clerk")
	require.NoError(t, err)
	raw, err := c.Evaluate(spec.ConvocationsGetConvocation, withArgs(q.Get("owner"), q.Get("meeting"), q.Get("convocation"))...)
	require.NoError(t, err)
	var conv records.Convocation
	require.NoError(t, json.Unmarshal(raw, &conv))
	return conv
}

// postLink posts the confirmation form of an acknowledgement link, as its
// page's button does.
func postLink(t *testing.T, link string) (int, string) {
	t.Helper()
	u, err := url.Parse(link)
	require.NoError(t, err)
	c := &http.Client{Timeout: time.Minute}
	resp, err := c.PostForm(tn.PortalURL()+"/acknowledge", u.Query())
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, string(body)
}

// TestAcknowledgementLinks convenes officials with ledgerctl's links and
// follows them on the real portal, whose identity relays the receipt.
func TestAcknowledgementLinks(t *testing.T) {
	_, links := convokeWithLinks(t, 2)
	path := strings.TrimPrefix(links[0], tn.PortalURL())

	t.Run("opening the link asks for a confirmation and records nothing", func(t *testing.T) {
		code, body := get(t, path)
		require.Equal(t, http.StatusOK, code, body)
		require.Contains(t, body, `id="ack-confirm"`)
		require.Contains(t, body, "Lorient")
		require.Empty(t, convocationOnLedger(t, links[0]).AcknowledgedAt)
	})

	t.Run("a changed token is refused with 403 and records nothing", func(t *testing.T) {
		code, body := get(t, strings.Replace(path, "token=", "token=x", 1))
		require.Equal(t, http.StatusForbidden, code, body)
		code, body = postLink(t, strings.Replace(links[0], "token=", "token=x", 1))
		require.Equal(t, http.StatusForbidden, code, body)
		require.Contains(t, body, "does not match")
		require.Empty(t, convocationOnLedger(t, links[0]).AcknowledgedAt)
	})

	t.Run("confirming records the receipt on the ledger, relayed by the portal's administration", func(t *testing.T) {
		code, body := postLink(t, links[0])
		require.Equal(t, http.StatusOK, code, body)
		require.Contains(t, body, "Your acknowledgement of receipt is recorded.")
		conv := convocationOnLedger(t, links[0])
		require.NotEmpty(t, conv.AcknowledgedAt)
		require.Equal(t, registry, conv.AcknowledgedVia)
		require.Contains(t, body, conv.AcknowledgedTxID)
		require.Empty(t, convocationOnLedger(t, links[1]).AcknowledgedAt, "the other official's convocation is untouched")
	})

	t.Run("the link opened again says it is done (409), and a second confirmation changes nothing", func(t *testing.T) {
		before := convocationOnLedger(t, links[0])
		code, body := get(t, path)
		require.Equal(t, http.StatusConflict, code, body)
		require.Contains(t, body, before.AcknowledgedTxID)
		code, _ = postLink(t, links[0])
		require.Equal(t, http.StatusConflict, code)
		require.Equal(t, before, convocationOnLedger(t, links[0]))
	})

	t.Run("an unknown convocation is 404 and a malformed link 400", func(t *testing.T) {
		u, err := url.Parse(links[1])
		require.NoError(t, err)
		q := u.Query()
		q.Set("convocation", strings.Repeat("0", 64))
		code, _ := get(t, "/acknowledge?"+q.Encode())
		require.Equal(t, http.StatusNotFound, code)
		q.Set("convocation", "0")
		code, _ = get(t, "/acknowledge?"+q.Encode())
		require.Equal(t, http.StatusBadRequest, code)
	})
}
