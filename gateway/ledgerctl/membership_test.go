package ledgerctl

import (
	"os"
	"path/filepath"
	"testing"
)

const testProposal = `{"id":"ab12","kind":"add","subjectMspId":"HarbourMSP","channelId":"civic","update":"AQID","sequence":"4",
	"proposedBy":"RegistryMSP","proposedAt":"2026-12-01T10:00:00Z","expiresAt":"2026-12-08T10:00:00Z","status":"open",
	"signatures":[{"mspId":"RegistryMSP","signedAt":"2026-12-01T11:00:00Z"},{"mspId":"TreasuryMSP","signedAt":"2026-12-01T12:00:00Z"}]}`

func TestMembershipCommands(t *testing.T) {
	request := filepath.Join(t.TempDir(), "join.json")
	// certificates as base64 of PEM: "LS0t" is "---"
	if err := os.WriteFile(request, []byte(`{"mspId":"HarbourMSP","rootCerts":["LS0t"],"tlsRootCerts":["LS0t"],
		"anchorPeer":{"host":"127.0.0.1","port":9051},"ordererEndpoint":{"host":"127.0.0.1","port":9050},
		"consenter":{"host":"127.0.0.1","port":9050,"clientTlsCert":"LS0t","serverTlsCert":"LS0t"}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	runCommandCases(t, map[string]commandCase{
		"propose-add sends the join request file with its expiry": {
			args:    []string{"membership", "propose-add", "--request", request, "--expires-in", "48h"},
			replies: map[string]string{"ProposeAddition": `{"proposal":` + testProposal + `,` + testCommitted + `}`},
			requests: map[string]string{"ProposeAddition": `{"administration":{"mspId":"HarbourMSP","rootCerts":["LS0t"],"tlsRootCerts":["LS0t"],
				"anchorPeer":{"host":"127.0.0.1","port":9051},"ordererEndpoint":{"host":"127.0.0.1","port":9050},
				"consenter":{"host":"127.0.0.1","port":9050},"consenterClientTlsCert":"LS0t","consenterServerTlsCert":"LS0t"},
				"expiresInSeconds":"172800"}`},
		},
		"propose-remove accepts a short administration name": {
			args:     []string{"membership", "propose-remove", "council"},
			replies:  map[string]string{"ProposeRemoval": `{"proposal":` + testProposal + `,` + testCommitted + `}`},
			requests: map[string]string{"ProposeRemoval": `{"mspId":"CouncilMSP"}`},
		},
		"sign names the proposal": {
			args:     []string{"membership", "sign", "ab12"},
			replies:  map[string]string{"Sign": `{"proposal":` + testProposal + `,` + testCommitted + `}`},
			requests: map[string]string{"Sign": `{"proposalId":"ab12"}`},
		},
		"apply prints the config block": {
			args: []string{"membership", "apply", "ab12"},
			replies: map[string]string{"Apply": `{"proposal":{"id":"ab12","kind":"add","subjectMspId":"HarbourMSP","status":"applied",
				"appliedBlock":"9","appliedBy":"RegistryMSP","appliedAt":"2026-12-02T10:00:00Z"},` + testCommitted + `}`},
			requests: map[string]string{"Apply": `{"proposalId":"ab12"}`},
		},
		"get prints who signed": {
			args:     []string{"membership", "get", "ab12"},
			replies:  map[string]string{"GetProposal": `{"proposal":` + testProposal + `}`},
			requests: map[string]string{"GetProposal": `{"proposalId":"ab12"}`},
		},
		"list passes the status filter": {
			args:     []string{"membership", "list", "--status", "open"},
			replies:  map[string]string{"ListProposals": `{"proposals":[` + testProposal + `],"nextPageToken":"n2"}`},
			requests: map[string]string{"ListProposals": `{"status":"open"}`},
		},
	})
}
