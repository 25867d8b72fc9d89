//go:build integration

package integration

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// postPortal posts a form to the portal.
func postPortal(t *testing.T, path string, form url.Values) (int, string) {
	t.Helper()
	c := &http.Client{Timeout: 20 * time.Second}
	resp, err := c.PostForm(tn.PortalURL()+path, form)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, string(body)
}

// recordGrantAndUse records, through ledgerctl, a Treasury programme and a
// grant approved by the Registry, and a Registry permission for one subject
// that Treasury accepts and uses; it returns the grant, the permission and
// the subject reference.
func recordGrantAndUse(t *testing.T) (grant, permission, subject string) {
	t.Helper()
	programme := uniqueID("GREEN")
	grant = uniqueID("G")
	today := time.Now().UTC()
	ledgerctlRun(t, "--org", treasury, "--user", "admin", "subsidies", "create-programme", "--id", programme, "--name", "Green shops",
		"--budget-minor", "10000000", "--currency", "EUR", "--legal-basis", "Regional Law 12/2023, art. 4",
		"--period-start", today.AddDate(0, 0, -1).Format("2006-01-02"), "--period-end", today.AddDate(1, 0, 0).Format("2006-01-02"), "--de-minimis=true")
	ledgerctlRun(t, "--org", treasury, "--user", "clerk", "subsidies", "propose", "--programme", programme, "--grant", grant,
		"--beneficiary", "FR12345678901", "--amount-minor", "2500000", "--purpose", "Online shop for a bakery")
	ledgerctlRun(t, "--org", registry, "--user", "approver", "subsidies", "approve", treasury, grant)

	permission, subject = uniqueID("tax"), hexHash(uniqueID("subject"))
	ledgerctlRun(t, "--org", registry, "--user", "approver", "permissions", "offer", "--id", permission, "--grantee", treasury,
		"--category", "tax-income", "--purpose", "Means test for the housing benefit", "--legal-basis", "Housing Act, art. 12",
		"--valid-from", today.Add(-time.Hour).Format(time.RFC3339), "--valid-until", today.AddDate(1, 0, 0).Format(time.RFC3339),
		"--subject", subject)
	ledgerctlRun(t, "--org", treasury, "--user", "approver", "permissions", "accept", registry, permission)
	ledgerctlRun(t, "--org", treasury, "--user", "clerk", "permissions", "record-use", registry, permission,
		"--subject", subject, "--purpose", "File HB-2026-118")
	return grant, permission, subject
}

// TestRegistersAndConsulted records a convocation, a grant and a
// permission with its use on the real network, through ledgerctl, and reads
// them on the real portal: the registers from its index, "who consulted my
// data" live from the ledger.
func TestRegistersAndConsulted(t *testing.T) {
	meetingID, links := convokeWithLinks(t, 3)
	otherMeeting, _ := convokeWithLinks(t, 1)
	code, _ := postLink(t, links[0])
	require.Equal(t, http.StatusOK, code)

	grant, permission, subject := recordGrantAndUse(t)

	t.Run("the register of convocations counts the meeting's convened and acknowledged officials", func(t *testing.T) {
		var meeting map[string]any
		waitFor(t, "the acknowledgement to be indexed", func() bool {
			_, body := get(t, "/registers/convocations.json?administration="+registry+"&size=500")
			var v struct {
				Meetings []map[string]any `json:"meetings"`
			}
			require.NoError(t, json.Unmarshal([]byte(body), &v))
			for _, m := range v.Meetings {
				if m["id"] == meetingID && m["acknowledged"] == float64(1) {
					meeting = m
					return true
				}
			}
			return false
		})
		require.Equal(t, float64(3), meeting["convened"])
		require.Equal(t, float64(3), meeting["onTime"])
		require.Equal(t, "Conseil communautaire", meeting["bodyName"])
		_, page := get(t, "/registers/convocations")
		require.Contains(t, page, meetingID)
	})

	t.Run("the register of subsidies shows the approved grant and who approved it", func(t *testing.T) {
		waitFor(t, "the approval to be indexed", func() bool {
			_, body := get(t, "/registers/subsidies.json?administration="+treasury+"&size=500")
			return strings.Contains(body, `"grantId": "`+grant+`"`) && strings.Contains(body, `"decidedBy": "`+registry+`"`)
		})
		_, body := get(t, "/registers/subsidies.json?administration="+treasury)
		require.Contains(t, body, `"beneficiary": "FR12345678901"`)
		require.Contains(t, body, `"deMinimis": [`)
		_, page := get(t, "/registers/subsidies?administration="+treasury)
		require.Contains(t, page, "De minimis aid per undertaking")
		require.Contains(t, page, "FR12345678901")
		require.Contains(t, page, "Approved")
		_, csv := get(t, "/registers/subsidies.csv?administration="+treasury+"&size=500")
		require.Contains(t, csv, grant)
	})

	t.Run("the register of permissions shows the permission, not its subject", func(t *testing.T) {
		waitFor(t, "the acceptance to be indexed", func() bool {
			_, body := get(t, "/registers/permissions.json?administration="+registry+"&size=500")
			return strings.Contains(body, `"id": "`+permission+`"`) && strings.Contains(body, `"status": "active"`)
		})
		for _, p := range []string{"/registers/permissions", "/registers/permissions.json", "/registers/permissions.csv"} {
			_, body := get(t, p+"?administration="+registry+"&size=500")
			require.Contains(t, body, permission)
			require.NotContains(t, body, subject)
		}
	})

	t.Run("who consulted my data: the citizen's reference shows Treasury's use, read live", func(t *testing.T) {
		// The use was committed at Treasury's peer; the portal reads through
		// Registry's, which may receive the block a moment later.
		var code int
		var body string
		waitFor(t, "the use to reach the portal's peer", func() bool {
			code, body = postPortal(t, "/consulted", url.Values{"subject": {subject}})
			return strings.Contains(body, "File HB-2026-118")
		})
		require.Equal(t, http.StatusOK, code, body)
		require.Contains(t, body, permission)
		require.NotContains(t, body, subject)
		code, body = postPortal(t, "/api/v1/consulted", url.Values{"subject": {subject}})
		require.Equal(t, http.StatusOK, code)
		var v struct {
			Uses []struct {
				Administration string `json:"administration"`
				Valid          bool   `json:"valid"`
			} `json:"uses"`
		}
		require.NoError(t, json.Unmarshal([]byte(body), &v))
		require.Len(t, v.Uses, 1)
		require.Equal(t, treasury, v.Uses[0].Administration)
		require.True(t, v.Uses[0].Valid)

		_, body = postPortal(t, "/consulted", url.Values{"subject": {hexHash("nobody")}})
		require.Contains(t, body, "No administration has recorded")
	})

	t.Run("a register keyset page walks forward and back", func(t *testing.T) {
		waitFor(t, "both meetings to be indexed", func() bool {
			_, body := get(t, "/registers/convocations.json?size=500")
			return strings.Contains(body, meetingID) && strings.Contains(body, otherMeeting)
		})
		_, body := get(t, "/registers/convocations.json?size=1")
		var first struct {
			Meetings []map[string]any `json:"meetings"`
			Next     string           `json:"next"`
		}
		require.NoError(t, json.Unmarshal([]byte(body), &first))
		require.Len(t, first.Meetings, 1)
		require.NotEmpty(t, first.Next, "the network has more than one meeting by now")
		_, body = get(t, first.Next)
		var second struct {
			Meetings []map[string]any `json:"meetings"`
			Prev     string           `json:"prev"`
		}
		require.NoError(t, json.Unmarshal([]byte(body), &second))
		require.Len(t, second.Meetings, 1)
		require.NotEqual(t, first.Meetings[0]["id"], second.Meetings[0]["id"])
		_, body = get(t, second.Prev)
		require.Contains(t, body, first.Meetings[0]["id"].(string))
	})

	t.Run("the documents register walks by keyset, and an old page link lands on the same row", func(t *testing.T) {
		a, b := uniqueID("KEY"), uniqueID("KEY")
		register(t, a, "keyset "+a, "Key Set")
		register(t, b, "keyset "+b, "Key Set")
		waitIndexed(t, a, b)
		type page struct {
			Documents []struct {
				ID string `json:"id"`
			} `json:"documents"`
			Next, Prev string
		}
		read := func(path string) page {
			code, body := get(t, path)
			require.Equal(t, http.StatusOK, code, body)
			var p page
			require.NoError(t, json.Unmarshal([]byte(body), &p))
			require.Len(t, p.Documents, 1, path)
			return p
		}
		first := read("/registers/documents.json?size=1&issuer=" + registry)
		require.NotEmpty(t, first.Next)
		second := read(first.Next)
		require.NotEqual(t, first.Documents[0].ID, second.Documents[0].ID)
		require.Equal(t, first.Documents[0].ID, read(second.Prev).Documents[0].ID)
		// The offset link, followed through its redirect, shows the second row.
		require.Equal(t, second.Documents[0].ID, read("/registers/documents.json?size=1&page=2&issuer=" + registry).Documents[0].ID)
	})
}
