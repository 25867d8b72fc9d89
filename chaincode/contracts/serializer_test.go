package contracts_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hyperledger/fabric-contract-api-go/v2/serializer"
	"github.com/stretchr/testify/require"

	"github.com/civicledger/civicledger/chaincode/contracts"
	"github.com/civicledger/civicledger/chaincode/contracts/internal/contracttest"
	"github.com/civicledger/civicledger/chaincode/internal/fakestub"
	"github.com/civicledger/civicledger/chaincode/spec"
)

// TestSerializer shows that the chaincode's serializer, which skips the
// contract API's JSON-schema checks, gives clients the same bytes as the
// default one, for results and for refusals alike.
func TestSerializer(t *testing.T) {
	newChaincode := func(t *testing.T, withSchemaChecks bool) *contracttest.Chaincode {
		cc, err := contracts.New()
		require.NoError(t, err)
		if withSchemaChecks {
			cc.TransactionSerializer = new(serializer.JSONSerializer)
		}
		return &contracttest.Chaincode{CC: cc, Stub: fakestub.New()}
	}
	admin := fakestub.NewIdentity(t, "RegistryMSP", "rudi", spec.RoleAdmin)
	other := fakestub.NewIdentity(t, "TreasuryMSP", "theo", spec.RoleAdmin)
	hash := strings.Repeat("a1", 32)
	calls := []struct {
		id     fakestub.Identity
		fn     string
		args   []string
		status int32
	}{
		{admin, "Directory:SetProfile", []string{"Registry", "agency", "registry@example.org"}, 200},
		{other, "Directory:SetProfile", []string{"Treasury", "ministry", "treasury@example.org"}, 200},
		{admin, "Documents:Register", []string{`{"id":"doc-1","type":"permit","sha256":"` + hash + `","keyFacts":{"zone":"B"},"validFrom":"2024-01-01T00:00:00Z","subjectRef":"` + hash + `"}`}, 200},
		{admin, "Documents:Register", []string{`{"id":"doc-2","type":"permit","sha256":"` + hash + `","validFrom":"2024-01-01T00:00:00Z","validUntil":"2025-01-01T00:00:00Z","subjectRef":"` + hash + `"}`}, 200},
		{admin, "Documents:Register", []string{`{"id":"doc-1"}`}, 500},
		{admin, "Documents:Register", []string{}, 500},
		{admin, "Documents:Revoke", []string{"doc-2", "issued in error"}, 200},
		{other, "Documents:Get", []string{"RegistryMSP", "doc-1"}, 200},
		{other, "Documents:Verify", []string{"RegistryMSP", "doc-2"}, 200},
		{other, "Documents:VerifyHash", []string{hash}, 200},
		{other, "Documents:ListByIssuer", []string{"RegistryMSP", "permit", "1", ""}, 200},
		{other, "Documents:History", []string{"RegistryMSP", "doc-2"}, 200},
		{other, "Directory:ListProfiles", nil, 200},
		{other, "Documents:NoSuchTransaction", nil, 500},
	}
	checked, ours := newChaincode(t, true), newChaincode(t, false)
	for i, c := range calls {
		t.Run(fmt.Sprintf("call %d, %s, answers the same bytes with and without schema checks", i, c.fn), func(t *testing.T) {
			wantStatus, wantPayload, wantMsg := checked.Invoke(c.id, c.fn, c.args...)
			status, payload, msg := ours.Invoke(c.id, c.fn, c.args...)
			require.Equal(t, c.status, wantStatus, wantMsg)
			require.Equal(t, wantStatus, status)
			require.Equal(t, wantPayload, payload)
			require.Equal(t, wantMsg, msg)
		})
	}
	require.Equal(t, checked.Stub.State(), ours.Stub.State(), "the ledgers are the same")
}
