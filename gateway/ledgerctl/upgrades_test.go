package ledgerctl

import "testing"

const testUpgrade = `{"id":"civic-2","chaincode":"civic","version":"2.0","sequence":"2",
	"packageId":"civic_2.0:00cc2c6f74836639718261d1073f20a43ed8fcbc1182ccffbc9a4d0d95587a51",
	"proposedBy":"RegistryMSP","proposedAt":"2026-12-03T06:04:24Z","status":"open",
	"approvals":[{"mspId":"RegistryMSP","approvedAt":"2026-12-03T06:04:25Z"},{"mspId":"TreasuryMSP","approvedAt":"2026-12-03T06:04:26Z"}]}`

func TestUpgradeCommands(t *testing.T) {
	runCommandCases(t, map[string]commandCase{
		"propose sends the version and package id": {
			args:    []string{"upgrade", "propose", "--version", "2.0", "--package-id", "civic_2.0:00cc2c6f74836639718261d1073f20a43ed8fcbc1182ccffbc9a4d0d95587a51"},
			replies: map[string]string{"Propose": `{"upgrade":` + testUpgrade + `,` + testCommitted + `}`},
			requests: map[string]string{"Propose": `{"version":"2.0",
				"packageId":"civic_2.0:00cc2c6f74836639718261d1073f20a43ed8fcbc1182ccffbc9a4d0d95587a51"}`},
		},
		"approve names the upgrade": {
			args:     []string{"upgrade", "approve", "civic-2"},
			replies:  map[string]string{"Approve": `{"upgrade":` + testUpgrade + `,` + testCommitted + `}`},
			requests: map[string]string{"Approve": `{"upgradeId":"civic-2"}`},
		},
		"commit prints the lifecycle transaction": {
			args: []string{"upgrade", "commit", "civic-2"},
			replies: map[string]string{"Commit": `{"upgrade":{"id":"civic-2","chaincode":"civic","version":"2.0","sequence":"2","status":"committed",
				"packageId":"civic_2.0:00cc2c6f74836639718261d1073f20a43ed8fcbc1182ccffbc9a4d0d95587a51",
				"proposedBy":"RegistryMSP","proposedAt":"2026-12-03T06:04:24Z","approvals":[{"mspId":"RegistryMSP","approvedAt":"2026-12-03T06:04:25Z"}],
				"commitTransactionId":"c0bf8a2c","commitBlock":"24","committedBy":"TreasuryMSP","committedAt":"2026-12-03T06:04:27Z"},` + testCommitted + `}`},
			requests: map[string]string{"Commit": `{"upgradeId":"civic-2"}`},
		},
		"list passes the status filter": {
			args:     []string{"upgrade", "list", "--status", "open"},
			replies:  map[string]string{"ListUpgrades": `{"upgrades":[` + testUpgrade + `]}`},
			requests: map[string]string{"ListUpgrades": `{"status":"open"}`},
		},
		"definition shows who approved the next one and who not yet": {
			args: []string{"upgrade", "definition"},
			replies: map[string]string{"GetDefinition": `{"name":"civic","version":"1.0","sequence":"1",
				"approvals":{"RegistryMSP":true,"TreasuryMSP":true,"CouncilMSP":true},
				"nextApprovals":{"RegistryMSP":true,"TreasuryMSP":false,"CouncilMSP":true},"nextVersion":"2.0"}`},
			requests: map[string]string{"GetDefinition": `{}`},
		},
	})
}
