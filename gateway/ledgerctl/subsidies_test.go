package ledgerctl

import (
	"testing"

	"github.com/stretchr/testify/require"

	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
)

const testProgramme = `{"grantingMspId":"RegistryMSP","programmeId":"DIGI-2024","name":"Digital shops",
	"budgetMinor":"100000000","currency":"EUR","legalBasis":"Regional Law 12/2023, art. 4","periodStart":"2024-01-01",
	"periodEnd":"2026-12-31","deMinimis":true,"createdAt":"2024-01-02T10:00:00Z","createdBy":"admin"}`

const testGrant = `{"grantingMspId":"RegistryMSP","programmeId":"DIGI-2024","grantId":"G-0001","beneficiary":"FR12345678901",
	"amountMinor":"2500000","currency":"EUR","deMinimis":true,"purpose":"Online shop","status":"SUBSIDY_GRANT_STATUS_APPROVED",
	"proposedAt":"2024-02-01T10:00:00Z","decidedAt":"2024-02-02T10:00:00Z","decidedByMspId":"TreasuryMSP","paidTotalMinor":"1000000"}`

func TestSubsidiesCommands(t *testing.T) {
	runCommandCases(t, map[string]commandCase{
		"create-programme sends the flags and prints the budget": {
			args: []string{"subsidies", "create-programme", "--id", "DIGI-2024", "--name", "Digital shops", "--budget-minor", "100000000",
				"--legal-basis", "Regional Law 12/2023, art. 4", "--period-start", "2024-01-01", "--period-end", "2026-12-31", "--de-minimis=true"},
			replies: map[string]string{"CreateProgramme": `{"programme":` + testProgramme + `,` + testCommitted + `}`},
			requests: map[string]string{"CreateProgramme": `{"programmeId":"DIGI-2024","name":"Digital shops","budgetMinor":"100000000",
				"currency":"EUR","legalBasis":"Regional Law 12/2023, art. 4","periodStart":"2024-01-01","periodEnd":"2026-12-31","deMinimis":true}`},
		},
		"create-programme takes a whole JSON request": {
			args: []string{"subsidies", "create-programme", "--request", `{"programmeId":"P","name":"n","budgetMinor":"5","currency":"ISK",
				"legalBasis":"l","periodStart":"2024-01-01","periodEnd":"2024-12-31","deMinimis":false}`},
			replies: map[string]string{"CreateProgramme": `{"programme":{"grantingMspId":"RegistryMSP","programmeId":"P","budgetMinor":"5",
				"currency":"ISK","periodStart":"2024-01-01","periodEnd":"2024-12-31"},` + testCommitted + `}`},
			requests: map[string]string{"CreateProgramme": `{"programmeId":"P","name":"n","budgetMinor":"5","currency":"ISK",
				"legalBasis":"l","periodStart":"2024-01-01","periodEnd":"2024-12-31","deMinimis":false}`},
		},
		"propose prints the grant and who must approve it": {
			args: []string{"subsidies", "propose", "--programme", "DIGI-2024", "--grant", "G-0001", "--beneficiary", "FR12345678901",
				"--amount-minor", "2500000", "--purpose", "Online shop"},
			replies: map[string]string{"ProposeGrant": `{"grant":` + testGrant + `,` + testCommitted + `}`},
			requests: map[string]string{"ProposeGrant": `{"programmeId":"DIGI-2024","grantId":"G-0001","beneficiary":"FR12345678901",
				"amountMinor":"2500000","purpose":"Online shop"}`},
		},
		"approve prints who approved": {
			args:     []string{"subsidies", "approve", "RegistryMSP", "G-0001"},
			replies:  map[string]string{"ApproveGrant": `{"grant":` + testGrant + `,` + testCommitted + `}`},
			requests: map[string]string{"ApproveGrant": `{"grantingMspId":"RegistryMSP","grantId":"G-0001"}`},
		},
		"reject prints the reason": {
			args: []string{"subsidies", "reject", "RegistryMSP", "G-0002", "--reason", "not an SME"},
			replies: map[string]string{"RejectGrant": `{"grant":{"grantingMspId":"RegistryMSP","grantId":"G-0002",
				"decidedByMspId":"TreasuryMSP","rejectionReason":"not an SME"},` + testCommitted + `}`},
			requests: map[string]string{"RejectGrant": `{"grantingMspId":"RegistryMSP","grantId":"G-0002","reason":"not an SME"}`},
		},
		"pay prints the amounts in the grant's currency": {
			args: []string{"subsidies", "pay", "RegistryMSP", "G-0001", "--payment", "P-1", "--amount-minor", "1000000"},
			replies: map[string]string{
				"RecordPayment": `{"payment":{"grantingMspId":"RegistryMSP","grantId":"G-0001","paymentId":"P-1","amountMinor":"1000000",
					"paidTotalMinor":"1000000"},` + testCommitted + `}`,
				"GetGrant": `{"grant":` + testGrant + `}`,
			},
			requests: map[string]string{
				"RecordPayment": `{"grantingMspId":"RegistryMSP","grantId":"G-0001","paymentId":"P-1","amountMinor":"1000000"}`,
				"GetGrant":      `{"grantingMspId":"RegistryMSP","grantId":"G-0001"}`,
			},
		},
		"pay prints minor units when the grant cannot be read": {
			args: []string{"subsidies", "pay", "RegistryMSP", "G-0001", "--payment", "P-2", "--amount-minor", "5"},
			replies: map[string]string{"RecordPayment": `{"payment":{"grantingMspId":"RegistryMSP","grantId":"G-0001","paymentId":"P-2",
				"amountMinor":"5","paidTotalMinor":"1000005"},` + testCommitted + `}`},
		},
		"get-programme prints the state of the budget": {
			args: []string{"subsidies", "get-programme", "RegistryMSP", "DIGI-2024"},
			replies: map[string]string{"GetProgramme": `{"programme":` + testProgramme + `,"approvedTotalMinor":"2500000",
				"approvedGrants":1,"remainingMinor":"97500000"}`},
			requests: map[string]string{"GetProgramme": `{"grantingMspId":"RegistryMSP","programmeId":"DIGI-2024"}`},
		},
		"get-grant prints the grant and its payments": {
			args: []string{"subsidies", "get-grant", "RegistryMSP", "G-0001"},
			replies: map[string]string{"GetGrant": `{"grant":` + testGrant + `,"payments":[{"paymentId":"P-1","amountMinor":"1000000",
				"recordedAt":"2024-03-01T10:00:00Z"}]}`},
			requests: map[string]string{"GetGrant": `{"grantingMspId":"RegistryMSP","grantId":"G-0001"}`},
		},
		"get-grant prints a rejected grant with its reason": {
			args: []string{"subsidies", "get-grant", "RegistryMSP", "G-0002"},
			replies: map[string]string{"GetGrant": `{"grant":{"grantingMspId":"RegistryMSP","programmeId":"DIGI-2024","grantId":"G-0002",
				"beneficiary":"FR1","amountMinor":"99","currency":"EUR","status":"SUBSIDY_GRANT_STATUS_REJECTED",
				"proposedAt":"2024-02-01T10:00:00Z","decidedAt":"2024-02-02T10:00:00Z","decidedByMspId":"TreasuryMSP",
				"rejectionReason":"not an SME"}}`},
		},
		"list-grants prints a table and the next page token": {
			args: []string{"subsidies", "list-grants", "RegistryMSP", "DIGI-2024", "--page-size", "1", "--page-token", "p1"},
			replies: map[string]string{"ListGrants": `{"grants":[` + testGrant + `,{"grantId":"G-0003","beneficiary":"FR2",
				"amountMinor":"100","currency":"EUR","status":"SUBSIDY_GRANT_STATUS_PROPOSED"}],"nextPageToken":"p2"}`},
			requests: map[string]string{"ListGrants": `{"grantingMspId":"RegistryMSP","programmeId":"DIGI-2024","pageSize":1,"pageToken":"p1"}`},
		},
		"aid-received prints the total and each award": {
			args: []string{"subsidies", "aid-received", "FR12345678901"},
			replies: map[string]string{"AidReceived": `{"beneficiary":"FR12345678901","currency":"EUR","windowStart":"2021-11-23",
				"windowEnd":"2024-11-23","totalMinor":"2500000","ceilingMinor":"30000000","remainingMinor":"27500000",
				"awards":[{"grantingMspId":"RegistryMSP","programmeId":"DIGI-2024","grantId":"G-0001","amountMinor":"2500000",
				"approvedAt":"2024-02-02T10:00:00Z"}]}`},
			requests: map[string]string{"AidReceived": `{"beneficiary":"FR12345678901"}`},
		},
		"aid-received of an undertaking without aid prints one line": {
			args: []string{"subsidies", "aid-received", "FR2"},
			replies: map[string]string{"AidReceived": `{"beneficiary":"FR2","currency":"EUR","windowStart":"2021-11-23",
				"windowEnd":"2024-11-23","ceilingMinor":"30000000","remainingMinor":"30000000"}`},
		},
	})
}

func TestSubsidiesCommandChecks(t *testing.T) {
	runRefusals(t, map[string]refusal{
		"create-programme without --de-minimis is refused rather than exempted": {
			args: []string{"subsidies", "create-programme", "--id", "P"},
			want: "--de-minimis=true|false is required",
		},
		"create-programme refuses a field flag with --request": {
			args: []string{"subsidies", "create-programme", "--request", "{}", "--name", "n"},
			want: "--name cannot be combined with --request",
		},
		"propose refuses a field flag with --request": {
			args: []string{"subsidies", "propose", "--request", "{}", "--amount-minor", "5"},
			want: "--amount-minor cannot be combined with --request",
		},
	})
}

func TestSubsidyStatus(t *testing.T) {
	t.Run("a decided status names the deciding administration", func(t *testing.T) {
		require.Equal(t, "rejected by TreasuryMSP", subsidyStatus(&apiv1.SubsidyGrant{
			Status: apiv1.SubsidyGrantStatus_SUBSIDY_GRANT_STATUS_REJECTED, DecidedByMspId: "TreasuryMSP"}))
	})
	t.Run("a proposed grant is one word", func(t *testing.T) {
		require.Equal(t, "proposed", subsidyStatus(&apiv1.SubsidyGrant{Status: apiv1.SubsidyGrantStatus_SUBSIDY_GRANT_STATUS_PROPOSED}))
	})
}
