package ledgerctl

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// testMeeting is a meeting of RegistryMSP's council with one agenda document.
const testMeeting = `{"ownerMspId":"RegistryMSP","id":"2026-04-02-council","bodyId":"council",
	"startsAt":"2026-04-02T18:00:00+02:00","place":"Town hall","agendaHashes":["` + testHash + `"],
	"timeZone":"Europe/Paris","clearDays":5,"deadline":"2026-03-27T23:59:59+01:00",
	"createdAt":"2026-03-01T10:00:00Z","createdTransactionId":"` + testTx + `"}`

func TestConvocationsCommands(t *testing.T) {
	agenda := writeTestFile(t, "agenda.pdf", "test")
	csvFile := writeTestFile(t, "recipients.csv", "# officials\nmessage_hash, recipientRef ,ack_token_hash\n"+
		strings.Repeat("b", 64)+","+strings.Repeat("a", 64)+","+strings.Repeat("c", 64)+"\n"+
		strings.Repeat("e", 64)+","+strings.Repeat("d", 64)+","+strings.Repeat("f", 64)+"\n")
	jsonFile := writeTestFile(t, "recipients.json", ` [{"recipientRef":"`+strings.Repeat("a", 64)+`","messageHash":"`+
		strings.Repeat("b", 64)+`","ackTokenHash":"`+strings.Repeat("c", 64)+`"}]`)
	tokenFile := writeTestFile(t, "token", "s3cret-token\r\n")
	recipients := `[{"recipientRef":"` + strings.Repeat("a", 64) + `","messageHash":"` + strings.Repeat("b", 64) +
		`","ackTokenHash":"` + strings.Repeat("c", 64) + `"},{"recipientRef":"` + strings.Repeat("d", 64) +
		`","messageHash":"` + strings.Repeat("e", 64) + `","ackTokenHash":"` + strings.Repeat("f", 64) + `"}]`
	convened := `{"ownerMspId":"RegistryMSP","meetingId":"2026-04-02-council","sentAt":"2026-03-20T10:00:00Z",
		"convened":2,"onTime":2,"late":0,"convocationIds":["id-1","id-2"],` + testCommitted + `}`

	runCommandCases(t, map[string]commandCase{
		"set-body sends the clear days given and prints the rule and the transaction": {
			args: []string{"convocations", "set-body", "--id", "council", "--name", "Council", "--clear-days", "0", "--time-zone", "Europe/Paris"},
			replies: map[string]string{"SetBody": `{"body":{"ownerMspId":"RegistryMSP","id":"council","name":"Council",
				"clearDays":0,"timeZone":"Europe/Paris","updatedAt":"2026-03-01T09:00:00Z"},` + testCommitted + `}`},
			requests: map[string]string{"SetBody": `{"bodyId":"council","name":"Council","clearDays":0,"timeZone":"Europe/Paris"}`},
		},
		"set-body without clear days leaves them unset": {
			args: []string{"convocations", "set-body", "--id", "council", "--name", "Council", "--time-zone", "Europe/Paris"},
			replies: map[string]string{"SetBody": `{"body":{"ownerMspId":"RegistryMSP","id":"council","name":"Council",
				"clearDays":5,"timeZone":"Europe/Paris"},` + testCommitted + `}`},
			requests: map[string]string{"SetBody": `{"bodyId":"council","name":"Council","timeZone":"Europe/Paris"}`},
		},
		"create-meeting hashes the agenda files after the given hashes": {
			args: []string{"convocations", "create-meeting", "--id", "2026-04-02-council", "--body", "council",
				"--starts-at", "2026-04-02T18:00:00+02:00", "--place", "Town hall", "--agenda-hash", strings.Repeat("0", 64),
				"--agenda-file", agenda},
			replies: map[string]string{"CreateMeeting": `{"meeting":` + testMeeting + `,` + testCommitted + `}`},
			requests: map[string]string{"CreateMeeting": `{"meetingId":"2026-04-02-council","bodyId":"council",
				"startsAt":"2026-04-02T18:00:00+02:00","place":"Town hall","agendaHashes":["` + strings.Repeat("0", 64) + `","` + testHash + `"]}`},
		},
		"convene reads a CSV file with its columns in any order": {
			args:     []string{"convocations", "convene", "--meeting", "2026-04-02-council", "--recipients", csvFile},
			replies:  map[string]string{"Convene": convened},
			requests: map[string]string{"Convene": `{"meetingId":"2026-04-02-council","recipients":` + recipients + `}`},
		},
		"convene reads a JSON list": {
			args:    []string{"convocations", "convene", "--meeting", "2026-04-02-council", "--recipients", jsonFile},
			replies: map[string]string{"Convene": convened},
			requests: map[string]string{"Convene": `{"meetingId":"2026-04-02-council","recipients":[{"recipientRef":"` + strings.Repeat("a", 64) +
				`","messageHash":"` + strings.Repeat("b", 64) + `","ackTokenHash":"` + strings.Repeat("c", 64) + `"}]}`},
		},
		"convene takes a whole JSON request": {
			args:     []string{"convocations", "convene", "--request", `{"meetingId":"m","recipients":` + recipients + `}`},
			replies:  map[string]string{"Convene": convened},
			requests: map[string]string{"Convene": `{"meetingId":"m","recipients":` + recipients + `}`},
		},
		"acknowledge reads the token from a file without its line end": {
			args: []string{"convocations", "acknowledge", "--owner", "RegistryMSP", "--meeting", "2026-04-02-council",
				"--convocation", "id-1", "--token-file", tokenFile},
			replies: map[string]string{"Acknowledge": `{"convocation":{"ownerMspId":"RegistryMSP","meetingId":"2026-04-02-council",
				"id":"id-1","acknowledgedAt":"2026-03-21T08:00:00Z","acknowledgedVia":"link"},` + testCommitted + `}`},
			requests: map[string]string{"Acknowledge": `{"ownerMspId":"RegistryMSP","meetingId":"2026-04-02-council",
				"convocationId":"id-1","token":"s3cret-token"}`},
		},
		"get-body prints the rule": {
			args: []string{"convocations", "get-body", "council", "--owner", "CouncilMSP"},
			replies: map[string]string{"GetBody": `{"body":{"ownerMspId":"CouncilMSP","id":"council","name":"Council",
				"clearDays":3,"timeZone":"Europe/Paris","updatedAt":"2026-03-01T09:00:00Z"}}`},
			requests: map[string]string{"GetBody": `{"ownerMspId":"CouncilMSP","bodyId":"council"}`},
		},
		"get-meeting prints the meeting": {
			args:     []string{"convocations", "get-meeting", "2026-04-02-council"},
			replies:  map[string]string{"GetMeeting": `{"meeting":` + testMeeting + `}`},
			requests: map[string]string{"GetMeeting": `{"meetingId":"2026-04-02-council"}`},
		},
		"get-convocation prints an acknowledged convocation": {
			args: []string{"convocations", "get-convocation", "2026-04-02-council", "id-1"},
			replies: map[string]string{"GetConvocation": `{"convocation":{"ownerMspId":"RegistryMSP","meetingId":"2026-04-02-council",
				"id":"id-1","recipientRef":"r","messageHash":"m","ackTokenHash":"a","sentAt":"2026-03-20T10:00:00Z",
				"sentTransactionId":"t1","onTime":true,"acknowledgedAt":"2026-03-21T08:00:00Z","acknowledgedVia":"link",
				"acknowledgedTransactionId":"t2"}}`},
			requests: map[string]string{"GetConvocation": `{"meetingId":"2026-04-02-council","convocationId":"id-1"}`},
		},
		"get-convocation prints a convocation not yet acknowledged": {
			args: []string{"convocations", "get-convocation", "2026-04-02-council", "id-2", "--owner", "RegistryMSP"},
			replies: map[string]string{"GetConvocation": `{"convocation":{"ownerMspId":"RegistryMSP","meetingId":"2026-04-02-council",
				"id":"id-2","recipientRef":"r","messageHash":"m","ackTokenHash":"a","sentAt":"2026-03-28T10:00:00Z","sentTransactionId":"t1"}}`},
			requests: map[string]string{"GetConvocation": `{"ownerMspId":"RegistryMSP","meetingId":"2026-04-02-council","convocationId":"id-2"}`},
		},
		"summary prints the meeting and its counts": {
			args: []string{"convocations", "summary", "2026-04-02-council"},
			replies: map[string]string{"GetMeetingSummary": `{"summary":{"meeting":` + testMeeting + `,
				"convened":12,"acknowledged":9,"onTime":11,"late":1}}`},
			requests: map[string]string{"GetMeetingSummary": `{"meetingId":"2026-04-02-council"}`},
		},
		"list-meetings prints a table and the next page token": {
			args:     []string{"convocations", "list-meetings", "--owner", "CouncilMSP", "--page-size", "1", "--page-token", "p1"},
			replies:  map[string]string{"ListMeetings": `{"meetings":[` + testMeeting + `],"nextPageToken":"p2"}`},
			requests: map[string]string{"ListMeetings": `{"ownerMspId":"CouncilMSP","pageSize":1,"pageToken":"p1"}`},
		},
	})
}

func TestConvocationsToken(t *testing.T) {
	g := startFakeGateway(t)
	t.Run("token prints a fresh token and the SHA-256 of its text", func(t *testing.T) {
		out, err := g.run("convocations", "token")
		require.NoError(t, err)
		lines := strings.Split(strings.TrimSpace(out), "\n")
		require.Len(t, lines, 2)
		tok, hash := strings.Fields(lines[0]), strings.Fields(lines[1])
		require.Equal(t, "token", tok[0])
		require.Len(t, tok[1], 43, "32 bytes, base64url without padding")
		sum := sha256.Sum256([]byte(tok[1]))
		require.Equal(t, []string{"ack_token_hash", hex.EncodeToString(sum[:])}, hash)
	})
	t.Run("two tokens differ", func(t *testing.T) {
		a, _, err := convNewToken()
		require.NoError(t, err)
		b, _, err := convNewToken()
		require.NoError(t, err)
		require.NotEqual(t, a, b)
	})
}

func TestConvocationsRecipients(t *testing.T) {
	hex64 := func(c string) string { return strings.Repeat(c, 64) }
	t.Run("a CSV file is read by its header, camelCase or snake_case, comments skipped", func(t *testing.T) {
		list, err := convParseRecipientsCSV("r.csv", []byte("# prepared by the clerk\nackTokenHash,recipient_ref,message_hash\n"+
			hex64("c")+", "+hex64("a")+","+hex64("b")+"\n"))
		require.NoError(t, err)
		require.Len(t, list, 1)
		require.Equal(t, hex64("a"), list[0].RecipientRef)
		require.Equal(t, hex64("b"), list[0].MessageHash)
		require.Equal(t, hex64("c"), list[0].AckTokenHash)
	})
	for name, tc := range map[string]struct{ csv, want string }{
		"a column other than the three hashes is refused, so no name reaches the ledger": {
			csv: "recipient_ref,message_hash,ack_token_hash,name\na,b,c,Jean\n", want: `unknown column "name"`},
		"a column given twice is refused": {
			csv: "recipient_ref,recipientRef,message_hash\na,b,c\n", want: `column "recipientRef" appears twice`},
		"a header without every column is refused": {
			csv: "recipient_ref,ack_token_hash\na,b\n", want: "the header must name recipient_ref, message_hash and ack_token_hash"},
		"a file with no recipient is refused": {
			csv: "recipient_ref,message_hash,ack_token_hash\n", want: "want a header row"},
		"a row with a missing cell is refused": {
			csv: "recipient_ref,message_hash,ack_token_hash\na,b\n", want: "wrong number of fields"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := convParseRecipientsCSV("r.csv", []byte(tc.csv))
			require.ErrorContains(t, err, "recipients file r.csv")
			require.ErrorContains(t, err, tc.want)
		})
	}
	t.Run("a JSON list is recognised by its extension or its opening bracket", func(t *testing.T) {
		entry := `[{"recipientRef":"r","messageHash":"m","ackTokenHash":"a"}]`
		for _, path := range []string{writeTestFile(t, "list.JSON", "\n"+entry), writeTestFile(t, "list.txt", entry)} {
			list, err := convReadRecipients(path)
			require.NoError(t, err)
			require.Len(t, list, 1)
			require.Equal(t, "m", list[0].MessageHash)
		}
	})
	t.Run("a JSON list with an unknown field is refused", func(t *testing.T) {
		_, err := convReadRecipients(writeTestFile(t, "list.json", `[{"recipientRef":"r","name":"Jean"}]`))
		require.ErrorContains(t, err, "is not a JSON list of {recipientRef, messageHash, ackTokenHash}")
	})
	t.Run("a missing file is refused naming what was read", func(t *testing.T) {
		_, err := convReadRecipients(t.TempDir() + "/none.csv")
		require.ErrorContains(t, err, "read recipients: ")
	})
}

func TestConvocationsReadToken(t *testing.T) {
	for name, tc := range map[string]struct{ path, want, err string }{
		"the line end an editor adds is dropped": {path: writeTestFile(t, "t1", "abc\n"), want: "abc"},
		"inner spaces are kept":                  {path: writeTestFile(t, "t2", " a b\r\n"), want: " a b"},
		"no file is refused":                     {path: "", err: "--token-file is required"},
		"an empty file is refused":               {path: writeTestFile(t, "t3", "\n"), err: "is empty"},
		"a missing file is refused":              {path: "/nonexistent/token", err: "read token: "},
	} {
		t.Run(name, func(t *testing.T) {
			got, err := convReadToken(tc.path)
			if tc.err != "" {
				require.ErrorContains(t, err, tc.err)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.want, got)
		})
	}
}
