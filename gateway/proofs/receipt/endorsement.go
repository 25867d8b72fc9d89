package receipt

import (
	"fmt"
	"sort"
	"strings"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/hyperledger/fabric-protos-go-apiv2/ledger/rwset"
	"github.com/hyperledger/fabric-protos-go-apiv2/ledger/rwset/kvrwset"
	mspproto "github.com/hyperledger/fabric-protos-go-apiv2/msp"
	"google.golang.org/protobuf/proto"
)

// The endorsement policies Fabric 2.5's validator (statebased v20, with
// the _lifecycle chaincode definitions) evaluates for a transaction, as far
// as the channel configuration in a receipt determines them. For every
// namespace the transaction writes, and for the chaincode it invokes:
//   - a public write, or a public metadata write, needs the chaincode's
//     endorsement policy (for CivicLedger, the channel default
//     /Channel/Application/Endorsement);
//   - a write to an organization's implicit collection _implicit_org_<MSP>
//     needs that organization's /Channel/Application/<Org>/Endorsement
//     policy, or any member of it when the organization has none;
//   - a namespace with no write needs the chaincode's policy.
// Fabric evaluates a key's key-level policy instead when the key carries
// one; those live in the world state, not in a receipt (docs/proofs.md §6).

// implicitCollectionPrefix starts the name of an organization's implicit
// private data collection; the MSP ID follows.
const implicitCollectionPrefix = "_implicit_org_"

// requirement is one policy the endorsers must satisfy, and why.
type requirement struct {
	why    string
	policy string // display name
	// eval tells whether the endorsers satisfy the policy.
	eval func(signers []*Identity) (bool, error)
}

// nsWrites is what a transaction writes in one namespace.
type nsWrites struct {
	public      bool
	collections []string
}

// endorsementRequirements lists the policies a transaction must satisfy,
// one per distinct policy, in a stable order.
func (c *Config) endorsementRequirements(a *endorsedAction) ([]requirement, error) {
	written, err := a.writtenNamespaces()
	if err != nil {
		return nil, err
	}
	if cc := a.action.GetChaincodeId().GetName(); cc != "" {
		if _, ok := written[cc]; !ok {
			written[cc] = &nsWrites{}
		}
	}
	var out []requirement
	seen := map[string]int{}
	add := func(r requirement) {
		if i, ok := seen[r.policy]; ok {
			out[i].why += "; " + r.why
			return
		}
		seen[r.policy] = len(out)
		out = append(out, r)
	}
	for _, ns := range sortedKeys(written) {
		w := written[ns]
		if w.public || len(w.collections) == 0 {
			why := "public writes of " + ns
			if !w.public {
				why = "chaincode " + ns + " (no writes)"
			}
			add(c.chaincodePolicy(why))
		}
		for _, coll := range w.collections {
			r, err := c.collectionPolicy(ns, coll)
			if err != nil {
				return nil, err
			}
			add(r)
		}
	}
	return out, nil
}

// chaincodePolicy is the chaincode's endorsement policy. The chaincode
// definition is in the _lifecycle namespace, not in a receipt: CivicLedger
// defines its chaincode with the channel default, which is this.
func (c *Config) chaincodePolicy(why string) requirement {
	app := c.group("Application")
	return requirement{
		why:    why,
		policy: "/Channel/Application/Endorsement " + describePolicy(app, "Endorsement"),
		eval:   func(s []*Identity) (bool, error) { return c.satisfied(app, "Endorsement", s) },
	}
}

// collectionPolicy is the policy Fabric evaluates for writes to coll.
func (c *Config) collectionPolicy(ns, coll string) (requirement, error) {
	why := "private writes to " + coll + " of " + ns
	mspID, ok := strings.CutPrefix(coll, implicitCollectionPrefix)
	if !ok {
		return requirement{}, fmt.Errorf("collection %s of %s: the endorsement policy of an explicit collection is in the chaincode definition, which a receipt does not hold", coll, ns)
	}
	org, ok := c.AppOrgs[mspID]
	if !ok {
		return requirement{}, fmt.Errorf("collection %s of %s: %s is not an application organization of the configuration", coll, ns, mspID)
	}
	group := c.group("Application").GetGroups()[org]
	if _, ok := group.GetPolicies()["Endorsement"]; ok {
		return requirement{
			why:    why,
			policy: "/Channel/Application/" + org + "/Endorsement",
			eval:   func(s []*Identity) (bool, error) { return c.satisfied(group, "Endorsement", s) },
		}, nil
	}
	return requirement{
		why:    why,
		policy: "any member of " + mspID + " (the organization defines no Endorsement policy)",
		eval: func(s []*Identity) (bool, error) {
			return c.anyMemberOf(mspID, s)
		},
	}, nil
}

// anyMemberOf is Fabric's SignedByAnyMember(mspID).
func (c *Config) anyMemberOf(mspID string, signers []*Identity) (bool, error) {
	role, err := proto.Marshal(&mspproto.MSPRole{MspIdentifier: mspID, Role: mspproto.MSPRole_MEMBER})
	if err != nil {
		return false, fmt.Errorf("encode principal: %w", err)
	}
	principals := []*mspproto.MSPPrincipal{{PrincipalClassification: mspproto.MSPPrincipal_ROLE, Principal: role}}
	rule := &common.SignaturePolicy{Type: &common.SignaturePolicy_NOutOf_{NOutOf: &common.SignaturePolicy_NOutOf{
		N: 1, Rules: []*common.SignaturePolicy{{Type: &common.SignaturePolicy_SignedBy{SignedBy: 0}}},
	}}}
	return c.evalSignature(rule, principals, signers, make([]bool, len(signers)))
}

// writtenNamespaces lists, per namespace, whether the transaction writes
// public keys or key metadata, and the collections it writes (values,
// deletions, purges or metadata).
func (a *endorsedAction) writtenNamespaces() (map[string]*nsWrites, error) {
	var set rwset.TxReadWriteSet
	if err := proto.Unmarshal(a.action.GetResults(), &set); err != nil {
		return nil, fmt.Errorf("decode read-write set: %w", err)
	}
	out := map[string]*nsWrites{}
	for _, ns := range set.GetNsRwset() {
		var kv kvrwset.KVRWSet
		if err := proto.Unmarshal(ns.GetRwset(), &kv); err != nil {
			return nil, fmt.Errorf("decode writes of %s: %w", ns.GetNamespace(), err)
		}
		w := &nsWrites{public: len(kv.GetWrites()) > 0 || len(kv.GetMetadataWrites()) > 0}
		for _, coll := range ns.GetCollectionHashedRwset() {
			var h kvrwset.HashedRWSet
			if err := proto.Unmarshal(coll.GetHashedRwset(), &h); err != nil {
				return nil, fmt.Errorf("decode private writes of %s/%s: %w", ns.GetNamespace(), coll.GetCollectionName(), err)
			}
			if len(h.GetHashedWrites()) > 0 || len(h.GetMetadataWrites()) > 0 {
				w.collections = append(w.collections, coll.GetCollectionName())
			}
		}
		sort.Strings(w.collections)
		if w.public || len(w.collections) > 0 {
			out[ns.GetNamespace()] = w
		}
	}
	return out, nil
}
