package receipt

import (
	"testing"
	"time"

	"github.com/hyperledger/fabric-protos-go-apiv2/ledger/rwset"
	"github.com/hyperledger/fabric-protos-go-apiv2/ledger/rwset/kvrwset"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/proto"

	"github.com/civicledger/civicledger/gateway/internal/testpki"
)

// actionWriting is a chaincode action of chaincode "cc" that writes the
// public key when public is set and one key of each collection.
func actionWriting(t *testing.T, public bool, collections ...string) *endorsedAction {
	t.Helper()
	kv := &kvrwset.KVRWSet{}
	if public {
		kv.Writes = []*kvrwset.KVWrite{{Key: "k", Value: []byte("v")}}
	}
	ns := &rwset.NsReadWriteSet{Namespace: "cc", Rwset: mustMarshal(t, kv)}
	for _, c := range collections {
		h := &kvrwset.HashedRWSet{HashedWrites: []*kvrwset.KVWriteHash{{KeyHash: []byte("kh"), ValueHash: []byte("vh")}}}
		ns.CollectionHashedRwset = append(ns.CollectionHashedRwset, &rwset.CollectionHashedReadWriteSet{CollectionName: c, HashedRwset: mustMarshal(t, h)})
	}
	results := mustMarshal(t, &rwset.TxReadWriteSet{DataModel: rwset.TxReadWriteSet_KV, NsRwset: []*rwset.NsReadWriteSet{ns}})
	return &endorsedAction{action: &peer.ChaincodeAction{Results: results, ChaincodeId: &peer.ChaincodeID{Name: "cc"}}}
}

func mustMarshal(t *testing.T, m proto.Message) []byte {
	t.Helper()
	b, err := proto.Marshal(m)
	require.NoError(t, err)
	return b
}

func TestEndorsementRequirements(t *testing.T) {
	cas := map[string]*testpki.CA{"AMSP": testpki.NewCA(t, "a"), "BMSP": testpki.NewCA(t, "b"), "CMSP": testpki.NewCA(t, "c")}
	cfg := testConfig(t, cas)
	peerOf := func(mspID string) *Identity {
		i, err := cfg.identityOf(cas[mspID].Issue(t, mspID, "peer0", "peer").Serialized, time.Now())
		require.NoError(t, err)
		return i
	}
	satisfied := func(a *endorsedAction, signers ...*Identity) bool {
		reqs, err := cfg.endorsementRequirements(a)
		require.NoError(t, err)
		for _, r := range reqs {
			ok, err := r.eval(signers)
			require.NoError(t, err)
			if !ok {
				return false
			}
		}
		return true
	}

	t.Run("a write to an organization's implicit collection needs that organization's peer alone", func(t *testing.T) {
		a := actionWriting(t, false, "_implicit_org_AMSP")
		require.True(t, satisfied(a, peerOf("AMSP")))
		require.False(t, satisfied(a, peerOf("BMSP"), peerOf("CMSP")), "a majority without the organization is not it")
	})
	t.Run("a public write needs the chaincode policy, MAJORITY", func(t *testing.T) {
		a := actionWriting(t, true)
		require.False(t, satisfied(a, peerOf("AMSP")))
		require.True(t, satisfied(a, peerOf("AMSP"), peerOf("BMSP")))
	})
	t.Run("public and private writes need both policies", func(t *testing.T) {
		a := actionWriting(t, true, "_implicit_org_AMSP")
		require.False(t, satisfied(a, peerOf("BMSP"), peerOf("CMSP")))
		require.True(t, satisfied(a, peerOf("AMSP"), peerOf("CMSP")))
	})
	t.Run("a transaction that writes nothing needs the chaincode policy", func(t *testing.T) {
		require.False(t, satisfied(actionWriting(t, false), peerOf("AMSP")))
	})
	t.Run("an organization without its own Endorsement policy falls back to any of its members", func(t *testing.T) {
		delete(cfg.group("Application").GetGroups()["CMSP"].Policies, "Endorsement")
		a := actionWriting(t, false, "_implicit_org_CMSP")
		client, err := cfg.identityOf(cas["CMSP"].Issue(t, "CMSP", "user1", "client").Serialized, time.Now())
		require.NoError(t, err)
		require.True(t, satisfied(a, client))
		require.False(t, satisfied(a, peerOf("AMSP")))
	})
	t.Run("an explicit collection's policy is not in the receipt, and the check says so", func(t *testing.T) {
		_, err := cfg.endorsementRequirements(actionWriting(t, false, "secrets"))
		require.ErrorContains(t, err, "explicit collection is in the chaincode definition")
	})
	t.Run("a collection of an organization outside the configuration is refused", func(t *testing.T) {
		_, err := cfg.endorsementRequirements(actionWriting(t, false, "_implicit_org_ZMSP"))
		require.ErrorContains(t, err, "ZMSP is not an application organization")
	})
}
