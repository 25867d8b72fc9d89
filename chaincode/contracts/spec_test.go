package contracts_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/civicledger/civicledger/chaincode/contracts"
	"github.com/civicledger/civicledger/chaincode/internal/fakestub"
	"github.com/civicledger/civicledger/chaincode/spec"
)

// TestSpecTransactions checks that the transaction names in package spec,
// which the gateway uses, are exactly those the assembled chaincode
// exposes, so that a rename on either side fails here.
func TestSpecTransactions(t *testing.T) {
	t.Run("spec lists every transaction of the chaincode's metadata and no other", func(t *testing.T) {
		cc, err := contracts.New()
		require.NoError(t, err)
		stub := fakestub.New()
		stub.SetArgs("org.hyperledger.fabric:GetMetadata")
		res := cc.Invoke(stub)
		require.EqualValues(t, http.StatusOK, res.Status, res.Message)

		var md struct {
			Contracts map[string]struct {
				Transactions []struct {
					Name string `json:"name"`
				} `json:"transactions"`
			} `json:"contracts"`
		}
		require.NoError(t, json.Unmarshal(res.Payload, &md))
		var exposed []string
		for name, c := range md.Contracts {
			if name == "org.hyperledger.fabric" {
				continue // the contract API's own system contract
			}
			for _, tx := range c.Transactions {
				exposed = append(exposed, name+":"+tx.Name)
			}
		}
		require.ElementsMatch(t, spec.Transactions, exposed)
	})
}
