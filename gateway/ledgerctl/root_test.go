package ledgerctl

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
)

func TestDirectoryAndLedgerCommands(t *testing.T) {
	profiles := `[{"mspId":"CouncilMSP","displayName":"Council","kind":"city","contact":"c@x.org","updatedAt":"2026-11-23T09:35:55Z"},
		{"mspId":"RegistryMSP","displayName":"Registry","kind":"agency","contact":"r@x.org","updatedAt":"2026-11-23T09:35:55Z"}]`
	runCommandCases(t, map[string]commandCase{
		"directory set-profile prints the transaction": {
			args:     []string{"directory", "set-profile", "--display-name", "Council Secretariat", "--kind", "city", "--contact", "c@x.org"},
			replies:  map[string]string{"SetProfile": `{"profile":{"mspId":"CouncilMSP"},` + testCommitted + `}`},
			requests: map[string]string{"SetProfile": `{"displayName":"Council Secretariat","kind":"city","contact":"c@x.org"}`},
		},
		"directory get prints one row": {
			args:     []string{"directory", "get", "CouncilMSP"},
			replies:  map[string]string{"GetProfile": `{"mspId":"CouncilMSP","displayName":"Council","kind":"city"}`},
			requests: map[string]string{"GetProfile": `{"mspId":"CouncilMSP"}`},
		},
		"directory list prints a table": {
			args:    []string{"directory", "list"},
			replies: map[string]string{"ListProfiles": `{"profiles":` + profiles + `}`},
		},
		"directory list says when an administration left": {
			args: []string{"directory", "list"},
			replies: map[string]string{"ListProfiles": `{"profiles":[{"mspId":"CouncilMSP","displayName":"Council","kind":"city","contact":"c@x.org","updatedAt":"2026-11-23T09:35:55Z"},
				{"mspId":"TreasuryMSP","displayName":"Treasury","kind":"ministry","contact":"t@x.org","updatedAt":"2026-11-23T09:35:55Z","leftAt":"2026-12-02T18:20:00Z","leftConfigBlock":"81"}]}`},
		},
		"ledger tx prints the transaction": {
			args: []string{"ledger", "tx", testTx},
			replies: map[string]string{"GetTransaction": `{"transactionId":"` + testTx + `","blockNumber":"4","validationCode":"VALID",
				"valid":true,"function":"Documents:Register","creatorMspId":"RegistryMSP","endorsers":["RegistryMSP","TreasuryMSP"],
				"timestamp":"2026-11-23T09:48:54Z"}`},
			requests: map[string]string{"GetTransaction": `{"transactionId":"` + testTx + `"}`},
		},
		"ledger block prints its transactions": {
			args: []string{"ledger", "block", "4"},
			replies: map[string]string{"GetBlock": `{"number":"4","previousHash":"AQI=","transactions":[
				{"transactionId":"t1","validationCode":"VALID"},{"transactionId":"t2","validationCode":"MVCC_READ_CONFLICT"}]}`},
			requests: map[string]string{"GetBlock": `{"number":"4"}`},
		},
		"ledger info prints the height": {
			args:    []string{"ledger", "info"},
			replies: map[string]string{"GetChainInfo": `{"height":"60","currentBlockHash":"sbhv"}`},
		},
		"ledger history prints every version": {
			args: []string{"ledger", "history", "document", "RegistryMSP", "EXT-1"},
			replies: map[string]string{"GetRecordHistory": `{"versions":[{"transactionId":"t1","timestamp":"2026-11-23T09:35:55Z",
				"valueJson":"{\"id\":\"EXT-1\"}"},{"transactionId":"t2","timestamp":"2026-11-24T09:35:55Z","deleted":true}]}`},
			requests: map[string]string{"GetRecordHistory": `{"kind":"RECORD_KIND_DOCUMENT","key":["RegistryMSP","EXT-1"]}`},
		},
	})
}

func TestEventsCommand(t *testing.T) {
	g := startFakeGateway(t)
	ev := func(n string) string {
		return `{"type":"documents.Registered","transactionId":"t` + n + `","payloadJson":"{}","blockNumber":"` + n +
			`","checkpoint":{"blockNumber":"` + n + `","transactionId":"t` + n + `"}}`
	}
	t.Run("events prints each event with its checkpoint and stops after --max", func(t *testing.T) {
		g.reset()
		g.reply("Subscribe", ev("3"), ev("4"), ev("5"))
		out, err := g.run("events", "--type", "documents.", "--after", "2:t2", "--max", "2")
		require.NoError(t, err)
		require.Equal(t, "documents.Registered  t3  {}  checkpoint 3:t3\ndocuments.Registered  t4  {}  checkpoint 4:t4\n", out)
		g.requireRequest(t, "Subscribe", `{"types":["documents."],"after":{"blockNumber":"2","transactionId":"t2"}}`)
	})
	t.Run("a malformed checkpoint is refused before dialling", func(t *testing.T) {
		_, err := g.run("events", "--after", "t2")
		require.EqualError(t, err, `checkpoint "t2" is not BLOCK:TRANSACTION_ID`)
	})
}

func TestParseCheckpoint(t *testing.T) {
	for in, want := range map[string]*apiv1.Checkpoint{
		"12:abc":   {BlockNumber: 12, TransactionId: "abc"},
		"0:a:b":    {BlockNumber: 0, TransactionId: "a:b"},
		"12":       nil,
		"12:":      nil,
		":abc":     nil,
		"-1:abc":   nil,
		"x:abc":    nil,
		"":         nil,
		" 12:abc ": nil,
	} {
		t.Run("checkpoint "+in+" is parsed as BLOCK:TRANSACTION_ID or refused", func(t *testing.T) {
			got, err := parseCheckpoint(in)
			if want == nil {
				require.EqualError(t, err, `checkpoint "`+in+`" is not BLOCK:TRANSACTION_ID`)
				return
			}
			require.NoError(t, err)
			require.Equal(t, want.BlockNumber, got.BlockNumber)
			require.Equal(t, want.TransactionId, got.TransactionId)
		})
	}
}

func TestReadJSONArg(t *testing.T) {
	t.Run("a request is read inline or from @file", func(t *testing.T) {
		for _, arg := range []string{`{"id":"x"}`, "@" + writeTestFile(t, "req.json", `{"id":"x"}`)} {
			var req apiv1.GetDocumentRequest
			require.NoError(t, readJSONArg(arg, &req))
			require.Equal(t, "x", req.Id)
		}
	})
	t.Run("a field the request does not have is refused naming the message", func(t *testing.T) {
		var req apiv1.GetDocumentRequest
		require.ErrorContains(t, readJSONArg(`{"nope":1}`, &req), "request is not valid JSON for GetDocumentRequest")
	})
	t.Run("a missing @file is an error", func(t *testing.T) {
		var req apiv1.GetDocumentRequest
		require.Error(t, readJSONArg("@/nonexistent/req.json", &req))
	})
}

func TestRootOptions(t *testing.T) {
	g := startFakeGateway(t)
	t.Run("--json prints the API's JSON instead of a summary", func(t *testing.T) {
		g.reset()
		g.reply("GetProfile", `{"mspId":"CouncilMSP","displayName":"Council"}`)
		out, err := g.run("--json", "directory", "get", "CouncilMSP")
		require.NoError(t, err)
		var got map[string]any
		require.NoError(t, json.Unmarshal([]byte(out), &got))
		require.Equal(t, map[string]any{"mspId": "CouncilMSP", "displayName": "Council", "kind": "", "contact": "", "updatedAt": "", "leftAt": "", "leftConfigBlock": "0"}, got)
	})
	t.Run("a missing connection file says how to get one", func(t *testing.T) {
		root := NewRoot()
		root.SetArgs([]string{"--connection", t.TempDir() + "/none.json", "directory", "list"})
		require.ErrorContains(t, root.Execute(), "(start the network with scripts/up.sh, or pass --connection)")
	})
}

func TestDescribe(t *testing.T) {
	t.Run("a gRPC error prints as its code and message", func(t *testing.T) {
		require.Equal(t, "NotFound: no document X", Describe(status.Error(codes.NotFound, "no document X")))
	})
	t.Run("another error prints as itself", func(t *testing.T) {
		require.Equal(t, "boom", Describe(errors.New("boom")))
	})
}
