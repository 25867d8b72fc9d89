package directory_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/require"

	"github.com/civicledger/civicledger/chaincode/contracts/base"
	"github.com/civicledger/civicledger/chaincode/contracts/directory"
	"github.com/civicledger/civicledger/chaincode/contracts/internal/contracttest"
	"github.com/civicledger/civicledger/chaincode/internal/fakestub"
	"github.com/civicledger/civicledger/chaincode/spec"
)

// FuzzSetProfile checks that any arguments either store a valid profile or
// are refused as INVALID_ARGUMENT, without panicking.
func FuzzSetProfile(f *testing.F) {
	for _, seed := range [][3]string{
		{"Registry", "agency", "registry@example.org"},
		{"", "", ""},
		{"  ", "city", "\t"},
		{strings.Repeat("é", 201), "ministry", "x"},
		{"A\x00B", "other", "+39"},
		{"\xff", "region", "https://example.org"},
		{"Name", "AGENCY", strings.Repeat("c", 200)},
	} {
		f.Add(seed[0], seed[1], seed[2])
	}
	admin := fakestub.NewIdentity(f, "RegistryMSP", "alice", spec.RoleAdmin)
	dir := directory.New()
	f.Fuzz(func(t *testing.T, name, kind, contact string) {
		stub := fakestub.New().As(admin)
		p, err := dir.SetProfile(contracttest.TxContext(stub), name, kind, contact)
		if err != nil {
			contracttest.RequireCode(t, base.CodeInvalidArgument, err)
			require.Empty(t, stub.Keys())
			return
		}
		require.Equal(t, strings.TrimSpace(name), p.DisplayName)
		require.True(t, utf8.ValidString(p.DisplayName))
		require.LessOrEqual(t, utf8.RuneCountInString(p.DisplayName), 200)
		require.LessOrEqual(t, utf8.RuneCountInString(p.Contact), 200)
		got, err := dir.GetProfile(contracttest.TxContext(stub), "RegistryMSP")
		require.NoError(t, err)
		require.Equal(t, p, got)
	})
}
