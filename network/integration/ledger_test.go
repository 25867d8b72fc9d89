//go:build integration

package integration

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"testing"
	"time"

	"github.com/hyperledger/fabric-gateway/pkg/client"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"github.com/stretchr/testify/require"

	"github.com/civicledger/civicledger/chaincode/records"
	"github.com/civicledger/civicledger/network/testnet"
)

func getProfile(t *testing.T, mspAt, of string) records.Profile {
	t.Helper()
	gw, err := tn.Conn.Connect(mspAt, "clerk")
	require.NoError(t, err)
	defer gw.Close()
	raw, err := gw.GetNetwork(tn.Conn.Channel).GetContract(tn.Conn.Chaincode).
		EvaluateTransaction("Directory:GetProfile", of)
	require.NoError(t, err)
	var p records.Profile
	require.NoError(t, json.Unmarshal(raw, &p))
	return p
}

func TestLedger(t *testing.T) {
	name := fmt.Sprintf("Registry of Certified Documents %d", time.Now().UnixNano())

	t.Run("a transaction submitted through one administration's gateway is endorsed by a majority and read at another", func(t *testing.T) {
		gw, err := tn.Conn.Connect("RegistryMSP", "admin")
		require.NoError(t, err)
		defer gw.Close()
		nw := gw.GetNetwork(tn.Conn.Channel)
		_, commit, err := nw.GetContract(tn.Conn.Chaincode).SubmitAsync("Directory:SetProfile",
			client.WithArguments(name, "agency", "registry@example.org"))
		require.NoError(t, err)
		status, err := commit.Status()
		require.NoError(t, err)
		require.True(t, status.Successful, "commit status %v", status.Code)

		tx, err := testnet.Transaction(nw, tn.Conn.Channel, commit.TransactionID())
		require.NoError(t, err)
		require.Equal(t, peer.TxValidationCode_VALID, tx.Validation)
		distinct := map[string]bool{}
		for _, e := range tx.Endorsers {
			distinct[e] = true
		}
		require.GreaterOrEqual(t, len(distinct), len(tn.Conn.Orgs)/2+1,
			"endorsed by %v, a majority of %d administrations is required", tx.Endorsers, len(tn.Conn.Orgs))

		ctx, cancel := context.WithTimeout(context.Background(), testnet.Timeout)
		defer cancel()
		require.NoError(t, tn.WaitForBlock(ctx, status.BlockNumber))
		p := getProfile(t, "TreasuryMSP", "RegistryMSP")
		require.Equal(t, name, p.DisplayName)
		require.Equal(t, "RegistryMSP", p.MSPID)
	})

	t.Run("after down no process of the network is left and up again finds the ledger", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), testnet.Timeout)
		defer cancel()
		before := tn.Status()
		require.NotEmpty(t, before)
		for _, p := range before {
			require.True(t, p.Running, "%s should run before down", p.Name)
		}

		require.NoError(t, tn.Down(ctx, false))
		for _, p := range before {
			// A stopped child of this test process stays a zombie until the
			// goroutine that started it reaps it, a moment later.
			require.Eventually(t, func() bool {
				_, err := os.Stat(fmt.Sprintf("/proc/%d", p.PID))
				return os.IsNotExist(err)
			}, 5*time.Second, 20*time.Millisecond, "%s (pid %d) is still alive after down", p.Name, p.PID)
		}
		for _, o := range tn.Conn.Orgs {
			for _, addr := range []string{o.Peer.Address, o.Orderer.Address, o.CA.Address} {
				c, err := net.DialTimeout("tcp", addr, time.Second)
				if err == nil {
					c.Close()
				}
				require.Error(t, err, "something still accepts connections at %s after down", addr)
			}
		}

		require.NoError(t, tn.Up(ctx))
		require.True(t, tn.Running())
		p := getProfile(t, "CouncilMSP", "RegistryMSP")
		require.Equal(t, name, p.DisplayName, "the ledger written before the restart is still there")
	})
}
