package history_test

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/civicledger/civicledger/chaincode/contracts/base"
	"github.com/civicledger/civicledger/chaincode/contracts/history"
	"github.com/civicledger/civicledger/chaincode/contracts/internal/contracttest"
	"github.com/civicledger/civicledger/chaincode/internal/fakestub"
	"github.com/civicledger/civicledger/chaincode/records"
	"github.com/civicledger/civicledger/chaincode/spec"
)

func TestHistoryRecord(t *testing.T) {
	admin := fakestub.NewIdentity(t, "RegistryMSP", "alice", spec.RoleAdmin)
	stub := fakestub.New()
	stub.SetTxID("tx-first")
	contracttest.SetProfile(t, stub, admin, "Registry", "agency", "r@example.org")
	stub.SetTxID("tx-second")
	contracttest.SetProfile(t, stub, admin, "Registry of Certified Documents", "agency", "r@example.org")
	history := history.New()

	t.Run("every version of a record comes back with the transaction that wrote it", func(t *testing.T) {
		versions, err := history.Record(contracttest.TxContext(stub), "profile", `["RegistryMSP"]`)
		require.NoError(t, err)
		require.Len(t, versions, 2)
		require.Equal(t, "tx-first", versions[0].TxID)
		require.Equal(t, "tx-second", versions[1].TxID)
		var p records.Profile
		require.NoError(t, json.Unmarshal([]byte(versions[1].Value), &p))
		require.Equal(t, "Registry of Certified Documents", p.DisplayName)
		require.NotEmpty(t, versions[0].Timestamp)
	})

	refusals := map[string]struct {
		kind, parts string
		code        base.Code
	}{
		"an unknown kind is refused":               {"secret", `["x"]`, base.CodeInvalidArgument},
		"the wrong number of key parts is refused": {"document", `["RegistryMSP"]`, base.CodeInvalidArgument},
		"key parts that are not a JSON list":       {"profile", `"RegistryMSP"`, base.CodeInvalidArgument},
		"an empty key part is refused":             {"profile", `[""]`, base.CodeInvalidArgument},
		"a record that never existed is not found": {"profile", `["CouncilMSP"]`, base.CodeNotFound},
		"a control character in a part is refused": {"document", `["RegistryMSP","a\u0000b"]`, base.CodeInvalidArgument},
	}
	for name, tc := range refusals {
		t.Run(name, func(t *testing.T) {
			_, err := history.Record(contracttest.TxContext(stub), tc.kind, tc.parts)
			contracttest.RequireCode(t, tc.code, err)
		})
	}

	t.Run("a failing history read is an error, not an empty history", func(t *testing.T) {
		failing := fakestub.New()
		failing.RangeErr = errors.New("disk on fire")
		_, err := history.Record(contracttest.TxContext(failing), "profile", `["RegistryMSP"]`)
		contracttest.RequireCode(t, base.CodeInternal, err)
	})
}
