package portal_test

import (
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/civicledger/civicledger/gateway/portal"
	"github.com/civicledger/civicledger/gateway/portal/index"
)

// tableRows are the body rows of the table captioned caption, as cell texts.
func tableRows(t *testing.T, body, caption string) [][]string {
	t.Helper()
	i := strings.Index(body, ">"+caption+"</caption>")
	require.NotEqual(t, -1, i, "no table captioned %q", caption)
	rest := body[i:]
	tbody := rest[strings.Index(rest, "<tbody>"):strings.Index(rest, "</tbody>")]
	cell := regexp.MustCompile(`<t[hd][^>]*>([^<]*)</t[hd]>`)
	var out [][]string
	for _, tr := range strings.Split(tbody, "<tr>")[1:] {
		var row []string
		for _, m := range cell.FindAllStringSubmatch(tr, -1) {
			row = append(row, m[1])
		}
		out = append(out, row)
	}
	return out
}

func TestAuditCharts(t *testing.T) {
	t.Run("an empty index says there is no data yet instead of drawing", func(t *testing.T) {
		srv, _, x := fixture(t)
		x.txs = nil
		resp, body := get(t, srv.URL+"/audit")
		require.Equal(t, http.StatusOK, resp.StatusCode)
		require.Equal(t, 3, strings.Count(body, "No data yet"), "the three charts each say so")
		require.NotContains(t, body, `<svg class="chart"`)
		_, body = get(t, srv.URL+"/audit?lang=fr")
		require.Equal(t, 3, strings.Count(body, "Pas encore de données"))
	})

	t.Run("the bars and the tables show the index's counts and sums", func(t *testing.T) {
		srv, _, x := fixture(t)
		x.perDay = []index.DayCount{
			{Day: "2026-10-01", MSPID: "RegistryMSP", Count: 99}, // before the 30-day window
			{Day: "2026-11-30", MSPID: "RegistryMSP", Count: 4},
			{Day: "2026-11-30", MSPID: "TreasuryMSP", Count: 2},
			{Day: "2026-12-01", MSPID: "TreasuryMSP", Count: 1},
		}
		x.perType = []index.TypeCount{{Type: "permit", Status: "revoked", Count: 1}, {Type: "permit", Status: "valid", Count: 5},
			{Type: "debt-extract", Status: "valid", Count: 3}}
		x.programmes = []index.ProgrammeRow{{Granting: "TreasuryMSP", ID: "p1", Name: "Facades", Currency: "EUR", ApprovedTotal: 123456}}
		resp, body := get(t, srv.URL+"/audit")
		require.Equal(t, http.StatusOK, resp.StatusCode)
		require.Equal(t, 3, strings.Count(body, `<svg class="chart"`))
		require.Contains(t, body, `role="img" aria-labelledby="chart-tx-t chart-tx-d"`)

		days := tableRows(t, body, "Transactions per day and administration, last 30 days (UTC)")
		require.Len(t, days, 30, "every day of the window has a row")
		require.Equal(t, []string{"2026-11-02", "0", "0", "0"}, days[0])
		require.Equal(t, []string{"2026-11-30", "4", "2", "6"}, days[28], "Registry, Treasury, total")
		require.Equal(t, []string{"2026-12-01", "0", "1", "1"}, days[29])
		require.Contains(t, body, "<th scope=\"col\">Registry of Certified Documents</th>", "administrations by their published name")
		require.Contains(t, body, "<title>2026-11-30, Registry of Certified Documents: 4</title>")

		docs := tableRows(t, body, "Documents per type and recorded status")
		require.Equal(t, [][]string{{"debt-extract", "0", "3", "3"}, {"permit", "1", "5", "6"}}, docs, "revoked, valid, total")

		subs := tableRows(t, body, "Subsidies approved per programme (EUR)")
		require.Len(t, subs, 1)
		require.Equal(t, "Facades (TreasuryMSP)", subs[0][0])
		require.Equal(t, "EUR 1,234.56", subs[0][1], "as the subsidies register writes it")

		_, fr := get(t, fr(srv.URL+"/audit"))
		require.Contains(t, fr, "Documents par type et statut enregistré")
		require.Contains(t, fr, "<th scope=\"col\">Révoqué</th>")
	})

	t.Run("the JSON twin carries the same series", func(t *testing.T) {
		srv, _, x := fixture(t)
		x.perDay = []index.DayCount{{Day: "2026-10-01", MSPID: "RegistryMSP", Count: 99}, {Day: "2026-11-30", MSPID: "RegistryMSP", Count: 4}}
		x.perType = []index.TypeCount{{Type: "permit", Status: "valid", Count: 5}}
		_, body := get(t, srv.URL+"/audit.json")
		var got struct {
			Charts portal.Stats `json:"charts"`
		}
		require.NoError(t, json.Unmarshal([]byte(body), &got))
		require.Equal(t, "2026-11-02", got.Charts.Since)
		require.Equal(t, []index.DayCount{{Day: "2026-11-30", MSPID: "RegistryMSP", Count: 4}}, got.Charts.TransactionsPerDay)
		require.Equal(t, x.perType, got.Charts.DocumentsPerType)
		require.Empty(t, got.Charts.SubsidiesApproved)
	})
}

func fr(url string) string { return url + "?lang=fr" }
