package contracts_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/civicledger/civicledger/chaincode/contracts"
	"github.com/civicledger/civicledger/chaincode/contracts/base"
	"github.com/civicledger/civicledger/chaincode/contracts/internal/contracttest"
	"github.com/civicledger/civicledger/chaincode/internal/fakestub"
	"github.com/civicledger/civicledger/chaincode/records"
	"github.com/civicledger/civicledger/chaincode/spec"
)

// transactionArity lists every transaction of the chaincode with its
// number of parameters and whether it is read-only, from the metadata.
func transactionArity(t *testing.T, cc *contracttest.Chaincode) (writes, reads map[string]int) {
	t.Helper()
	var md struct {
		Contracts map[string]struct {
			Transactions []struct {
				Name       string            `json:"name"`
				Tags       []string          `json:"tag"`
				Parameters []json.RawMessage `json:"parameters"`
			} `json:"transactions"`
		} `json:"contracts"`
	}
	require.NoError(t, json.Unmarshal([]byte(cc.OK(t, fakestub.Identity{}, "org.hyperledger.fabric:GetMetadata")), &md))
	writes, reads = map[string]int{}, map[string]int{}
	for name, c := range md.Contracts {
		if strings.HasPrefix(name, "org.hyperledger") {
			continue
		}
		for _, tx := range c.Transactions {
			if slices.Contains(tx.Tags, "evaluate") {
				reads[name+":"+tx.Name] = len(tx.Parameters)
			} else {
				writes[name+":"+tx.Name] = len(tx.Parameters)
			}
		}
	}
	return writes, reads
}

// The transparency portal reads the ledger with its own identity, a client
// of its host administration whose role attribute is "portal": the
// chaincode must refuse it every write but one (relaying an official's
// acknowledgement of a convocation, which the token authorises) and serve
// it the reads it uses.
func TestPortalIdentity(t *testing.T) {
	all, err := contracts.New()
	require.NoError(t, err)
	registryAdmin := fakestub.NewIdentity(t, "RegistryMSP", "admin", spec.RoleAdmin)
	clerk := fakestub.NewIdentity(t, "RegistryMSP", "clerk", spec.RoleClerk)
	portal := fakestub.NewIdentity(t, "RegistryMSP", "portal0", spec.RolePortal)
	stub := contracttest.MemberLedger(t, registryAdmin,
		fakestub.NewIdentity(t, "TreasuryMSP", "admin", spec.RoleAdmin), fakestub.NewIdentity(t, "CouncilMSP", "admin", spec.RoleAdmin))
	cc := &contracttest.Chaincode{CC: all, Stub: stub}
	reg := records.DocumentRegistration{ID: "EXT-1", Type: "permit", SHA256: strings.Repeat("ab", 32),
		ValidFrom: "2024-01-01T00:00:00Z", SubjectRef: strings.Repeat("cd", 32)}
	input, err := json.Marshal(reg)
	require.NoError(t, err)
	stub.SetTransient(map[string][]byte{spec.SubjectTransientKey: []byte(`{"salt":"s1","name":"x"}`)})
	cc.OK(t, clerk, spec.DocumentsRegister, string(input))

	writes, reads := transactionArity(t, cc)
	require.Contains(t, writes, spec.DocumentsRegister)

	require.Contains(t, writes, spec.ConvocationsAcknowledge)

	t.Run("every write transaction but Acknowledge refuses the portal's identity and leaves the ledger unchanged", func(t *testing.T) {
		for name, arity := range writes {
			if name == spec.ConvocationsAcknowledge {
				continue
			}
			t.Run(name, func(t *testing.T) {
				args := make([]string, arity)
				for i := range args {
					args[i] = "x"
				}
				if name == spec.DocumentsRegister {
					args[0] = strings.Replace(string(input), "EXT-1", "EXT-2", 1)
				}
				before := contracttest.Snapshot(stub)
				status, _, msg := cc.Invoke(portal, name, args...)
				contracttest.RequireRefused(t, status, msg, base.CodePermissionDenied)
				contracttest.RequireUnchanged(t, stub, before)
			})
		}
	})

	t.Run("Acknowledge accepts the portal's role and judges its token", func(t *testing.T) {
		before := contracttest.Snapshot(stub)
		status, _, msg := cc.Invoke(portal, spec.ConvocationsAcknowledge, "RegistryMSP", "m1", strings.Repeat("ef", 32), "token")
		contracttest.RequireRefused(t, status, msg, base.CodeNotFound)
		contracttest.RequireUnchanged(t, stub, before)
	})

	t.Run("the reads the portal uses accept its identity", func(t *testing.T) {
		for _, tx := range [][]string{
			{spec.DocumentsVerify, "RegistryMSP", "EXT-1"},
			{spec.DocumentsVerifyHash, strings.Repeat("ab", 32)},
			{spec.DocumentsGet, "RegistryMSP", "EXT-1"},
			{spec.DirectoryListProfiles},
			{spec.PermissionsListUsesBySubject, strings.Repeat("cd", 32), "100", ""},
		} {
			require.Contains(t, reads, tx[0])
			out := cc.OK(t, portal, tx[0], tx[1:]...)
			require.NotContains(t, out, `"name":"x"`)
		}
		var v records.DocumentVerdict
		require.NoError(t, json.Unmarshal([]byte(cc.OK(t, portal, spec.DocumentsVerify, "RegistryMSP", "EXT-1")), &v))
		require.Equal(t, spec.DocumentValid, v.Status)
	})

	t.Run("the portal cannot read the subject data", func(t *testing.T) {
		status, _, msg := cc.Invoke(portal, spec.DocumentsGetSubject, "EXT-1")
		contracttest.RequireRefused(t, status, msg, base.CodePermissionDenied)
	})
}
