package ledgerctl

import "testing"

func TestPeopleCommands(t *testing.T) {
	runCommandCases(t, map[string]commandCase{
		"add sends staff id and role and prints the one-time secret": {
			args: []string{"people", "add", "R-4711", "--role", "clerk"},
			replies: map[string]string{"AddPerson": `{"person":{"staffId":"R-4711","role":"clerk","status":"active"},
				"secret":"s3cret","caAddress":"127.0.0.1:7054","caName":"ca-registry","mspId":"RegistryMSP"}`},
			requests: map[string]string{"AddPerson": `{"staffId":"R-4711","role":"clerk"}`},
		},
		"list prints a table": {
			args: []string{"people", "list"},
			replies: map[string]string{"ListPeople": `{"people":[{"staffId":"R-4711","role":"clerk","status":"active"},
				{"staffId":"R-4712","role":"approver","status":"suspended"}]}`},
		},
		"suspend names the person": {
			args:     []string{"people", "suspend", "R-4711"},
			replies:  map[string]string{"SuspendPerson": `{"staffId":"R-4711","role":"clerk","status":"suspended"}`},
			requests: map[string]string{"SuspendPerson": `{"staffId":"R-4711"}`},
		},
		"reinstate names the person": {
			args:     []string{"people", "reinstate", "R-4711"},
			replies:  map[string]string{"ReinstatePerson": `{"staffId":"R-4711","role":"clerk","status":"active"}`},
			requests: map[string]string{"ReinstatePerson": `{"staffId":"R-4711"}`},
		},
		"revoke names the person": {
			args:     []string{"people", "revoke", "R-4711"},
			replies:  map[string]string{"RevokePerson": `{"staffId":"R-4711","role":"clerk","status":"revoked"}`},
			requests: map[string]string{"RevokePerson": `{"staffId":"R-4711"}`},
		},
		"rotate prints the new secret": {
			args: []string{"people", "rotate", "R-4711"},
			replies: map[string]string{"RotatePerson": `{"person":{"staffId":"R-4711","role":"clerk","status":"active"},
				"secret":"0011","caAddress":"127.0.0.1:7054","caName":"ca-registry","mspId":"RegistryMSP"}`},
			requests: map[string]string{"RotatePerson": `{"staffId":"R-4711"}`},
		},
		"membership propose-revocation-list sends the expiry": {
			args:     []string{"membership", "propose-revocation-list", "--expires-in", "48h"},
			replies:  map[string]string{"ProposeRevocationList": `{"proposal":{"id":"p1","kind":"revocation-list","subjectMspId":"RegistryMSP","status":"open"}}`},
			requests: map[string]string{"ProposeRevocationList": `{"expiresInSeconds":"172800"}`},
		},
	})
}

func TestPeopleRefusals(t *testing.T) {
	runRefusals(t, map[string]refusal{
		"enroll needs a folder":     {[]string{"people", "enroll", "R-4711"}, "--dir is required"},
		"add needs one staff id":    {[]string{"people", "add", "--role", "clerk"}, "accepts 1 arg"},
		"an identity folder to use": {[]string{"--identity", "/nonexistent/id", "people", "list"}, "enrol first: ledgerctl people enroll"},
	})
}
