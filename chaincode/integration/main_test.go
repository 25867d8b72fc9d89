//go:build integration

package integration

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/hyperledger/fabric-gateway/pkg/client"
	"github.com/hyperledger/fabric-protos-go-apiv2/gateway"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/status"

	"github.com/civicledger/civicledger/network/testnet"
)

var tn *testnet.Network

func TestMain(m *testing.M) { os.Exit(testnet.Main(m, &tn, nil)) }

// contract returns the chaincode as seen by user of mspID through that
// administration's own peer; connections are shared by the package.
func contract(t *testing.T, mspID, user string) *client.Contract {
	t.Helper()
	c, err := tn.Contract(mspID, user)
	require.NoError(t, err)
	return c
}

// submit endorses and submits a transaction and waits for its commit. It
// returns the validation code; a refusal at endorsement is returned as err.
func submit(t *testing.T, c *client.Contract, tx string, opts ...client.ProposalOption) (peer.TxValidationCode, []byte, error) {
	t.Helper()
	proposal, err := c.NewProposal(tx, opts...)
	require.NoError(t, err)
	endorsed, err := proposal.Endorse()
	if err != nil {
		return 0, nil, err
	}
	commit, err := endorsed.Submit()
	require.NoError(t, err)
	st, err := commit.Status()
	require.NoError(t, err)
	// Later steps may act through another administration: let every peer
	// commit this block first.
	require.NoError(t, tn.WaitForBlock(context.Background(), st.BlockNumber))
	return st.Code, endorsed.Result(), nil
}

// mustSubmit submits and requires a valid commit.
func mustSubmit(t *testing.T, c *client.Contract, tx string, args ...string) []byte {
	t.Helper()
	code, result, err := submit(t, c, tx, client.WithArguments(args...))
	require.NoError(t, err, "%s: %s", tx, errorText(err))
	require.Equal(t, peer.TxValidationCode_VALID, code, tx)
	return result
}

// requireRefused checks that err is a chaincode refusal with the given code
// prefix (e.g. "PERMISSION_DENIED") somewhere in what the peers said.
func requireRefused(t *testing.T, err error, code string) {
	t.Helper()
	require.Error(t, err)
	require.Contains(t, errorText(err), code+":", "error: %s", errorText(err))
}

// errorText gathers a Gateway error's message and every peer's detail.
func errorText(err error) string {
	if err == nil {
		return ""
	}
	parts := []string{err.Error()}
	for _, d := range status.Convert(err).Details() {
		if ed, ok := d.(*gateway.ErrorDetail); ok {
			parts = append(parts, ed.GetMspId()+": "+ed.GetMessage())
		}
	}
	return strings.Join(parts, "; ")
}
