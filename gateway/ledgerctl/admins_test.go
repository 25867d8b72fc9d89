package ledgerctl

import (
	"testing"

	"github.com/stretchr/testify/require"
)

const testMembers = `unknown administration "regisrty": members are registry (RegistryMSP), treasury (TreasuryMSP), council (CouncilMSP)`

// Wherever ledgerctl takes an administration, a short name in any case is
// sent as its MSP ID, and a name that is no member's is refused.
func TestAdministrationNames(t *testing.T) {
	g := startFakeGateway(t)
	doc := `{"verdict":{"status":"DOCUMENT_STATUS_VALID","issuer":"RegistryMSP","id":"EXT-1"}}`
	cases := map[string]struct {
		args    []string
		replies map[string]string
		method  string // the call that must carry the MSP ID
		request string
	}{
		"--issuer registry is RegistryMSP": {
			args: []string{"documents", "verify", "EXT-1", "--issuer", "registry"}, replies: map[string]string{"VerifyDocument": doc},
			method: "VerifyDocument", request: `{"issuer":"RegistryMSP","id":"EXT-1"}`,
		},
		"--issuer in upper case is the member": {
			args: []string{"documents", "get", "EXT-1", "--issuer", "TREASURY"}, replies: map[string]string{"GetDocument": testDocument},
			method: "GetDocument", request: `{"issuer":"TreasuryMSP","id":"EXT-1"}`,
		},
		"--issuer by MSP ID in another case is the member": {
			args: []string{"documents", "list", "--issuer", "councilmsp"}, replies: map[string]string{"ListDocuments": `{}`},
			method: "ListDocuments", request: `{"issuer":"CouncilMSP"}`,
		},
		"--owner council is CouncilMSP": {
			args: []string{"convocations", "list-meetings", "--owner", "council"}, replies: map[string]string{"ListMeetings": `{}`},
			method: "ListMeetings", request: `{"ownerMspId":"CouncilMSP"}`,
		},
		"--grantee treasury is TreasuryMSP": {
			args: []string{"permissions", "offer", "--id", "p1", "--grantee", "treasury", "--category", "c"},
			replies: map[string]string{"OfferPermission": `{"permission":{"id":"p1","ownerMspId":"RegistryMSP","granteeMspId":"TreasuryMSP"},` +
				testCommitted + `}`},
			method: "OfferPermission", request: `{"id":"p1","granteeMspId":"TreasuryMSP","category":"c"}`,
		},
		"OWNER and GRANTEE arguments take short names": {
			args: []string{"permissions", "check", "registry", "Treasury", "c"}, replies: map[string]string{"CheckPermission": `{"allowed":true}`},
			method: "CheckPermission", request: `{"ownerMspId":"RegistryMSP","granteeMspId":"TreasuryMSP","category":"c"}`,
		},
		"a GRANTING_MSP argument takes a short name": {
			args: []string{"subsidies", "get-programme", "treasury", "P-1"}, replies: map[string]string{"GetProgramme": `{"programme":` + testProgramme + `}`},
			method: "GetProgramme", request: `{"grantingMspId":"TreasuryMSP","programmeId":"P-1"}`,
		},
		"an empty --issuer is left to the gateway (the caller's own)": {
			args: []string{"documents", "verify", "EXT-1", "--issuer", ""}, replies: map[string]string{"VerifyDocument": doc},
			method: "VerifyDocument", request: `{"id":"EXT-1"}`,
		},
		"directory get takes a short name": {
			args: []string{"directory", "get", "council"}, replies: map[string]string{"GetProfile": `{"mspId":"CouncilMSP"}`},
			method: "GetProfile", request: `{"mspId":"CouncilMSP"}`,
		},
		"ledger history takes a short name as the key's administration": {
			args: []string{"ledger", "history", "document", "registry", "EXT-1"}, replies: map[string]string{"GetRecordHistory": `{}`},
			method: "GetRecordHistory", request: `{"kind":"RECORD_KIND_DOCUMENT","key":["RegistryMSP","EXT-1"]}`,
		},
		"an administration only the directory lists is found by its MSP ID": {
			args: []string{"documents", "verify", "EXT-1", "--issuer", "cantonmsp"},
			replies: map[string]string{"VerifyDocument": doc,
				"ListProfiles": `{"profiles":[{"mspId":"RegistryMSP"},{"mspId":"CantonMSP"}]}`},
			method: "VerifyDocument", request: `{"issuer":"CantonMSP","id":"EXT-1"}`,
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			g.reset()
			for method, r := range tc.replies {
				g.reply(method, r)
			}
			stdout, stderr, code := g.main(tc.args...)
			require.Equal(t, ExitOK, code, "stdout: %s\nstderr: %s", stdout, stderr)
			g.requireRequest(t, tc.method, tc.request)
		})
	}

	refusals := map[string][]string{
		"an unknown --issuer":           {"documents", "verify", "EXT-1", "--issuer", "regisrty"},
		"an unknown --owner":            {"convocations", "list-meetings", "--owner", "regisrty"},
		"an unknown --grantee":          {"permissions", "offer", "--id", "p1", "--grantee", "regisrty"},
		"an unknown OWNER argument":     {"permissions", "get", "regisrty", "p1"},
		"an unknown GRANTING_MSP":       {"subsidies", "get-grant", "regisrty", "G-1"},
		"an unknown directory MSP_ID":   {"directory", "get", "regisrty"},
		"an unknown key administration": {"ledger", "history", "document", "regisrty", "EXT-1"},
	}
	for name, args := range refusals {
		t.Run(name+" exits 2 listing the members, and nothing else is asked", func(t *testing.T) {
			g.reset()
			g.reply("ListProfiles", `{"profiles":[{"mspId":"RegistryMSP"},{"mspId":"TreasuryMSP"},{"mspId":"CouncilMSP"}]}`)
			stdout, stderr, code := g.main(args...)
			require.Equal(t, ExitFailure, code, "stdout: %s", stdout)
			require.Contains(t, stderr, testMembers+"\n")
			g.mu.Lock()
			defer g.mu.Unlock()
			require.Len(t, g.requests, 1, "only the directory was asked")
			require.Contains(t, g.requests, "ListProfiles")
		})
	}

	t.Run("an unknown --org exits 2 listing the members of the connection file", func(t *testing.T) {
		g.reset()
		_, stderr, code := g.main("--org", "regisrty", "directory", "list")
		require.Equal(t, ExitFailure, code)
		require.Equal(t, "ledgerctl: --org: "+testMembers+"\n", stderr)
	})
	t.Run("--org takes a short name in any case", func(t *testing.T) {
		g.reset()
		g.reply("ListProfiles", `{}`)
		_, stderr, code := g.main("--org", "COUNCIL", "directory", "list")
		require.Equal(t, ExitOK, code, stderr)
	})
}

func TestResolveAdministration(t *testing.T) {
	members := []member{{mspID: "RegistryMSP", name: "registry"}, {mspID: "CantonMSP"}}
	for name, want := range map[string]string{
		"registry": "RegistryMSP", "Registry": "RegistryMSP", "REGISTRYMSP": "RegistryMSP", " registry ": "RegistryMSP",
		"cantonmsp": "CantonMSP",
	} {
		t.Run(name+" names "+want, func(t *testing.T) {
			got, err := resolveAdministration(name, members)
			require.NoError(t, err)
			require.Equal(t, want, got)
		})
	}
	for _, name := range []string{"", "canton", "regisrty", "MSP"} {
		t.Run("the unknown name "+name+" is refused listing the members", func(t *testing.T) {
			_, err := resolveAdministration(name, members)
			require.EqualError(t, err, `unknown administration "`+name+`": members are registry (RegistryMSP), CantonMSP`)
		})
	}
}
