package anchors_test

import (
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/require"

	"github.com/civicledger/civicledger/chaincode/contracts/anchors"
	"github.com/civicledger/civicledger/chaincode/contracts/base"
	"github.com/civicledger/civicledger/chaincode/contracts/internal/contracttest"
	"github.com/civicledger/civicledger/chaincode/internal/fakestub"
	"github.com/civicledger/civicledger/chaincode/spec"
)

// FuzzAnchorInput checks that any Anchor input either stores a well-formed
// anchor that reads back identically, or is refused as INVALID_ARGUMENT with
// nothing written, without panicking.
func FuzzAnchorInput(f *testing.F) {
	root := strings.Repeat("0f", 32)
	for _, seed := range []string{
		`{"root":"` + root + `","size":20000,"label":"March"}`,
		`{"root":"` + root + `","size":1}`,
		`{"root":"` + root + `","size":1048576,"label":"  "}`,
		`{"root":"` + root + `","size":1048577}`,
		`{"root":"` + root + `","size":18446744073709551616}`,
		`{"root":"` + strings.ToUpper(root) + `","size":1}`,
		`{"root":"` + root + `","size":1,"label":"a\u0000"}`,
		`{"root":"` + root + `","size":1,"size":2}`,
		`{"root":null,"size":null}`, `[]`, `null`, `{`, ``, `{"x":1}`, "{\"label\":\"\xff\"}",
	} {
		f.Add(seed)
	}
	clerk := fakestub.NewIdentity(f, "RegistryMSP", "rita", spec.RoleClerk)
	anchors := anchors.New()
	hexPattern := regexp.MustCompile(`^[0-9a-f]{64}$`)

	f.Fuzz(func(t *testing.T, input string) {
		stub := fakestub.New()
		a, err := anchors.Anchor(contracttest.TxAs(stub, clerk), input)
		if err != nil {
			contracttest.RequireCode(t, base.CodeInvalidArgument, err)
			require.Empty(t, stub.Keys(), "a refused anchor writes nothing")
			require.Empty(t, stub.Events())
			return
		}
		require.Len(t, stub.Keys(), 1)
		require.Regexp(t, hexPattern, a.Root)
		require.True(t, a.Size >= 1 && a.Size <= spec.MaxAnchorSize, "size %d", a.Size)
		require.True(t, utf8.ValidString(a.Label))
		require.LessOrEqual(t, utf8.RuneCountInString(a.Label), 200)
		require.Equal(t, strings.TrimSpace(a.Label), a.Label)
		got, err := anchors.Get(contracttest.TxAs(stub, clerk), a.Root)
		require.NoError(t, err)
		require.Equal(t, a, got)
	})
}
