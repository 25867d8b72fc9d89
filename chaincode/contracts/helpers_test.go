package contracts_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/civicledger/civicledger/chaincode/contracts"
	"github.com/civicledger/civicledger/chaincode/internal/fakestub"
)

// txContext returns the context a transaction on stub would receive.
func txContext(stub *fakestub.Stub) *contracts.TxContext {
	ctx := new(contracts.TxContext)
	ctx.SetStub(stub)
	return ctx
}

// requireCode checks that err is classified as code and that its message,
// which is all a client sees, carries the "CODE: " prefix.
func requireCode(t *testing.T, code contracts.Code, err error) {
	t.Helper()
	require.Error(t, err)
	require.Equal(t, code, contracts.CodeOf(err), "error: %v", err)
	require.True(t, strings.HasPrefix(err.Error(), string(code)+": "), "message %q lacks prefix %s", err, code)
}

// setProfile runs Directory:SetProfile on stub as id.
func setProfile(t *testing.T, stub *fakestub.Stub, id fakestub.Identity, name, kind, contact string) *contracts.Profile {
	t.Helper()
	p, err := contracts.NewDirectoryContract().SetProfile(txContext(stub.As(id)), name, kind, contact)
	require.NoError(t, err)
	return p
}
