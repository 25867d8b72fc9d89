package contracts

import (
	"slices"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/hyperledger/fabric-protos-go-apiv2/msp"
	"google.golang.org/protobuf/proto"
)

// Key-level (state-based) endorsement policies. After a record is created,
// its key carries one of these policies, which then governs every change of
// that key instead of the chaincode's MAJORITY policy.

// peerPrincipal is "the peer role of administration mspID".
func peerPrincipal(mspID string) (*msp.MSPPrincipal, error) {
	role, err := proto.Marshal(&msp.MSPRole{MspIdentifier: mspID, Role: msp.MSPRole_PEER})
	if err != nil {
		return nil, err
	}
	return &msp.MSPPrincipal{PrincipalClassification: msp.MSPPrincipal_ROLE, Principal: role}, nil
}

func signedBy(i int) *common.SignaturePolicy {
	return &common.SignaturePolicy{Type: &common.SignaturePolicy_SignedBy{SignedBy: int32(i)}}
}

func nOutOf(n int, rules ...*common.SignaturePolicy) *common.SignaturePolicy {
	return &common.SignaturePolicy{Type: &common.SignaturePolicy_NOutOf_{
		NOutOf: &common.SignaturePolicy_NOutOf{N: int32(n), Rules: rules},
	}}
}

// policyAllOf requires an endorsement from the peer of every listed
// administration, e.g. both owner and grantee of a permission.
func policyAllOf(mspIDs ...string) ([]byte, error) {
	if len(mspIDs) == 0 {
		return nil, Internal(nil, "endorsement policy without administrations")
	}
	env := &common.SignaturePolicyEnvelope{}
	var rules []*common.SignaturePolicy
	for i, id := range mspIDs {
		p, err := peerPrincipal(id)
		if err != nil {
			return nil, Internal(err, "build endorsement policy")
		}
		env.Identities = append(env.Identities, p)
		rules = append(rules, signedBy(i))
	}
	env.Rule = nOutOf(len(rules), rules...)
	return marshalPolicy(env)
}

// policyOwnerPlusOne requires the peer of owner and the peer of at least one
// other member administration: no other administration, nor any majority
// without the owner, can change the key, and the owner cannot change it
// without a witness. With no other member it requires the owner alone.
func policyOwnerPlusOne(owner string, members []string) ([]byte, error) {
	others := slices.DeleteFunc(slices.Clone(members), func(m string) bool { return m == owner })
	if len(others) == 0 {
		return policyAllOf(owner)
	}
	ownerP, err := peerPrincipal(owner)
	if err != nil {
		return nil, Internal(err, "build endorsement policy")
	}
	env := &common.SignaturePolicyEnvelope{Identities: []*msp.MSPPrincipal{ownerP}}
	var anyOther []*common.SignaturePolicy
	for i, id := range others {
		p, err := peerPrincipal(id)
		if err != nil {
			return nil, Internal(err, "build endorsement policy")
		}
		env.Identities = append(env.Identities, p)
		anyOther = append(anyOther, signedBy(i+1))
	}
	env.Rule = nOutOf(2, signedBy(0), nOutOf(1, anyOther...))
	return marshalPolicy(env)
}

func marshalPolicy(env *common.SignaturePolicyEnvelope) ([]byte, error) {
	env.Version = 0
	b, err := proto.Marshal(env)
	if err != nil {
		return nil, Internal(err, "encode endorsement policy")
	}
	return b, nil
}

// setKeyPolicy attaches a key-level endorsement policy to key.
func setKeyPolicy(ctx *TxContext, key string, policy []byte) error {
	if err := ctx.GetStub().SetStateValidationParameter(key, policy); err != nil {
		return Internal(err, "set endorsement policy of %s", key)
	}
	return nil
}
