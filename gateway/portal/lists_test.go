package portal_test

import (
	"encoding/csv"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/civicledger/civicledger/chaincode/records"
	"github.com/civicledger/civicledger/gateway/portal"
	"github.com/civicledger/civicledger/gateway/portal/index"
)

var subjectA = strings.Repeat("5a", 32)

func registersFixture(t *testing.T) (string, *fakeLedger, *fakeIndex) {
	t.Helper()
	srv, l, x := fixture(t)
	x.members = append(x.members, index.Member{MSPID: "TreasuryMSP", DisplayName: "Treasury Department"},
		index.Member{MSPID: "CouncilMSP", DisplayName: "City Council"})
	x.meetings = []index.MeetingRow{{Owner: "RegistryMSP", ID: "2026-12-10-council", BodyID: "council", BodyName: "Conseil communautaire",
		StartsAt: "2026-12-10T18:00:00+01:00", Place: "Lorient", Deadline: "2026-12-04", ClearDays: 5,
		Convened: 12, Acknowledged: 9, OnTime: 11, Late: 1, MaxDaysLate: 2, Block: 9, TxID: "tx-m"}}
	x.programmes = []index.ProgrammeRow{{Granting: "TreasuryMSP", ID: "p1", Name: "Green shops", Budget: 10_000_000, Currency: "EUR",
		DeMinimis: true, ApprovedTotal: 500_000, PaidTotal: 200_000, ApprovedGrants: 1}}
	x.grants = []index.GrantRow{{Granting: "TreasuryMSP", GrantID: "g1", ProgrammeID: "p1", ProgrammeName: "Green shops",
		Beneficiary: "CHE-123.456.789", Amount: 500_000, Currency: "EUR", Purpose: "=cmd|' /C calc'!A0", Status: "approved",
		DecidedByMSP: "CouncilMSP", PaidTotal: 200_000}}
	x.aid = []index.AidRow{{Beneficiary: "CHE-123.456.789", Currency: "EUR", Total: 500_000, Grants: 1, Administrations: 1}}
	x.permissions = []index.PermissionRow{{Owner: "RegistryMSP", ID: "perm-1", Grantee: "TreasuryMSP", Category: "tax-records",
		Purpose: "audit", LegalBasis: "Art. 12", ValidFrom: "2026-01-01T00:00:00Z", ValidUntil: "2027-01-01T00:00:00Z",
		OneSubject: true, Status: "active"}}
	x.proposals = []index.ProposalRow{
		{ID: "p-remove", Kind: "remove", Subject: "CouncilMSP", Status: "applied", ProposedBy: "RegistryMSP", AppliedAt: "2026-11-20T10:00:00Z",
			Signatures: []index.ProposalSignature{{MSPID: "TreasuryMSP", SignedAt: "2026-11-19T10:00:00Z"}}},
		{ID: "p-open", Kind: "add", Subject: "PortMSP", Status: "open", ProposedBy: "TreasuryMSP", ExpiresAt: "2026-11-25T00:00:00Z"},
	}
	l.uses = map[string][]records.PermissionUse{subjectA: {{ID: "u1", Owner: "RegistryMSP", PermissionID: "perm-1", Grantee: "TreasuryMSP",
		Category: "tax-records", SubjectRef: subjectA, Purpose: "audit 2026", UsedAt: "2026-11-02T09:00:00Z", UsedBy: "x509::CN=official-7",
		Valid: true, Reason: "covered by an active permission"}}}
	return srv.URL, l, x
}

func TestRegisterPages(t *testing.T) {
	base, _, x := registersFixture(t)
	for path, wants := range map[string][]string{
		"/registers/convocations":    {"Conseil communautaire", "2026-12-10-council", "5 clear days", "up to 2 days late", "<td>12</td>", "<td>9</td>"},
		"/registers/subsidies":       {"Green shops", "CHE-123.456.789", "City Council", "Approved", "de minimis", "over the last three years, which EU law caps", "administrations: 1"},
		"/registers/permissions":     {"Treasury Department", "tax-records", "for one person only", "Art. 12", "Active"},
		"/registers/administrations": {"Left on 2026-11-20T10:00:00Z", "Remove City Council", "Treasury Department", "Expired", "Add PortMSP"},
		"/consulted":                 {`<form id="consulted-form" action="/consulted" method="post">`, `name="subject"`},
	} {
		t.Run(path, func(t *testing.T) {
			resp, body := get(t, base+path)
			require.Equal(t, http.StatusOK, resp.StatusCode, body)
			for _, w := range wants {
				require.Contains(t, body, w)
			}
			require.NotContains(t, body, "style=")
			_, fr := get(t, base+path+"?lang=fr")
			require.Contains(t, fr, `<html lang="fr">`)
		})
	}

	t.Run("JSON and CSV twins carry the rows and the next page", func(t *testing.T) {
		x.info = index.PageInfo{First: []string{"TreasuryMSP", "g1"}, Last: []string{"TreasuryMSP", "g1"}, HasNext: true}
		defer func() { x.info = index.PageInfo{} }()
		resp, body := get(t, base+"/registers/subsidies.json?administration=TreasuryMSP&size=1")
		require.Equal(t, http.StatusOK, resp.StatusCode, body)
		v := decode[map[string]any](t, body)
		require.Len(t, v["grants"], 1)
		require.Len(t, v["programmes"], 1)
		require.Contains(t, body, `"remaining": 29500000`, "EUR 300,000 less EUR 5,000")
		require.Equal(t, "/registers/subsidies.json?administration=TreasuryMSP&size=1&after=TreasuryMSP~g1", v["next"])
		require.Equal(t, "*", resp.Header.Get("Access-Control-Allow-Origin"))

		resp, body = get(t, base+"/registers/subsidies.csv")
		require.Equal(t, http.StatusOK, resp.StatusCode)
		rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
		require.NoError(t, err)
		require.Equal(t, "beneficiary", rows[0][4])
		require.Equal(t, "'=cmd|' /C calc'!A0", rows[1][8], "a formula is defused")
		require.Contains(t, resp.Header.Get("Link"), `rel="next"`)

		_, page := get(t, base+"/registers/subsidies?size=1")
		require.Contains(t, page, `href="/registers/subsidies?size=1&amp;after=TreasuryMSP~g1" rel="next"`)
	})

	t.Run("after and before reach the index as keys", func(t *testing.T) {
		x.pages = nil
		get(t, base+"/registers/permissions.json?after=RegistryMSP~perm-1&size=7")
		get(t, base+"/registers/convocations.csv?before="+url.QueryEscape("RegistryMSP~2026-12-10-council"))
		require.Equal(t, []index.Page{{After: []string{"RegistryMSP", "perm-1"}, Limit: 7},
			{Before: []string{"RegistryMSP", "2026-12-10-council"}, Limit: 50}}, x.pages)
	})

	for name, q := range map[string]string{
		"a malformed key":       "after=nothing",
		"both after and before": "after=A~b&before=A~c",
		"a size too large":      "size=501",
		"a bad administration":  "administration=%3Cb%3E",
	} {
		t.Run(name+" is a 400 in every form", func(t *testing.T) {
			for _, suffix := range []string{"", ".json", ".csv"} {
				resp, body := get(t, base+"/registers/permissions"+suffix+"?"+q)
				require.Equal(t, http.StatusBadRequest, resp.StatusCode, suffix+": "+body)
			}
		})
	}

	t.Run("the administrations JSON has leftAt and the proposals with the signing administrations only", func(t *testing.T) {
		_, body := get(t, base+"/registers/administrations.json")
		require.Contains(t, body, `"proposals"`)
		require.Contains(t, body, `"signedAt": "2026-11-19T10:00:00Z"`)
		require.NotContains(t, body, "signerCertId")
		_, body = get(t, base+"/registers/administrations.csv")
		require.Contains(t, body, "leftAt")
	})
}

func postConsulted(t *testing.T, u, subject string) (*http.Response, string) {
	t.Helper()
	return postForm(t, u, url.Values{"subject": {subject}})
}

func TestConsulted(t *testing.T) {
	base, l, _ := registersFixture(t)
	t.Run("a citizen's reference shows each use, never the reference itself nor the official", func(t *testing.T) {
		resp, body := postConsulted(t, base+"/consulted", strings.ToUpper(subjectA))
		require.Equal(t, http.StatusOK, resp.StatusCode, body)
		for _, w := range []string{"Treasury Department", "audit 2026", "2026-11-02T09:00:00Z", "perm-1", "Yes"} {
			require.Contains(t, body, w)
		}
		require.NotContains(t, body, subjectA)
		require.NotContains(t, body, "official-7")
		resp, body = postConsulted(t, base+"/api/v1/consulted", subjectA)
		require.Equal(t, http.StatusOK, resp.StatusCode)
		require.Contains(t, body, `"administration": "TreasuryMSP"`)
		require.NotContains(t, body, subjectA)
		require.NotContains(t, body, "official-7")
	})
	t.Run("a reference with no use says so", func(t *testing.T) {
		_, body := postConsulted(t, base+"/consulted?lang=fr", strings.Repeat("0", 64))
		require.Contains(t, body, "Aucune administration")
	})
	t.Run("a malformed reference is 400 and says what a reference is", func(t *testing.T) {
		resp, body := postConsulted(t, base+"/consulted", "Jean Dupont")
		require.Equal(t, http.StatusBadRequest, resp.StatusCode)
		require.Contains(t, body, "64 hexadecimal characters (0-9, a-f)")
		require.Contains(t, body, `aria-invalid="true"`)
		resp, _ = postConsulted(t, base+"/api/v1/consulted", "12")
		require.Equal(t, http.StatusBadRequest, resp.StatusCode)
	})
	t.Run("a ledger that cannot be reached is 503", func(t *testing.T) {
		l.down = true
		defer func() { l.down = false }()
		resp, body := postConsulted(t, base+"/consulted", subjectA)
		require.Equal(t, http.StatusServiceUnavailable, resp.StatusCode)
		require.NotContains(t, body, subjectA)
		resp, _ = postConsulted(t, base+"/api/v1/consulted", subjectA)
		require.Equal(t, http.StatusServiceUnavailable, resp.StatusCode)
	})
	t.Run("the reference is not accepted in a URL", func(t *testing.T) {
		resp, _ := get(t, base+"/consulted?subject="+subjectA)
		require.Equal(t, http.StatusOK, resp.StatusCode, "the form, not an answer")
		resp, _ = get(t, base+"/api/v1/consulted?subject="+subjectA)
		require.NotEqual(t, http.StatusOK, resp.StatusCode)
	})
}

func TestConsultedNeverLogsTheReference(t *testing.T) {
	var logs strings.Builder
	l := &fakeLedger{down: true}
	s, err := portal.New(l, &fakeIndex{}, "civic", portal.WithLogger(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	require.NoError(t, err)
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	resp, _ := postConsulted(t, srv.URL+"/consulted", subjectA)
	require.Equal(t, http.StatusServiceUnavailable, resp.StatusCode)
	require.Contains(t, logs.String(), "read permission uses", "the failure is logged")
	require.Contains(t, logs.String(), "<subject reference>")
	require.NotContains(t, logs.String(), subjectA)
}
