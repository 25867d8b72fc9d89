package ledgerctl

import (
	"os"
	"path/filepath"
	"testing"
)

const (
	testHash       = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08" // SHA-256 of "test"
	testSubjectRef = "cc965e5774539340094a978f3eca96677cac9afefc0fa5ccb275fd487fd02b0e"
	testTx         = "0148a8daa820160a04cd1e09b51581a82416b95c6fcb7d1f7d3d0b6f443323d3"
	testCommitted  = `"committed":{"transactionId":"` + testTx + `","blockNumber":"4"}`
)

// testDocument is a valid debt extract of RegistryMSP with two key facts.
const testDocument = `{"issuer":"RegistryMSP","id":"EXT-2024-0001","type":"DOCUMENT_TYPE_DEBT_EXTRACT",
	"sha256":"` + testHash + `","keyFacts":{"totalAmount":"CHF 1234.50","proceedings":"3"},
	"validFrom":"2026-01-01T00:00:00Z","validUntil":"2027-01-01T00:00:00Z","subjectRef":"` + testSubjectRef + `",
	"status":"DOCUMENT_STATUS_VALID","registeredAt":"2026-11-23T09:48:54Z","registeredBy":"clerk"}`

// writeTestFile writes content to a file of a temporary folder.
func writeTestFile(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestDocumentsCommands(t *testing.T) {
	file := writeTestFile(t, "extract.pdf", "test")
	runCommandCases(t, map[string]commandCase{
		"register hashes the file, reads the facts and prints the document and its transaction": {
			args: []string{"documents", "register", "--id", "EXT-2024-0001", "--type", "debt-extract", "--file", file,
				"--fact", "proceedings=3", "--fact", "totalAmount=CHF 1234.50", "--valid-from", "2026-01-01T00:00:00Z",
				"--valid-until", "2027-01-01T00:00:00Z", "--subject-ref", testSubjectRef},
			replies: map[string]string{"RegisterDocument": `{"document":` + testDocument + `,` + testCommitted + `}`},
			requests: map[string]string{"RegisterDocument": `{"id":"EXT-2024-0001","type":"DOCUMENT_TYPE_DEBT_EXTRACT",
				"sha256":"` + testHash + `","keyFacts":{"proceedings":"3","totalAmount":"CHF 1234.50"},
				"validFrom":"2026-01-01T00:00:00Z","validUntil":"2027-01-01T00:00:00Z","subjectRef":"` + testSubjectRef + `"}`},
		},
		"register lays the field flags over a JSON request": {
			args: []string{"documents", "register", "--request", `{"id":"A-1","type":"DOCUMENT_TYPE_PERMIT","sha256":"` + testHash + `",
				"validFrom":"2026-01-01T00:00:00Z","subjectRef":"` + testSubjectRef + `"}`, "--id", "B-2", "--type", "certificate"},
			replies: map[string]string{"RegisterDocument": `{"document":` + testDocument + `,` + testCommitted + `}`},
			requests: map[string]string{"RegisterDocument": `{"id":"B-2","type":"DOCUMENT_TYPE_CERTIFICATE","sha256":"` + testHash + `",
				"validFrom":"2026-01-01T00:00:00Z","subjectRef":"` + testSubjectRef + `"}`},
		},
		"set-subject sends the inline JSON and prints the transaction": {
			args:     []string{"documents", "set-subject", "EXT-2024-0001", "--subject", `{"salt":"s","name":"x"}`},
			replies:  map[string]string{"SetDocumentSubject": `{` + testCommitted + `}`},
			requests: map[string]string{"SetDocumentSubject": `{"id":"EXT-2024-0001","subjectJson":"{\"salt\":\"s\",\"name\":\"x\"}"}`},
		},
		"set-subject reads the subject from a file": {
			args:     []string{"documents", "set-subject", "EXT-2024-0001", "--subject", "@" + writeTestFile(t, "subject.json", `{"salt":"f"}`)},
			replies:  map[string]string{"SetDocumentSubject": `{` + testCommitted + `}`},
			requests: map[string]string{"SetDocumentSubject": `{"id":"EXT-2024-0001","subjectJson":"{\"salt\":\"f\"}"}`},
		},
		"revoke prints the reason and the transaction": {
			args: []string{"documents", "revoke", "PERMIT-17", "--reason", "issued in error"},
			replies: map[string]string{"RevokeDocument": `{"document":{"issuer":"RegistryMSP","id":"PERMIT-17","type":"DOCUMENT_TYPE_PERMIT",
				"status":"DOCUMENT_STATUS_REVOKED","revokedReason":"issued in error"},` + testCommitted + `}`},
			requests: map[string]string{"RevokeDocument": `{"id":"PERMIT-17","reason":"issued in error"}`},
		},
		"supersede prints the new document and the transaction": {
			args: []string{"documents", "supersede", "EXT-2024-0001", "EXT-2024-0002"},
			replies: map[string]string{"SupersedeDocument": `{"document":{"issuer":"RegistryMSP","id":"EXT-2024-0001",
				"status":"DOCUMENT_STATUS_SUPERSEDED","supersededBy":"EXT-2024-0002"},` + testCommitted + `}`},
			requests: map[string]string{"SupersedeDocument": `{"id":"EXT-2024-0001","newId":"EXT-2024-0002"}`},
		},
		"purge-subject prints the transaction": {
			args:     []string{"documents", "purge-subject", "EXT-2024-0001"},
			replies:  map[string]string{"PurgeDocumentSubject": `{` + testCommitted + `}`},
			requests: map[string]string{"PurgeDocumentSubject": `{"id":"EXT-2024-0001"}`},
		},
		"get prints the document with its facts in name order": {
			args:     []string{"documents", "get", "EXT-2024-0001", "--issuer", "RegistryMSP"},
			replies:  map[string]string{"GetDocument": testDocument},
			requests: map[string]string{"GetDocument": `{"issuer":"RegistryMSP","id":"EXT-2024-0001"}`},
		},
		"get prints a document without end of validity and with a status change": {
			args: []string{"documents", "get", "CERT-1"},
			replies: map[string]string{"GetDocument": `{"issuer":"TreasuryMSP","id":"CERT-1","type":"DOCUMENT_TYPE_CERTIFICATE",
				"sha256":"` + testHash + `","validFrom":"2026-01-01T00:00:00Z","status":"DOCUMENT_STATUS_REVOKED","revokedReason":"lost",
				"registeredAt":"2026-11-23T09:49:22Z","statusChangedAt":"2026-11-24T10:00:00Z"}`},
			requests: map[string]string{"GetDocument": `{"id":"CERT-1"}`},
		},
		"verify prints the verdict": {
			args: []string{"documents", "verify", "EXT-2024-0001", "--issuer", "RegistryMSP"},
			replies: map[string]string{"VerifyDocument": `{"verdict":{"status":"DOCUMENT_STATUS_SUPERSEDED","issuer":"RegistryMSP",
				"id":"EXT-2024-0001","type":"DOCUMENT_TYPE_DEBT_EXTRACT","sha256":"` + testHash + `","validFrom":"2026-01-01T00:00:00Z",
				"validUntil":"2027-01-01T00:00:00Z","supersededBy":"EXT-2024-0002","checkedAt":"2026-11-23T09:49:11Z"}}`},
			requests: map[string]string{"VerifyDocument": `{"issuer":"RegistryMSP","id":"EXT-2024-0001"}`},
			exit:     ExitNegative,
		},
		"verify-hash of a file prints every verdict": {
			args: []string{"documents", "verify-hash", "--file", file},
			replies: map[string]string{"VerifyDocumentHash": `{"verdicts":[
				{"status":"DOCUMENT_STATUS_REVOKED","issuer":"RegistryMSP","id":"PERMIT-17","type":"DOCUMENT_TYPE_PERMIT",
				 "validFrom":"2026-11-23T09:49:10Z","revokedReason":"issued in error","checkedAt":"2026-11-23T09:49:23Z"},
				{"status":"DOCUMENT_STATUS_VALID","issuer":"TreasuryMSP","id":"CERT-1","type":"DOCUMENT_TYPE_CERTIFICATE",
				 "validFrom":"2026-01-01T00:00:00Z","checkedAt":"2026-11-23T09:49:23Z"}]}`},
			requests: map[string]string{"VerifyDocumentHash": `{"sha256":"` + testHash + `"}`},
		},
		"verify-hash of an unknown hash says unknown": {
			args: []string{"documents", "verify-hash", testHash},
			replies: map[string]string{"VerifyDocumentHash": `{"verdicts":[{"status":"DOCUMENT_STATUS_UNKNOWN",
				"sha256":"` + testHash + `","checkedAt":"2026-11-23T09:49:11Z"}]}`},
			requests: map[string]string{"VerifyDocumentHash": `{"sha256":"` + testHash + `"}`},
			exit:     ExitNegative,
		},
		"list prints a table and the next page token": {
			args: []string{"documents", "list", "--issuer", "RegistryMSP", "--type", "debt-extract", "--page-size", "2", "--page-token", "p1"},
			replies: map[string]string{"ListDocuments": `{"documents":[` + testDocument + `,
				{"issuer":"RegistryMSP","id":"PERMIT-17","type":"DOCUMENT_TYPE_PERMIT","status":"DOCUMENT_STATUS_NOT_YET_VALID",
				 "sha256":"abc","validFrom":"2026-11-23T09:49:10Z"}],"nextPageToken":"p2"}`},
			requests: map[string]string{"ListDocuments": `{"issuer":"RegistryMSP","type":"DOCUMENT_TYPE_DEBT_EXTRACT","pageSize":2,"pageToken":"p1"}`},
		},
		"history prints every version, a deleted one as deleted": {
			args: []string{"documents", "history", "EXT-2024-0001"},
			replies: map[string]string{"GetDocumentHistory": `{"versions":[
				{"transactionId":"t2","timestamp":"2026-11-23T09:49:09Z","document":{"status":"DOCUMENT_STATUS_SUPERSEDED"}},
				{"transactionId":"t1","timestamp":"2026-11-23T09:48:54Z","isDelete":true}]}`},
			requests: map[string]string{"GetDocumentHistory": `{"id":"EXT-2024-0001"}`},
		},
		"get-subject prints the subject JSON": {
			args:     []string{"documents", "get-subject", "EXT-2024-0001"},
			replies:  map[string]string{"GetDocumentSubject": `{"id":"EXT-2024-0001","subjectJson":"{\"salt\":\"s\"}"}`},
			requests: map[string]string{"GetDocumentSubject": `{"id":"EXT-2024-0001"}`},
		},
	})
}
