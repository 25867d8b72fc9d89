package contracts_test

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/civicledger/civicledger/chaincode/contracts"
	"github.com/civicledger/civicledger/chaincode/internal/fakestub"
	"github.com/civicledger/civicledger/chaincode/records"
)

func TestHistoryRecord(t *testing.T) {
	admin := fakestub.NewIdentity(t, "RegistryMSP", "alice", contracts.RoleAdmin)
	stub := fakestub.New()
	stub.SetTxID("tx-first")
	setProfile(t, stub, admin, "Registry", "agency", "r@example.org")
	stub.SetTxID("tx-second")
	setProfile(t, stub, admin, "Registry of Certified Documents", "agency", "r@example.org")
	history := contracts.NewHistoryContract()

	t.Run("every version of a record comes back with the transaction that wrote it", func(t *testing.T) {
		versions, err := history.Record(txContext(stub), "profile", `["RegistryMSP"]`)
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
		code        contracts.Code
	}{
		"an unknown kind is refused":               {"secret", `["x"]`, contracts.CodeInvalidArgument},
		"the wrong number of key parts is refused": {"document", `["RegistryMSP"]`, contracts.CodeInvalidArgument},
		"key parts that are not a JSON list":       {"profile", `"RegistryMSP"`, contracts.CodeInvalidArgument},
		"an empty key part is refused":             {"profile", `[""]`, contracts.CodeInvalidArgument},
		"a record that never existed is not found": {"profile", `["CouncilMSP"]`, contracts.CodeNotFound},
		"a control character in a part is refused": {"document", `["RegistryMSP","a\u0000b"]`, contracts.CodeInvalidArgument},
	}
	for name, tc := range refusals {
		t.Run(name, func(t *testing.T) {
			_, err := history.Record(txContext(stub), tc.kind, tc.parts)
			requireCode(t, tc.code, err)
		})
	}

	t.Run("a failing history read is an error, not an empty history", func(t *testing.T) {
		failing := fakestub.New()
		failing.RangeErr = errors.New("disk on fire")
		_, err := history.Record(txContext(failing), "profile", `["RegistryMSP"]`)
		requireCode(t, contracts.CodeInternal, err)
	})
}
