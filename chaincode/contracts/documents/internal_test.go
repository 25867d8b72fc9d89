package documents

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/civicledger/civicledger/chaincode/contracts/directory"
	"github.com/civicledger/civicledger/chaincode/contracts/internal/contracttest"
	"github.com/civicledger/civicledger/chaincode/internal/fakestub"
	"github.com/civicledger/civicledger/chaincode/spec"
	"github.com/civicledger/civicledger/chaincode/state"
)

func TestDocumentsKeyPolicy(t *testing.T) {
	dir, docs := directory.New(), New()
	registry := fakestub.NewIdentity(t, "RegistryMSP", "rudi", spec.RoleAdmin)
	treasury := fakestub.NewIdentity(t, "TreasuryMSP", "theo", spec.RoleAdmin)
	council := fakestub.NewIdentity(t, "CouncilMSP", "carla", spec.RoleAdmin)
	hash := "a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1"
	input := `{"id":"cert-1","type":"certificate","sha256":"` + hash + `","validFrom":"2024-01-01T00:00:00Z","subjectRef":"` + hash + `"}`

	stub := fakestub.New()
	for _, id := range []fakestub.Identity{registry, treasury, council} {
		_, err := dir.SetProfile(contracttest.TxAs(stub, id), "Administration", "agency", "x@example.org")
		require.NoError(t, err)
	}
	stub.SetTransient(map[string][]byte{spec.SubjectTransientKey: []byte(`{"salt":"s","name":"N"}`)})
	_, err := docs.Register(contracttest.TxAs(stub, registry), input)
	require.NoError(t, err)

	keys := map[string]string{}
	for name, parts := range map[string][]string{
		"the document record": {state.TypeDocument, "RegistryMSP", "cert-1"},
		"the hash index":      {state.TypeDocumentByHash, hash, "RegistryMSP", "cert-1"},
		"the type index":      {state.TypeDocumentByType, "RegistryMSP", "certificate", "cert-1"},
	} {
		key, err := state.Key(stub, parts[0], parts[1:]...)
		require.NoError(t, err)
		keys[name] = key
	}

	for name, key := range keys {
		t.Run("after registration "+name+" needs the issuer plus one other administration", func(t *testing.T) {
			policy, err := stub.GetStateValidationParameter(key)
			require.NoError(t, err)
			require.NotEmpty(t, policy)
			require.True(t, contracttest.Satisfied(t, policy, "RegistryMSP", "TreasuryMSP"))
			require.True(t, contracttest.Satisfied(t, policy, "RegistryMSP", "CouncilMSP"))
			require.True(t, contracttest.Satisfied(t, policy, "RegistryMSP", "TreasuryMSP", "CouncilMSP"))
			require.False(t, contracttest.Satisfied(t, policy, "TreasuryMSP", "CouncilMSP"), "a majority without the issuer")
			require.False(t, contracttest.Satisfied(t, policy, "RegistryMSP"), "the issuer alone")
			require.False(t, contracttest.Satisfied(t, policy, "TreasuryMSP"))
		})
	}

	t.Run("revoking keeps the policy of the record", func(t *testing.T) {
		before, err := stub.GetStateValidationParameter(keys["the document record"])
		require.NoError(t, err)
		_, err = docs.Revoke(contracttest.TxAs(stub, registry), "cert-1", "fraud")
		require.NoError(t, err)
		after, err := stub.GetStateValidationParameter(keys["the document record"])
		require.NoError(t, err)
		require.Equal(t, before, after)
	})

	t.Run("with the issuer as only member the issuer alone may change its documents", func(t *testing.T) {
		solo := fakestub.New()
		_, err := dir.SetProfile(contracttest.TxAs(solo, registry), "Registry", "agency", "x@example.org")
		require.NoError(t, err)
		_, err = docs.Register(contracttest.TxAs(solo, registry), input)
		require.NoError(t, err)
		policy, err := solo.GetStateValidationParameter(keys["the document record"])
		require.NoError(t, err)
		require.True(t, contracttest.Satisfied(t, policy, "RegistryMSP"))
		require.False(t, contracttest.Satisfied(t, policy, "TreasuryMSP", "CouncilMSP"))
	})

	t.Run("subject data goes to the issuer's implicit collection, whose writes need the issuer's peer", func(t *testing.T) {
		require.Equal(t, "_implicit_org_RegistryMSP", documentCollection("RegistryMSP"))
		key, err := state.DocumentSubjectKey(stub, "cert-1")
		require.NoError(t, err)
		v, err := stub.GetPrivateData("_implicit_org_RegistryMSP", key)
		require.NoError(t, err)
		require.JSONEq(t, `{"salt":"s","name":"N"}`, string(v))
		v, err = stub.GetPrivateData("_implicit_org_TreasuryMSP", key)
		require.NoError(t, err)
		require.Nil(t, v)
	})
}
