package contracts_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/civicledger/civicledger/chaincode/contracts"
	"github.com/civicledger/civicledger/chaincode/internal/fakestub"
)

func TestChaincode(t *testing.T) {
	cc, err := contracts.New()
	require.NoError(t, err)
	admin := fakestub.NewIdentity(t, "RegistryMSP", "alice", contracts.RoleAdmin)
	clerk := fakestub.NewIdentity(t, "TreasuryMSP", "dave", contracts.RoleClerk)
	stub := fakestub.New()

	invoke := func(id fakestub.Identity, fn string, args ...string) (int32, string, string) {
		stub.As(id).SetArgs(fn, args...)
		resp := cc.Invoke(stub)
		return resp.Status, string(resp.Payload), resp.Message
	}

	t.Run("an empty directory lists as a json empty array", func(t *testing.T) {
		status, payload, msg := invoke(clerk, "Directory:ListProfiles")
		require.EqualValues(t, 200, status, msg)
		require.Equal(t, "[]", payload)
	})

	t.Run("transactions are named Directory:<Transaction> and return json", func(t *testing.T) {
		status, payload, msg := invoke(admin, "Directory:SetProfile", "Registry", "agency", "registry@example.org")
		require.EqualValues(t, 200, status, msg)
		var p contracts.Profile
		require.NoError(t, json.Unmarshal([]byte(payload), &p))
		require.Equal(t, "RegistryMSP", p.MSPID)

		status, payload, msg = invoke(clerk, "Directory:GetProfile", "RegistryMSP")
		require.EqualValues(t, 200, status, msg)
		require.JSONEq(t, `{"mspId":"RegistryMSP","displayName":"Registry","kind":"agency",
			"contact":"registry@example.org","updatedAt":"2024-01-02T03:04:05Z","updatedBy":"`+admin.ID+`"}`, payload)
	})

	t.Run("errors reach the client as messages with a code prefix", func(t *testing.T) {
		for name, tc := range map[string]struct {
			id   fakestub.Identity
			fn   string
			args []string
			code contracts.Code
		}{
			"a missing profile":       {clerk, "Directory:GetProfile", []string{"NobodyMSP"}, contracts.CodeNotFound},
			"a clerk setting":         {clerk, "Directory:SetProfile", []string{"T", "ministry", "t@example.org"}, contracts.CodePermissionDenied},
			"an invalid kind":         {admin, "Directory:SetProfile", []string{"R", "school", "r@example.org"}, contracts.CodeInvalidArgument},
			"a malformed msp id":      {clerk, "Directory:GetProfile", []string{"bad id"}, contracts.CodeInvalidArgument},
			"a blank display name":    {admin, "Directory:SetProfile", []string{" ", "agency", "r@example.org"}, contracts.CodeInvalidArgument},
			"an over-long contact":    {admin, "Directory:SetProfile", []string{"R", "agency", strings.Repeat("x", 201)}, contracts.CodeInvalidArgument},
			"a malformed msp id (\")": {clerk, "Directory:GetProfile", []string{`"`}, contracts.CodeInvalidArgument},
		} {
			t.Run(name, func(t *testing.T) {
				status, _, msg := invoke(tc.id, tc.fn, tc.args...)
				require.EqualValues(t, 500, status)
				require.True(t, strings.HasPrefix(msg, string(tc.code)+": "), "message %q", msg)
				code, ok := contracts.ParseCode("chaincode response 500, " + msg)
				require.True(t, ok)
				require.Equal(t, tc.code, code)
			})
		}
	})

	t.Run("read-only transactions are marked evaluate in the metadata", func(t *testing.T) {
		status, payload, msg := invoke(clerk, "org.hyperledger.fabric:GetMetadata")
		require.EqualValues(t, 200, status, msg)
		var md struct {
			Contracts map[string]struct {
				Transactions []struct {
					Name string   `json:"name"`
					Tags []string `json:"tag"`
				} `json:"transactions"`
			} `json:"contracts"`
		}
		require.NoError(t, json.Unmarshal([]byte(payload), &md))
		tags := map[string][]string{}
		for _, tx := range md.Contracts[contracts.DirectoryContractName].Transactions {
			tags[tx.Name] = tx.Tags
		}
		require.Len(t, tags, 3)
		require.Contains(t, tags["SetProfile"], "submit")
		require.Contains(t, tags["GetProfile"], "evaluate")
		require.Contains(t, tags["ListProfiles"], "evaluate")
	})
}
