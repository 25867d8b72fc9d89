package base

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

// PolicyAllOf requires an endorsement from the peer of every listed
// administration, e.g. both owner and grantee of a permission.
func PolicyAllOf(mspIDs ...string) ([]byte, error) {
	if len(mspIDs) == 0 {
		return nil, Internal(nil, "endorsement policy without administrations")
	}
	env, rules, err := peerIdentities(mspIDs)
	if err != nil {
		return nil, err
	}
	env.Rule = nOutOf(len(rules), rules...)
	return marshalPolicy(env)
}

// PolicyOwnerPlusOne requires the peer of owner and the peer of at least one
// other member administration: no other administration, nor any majority
// without the owner, can change the key, and the owner cannot change it
// without a witness. With no other member it requires the owner alone.
func PolicyOwnerPlusOne(owner string, members []string) ([]byte, error) {
	others := slices.DeleteFunc(slices.Clone(members), func(m string) bool { return m == owner })
	if len(others) == 0 {
		return PolicyAllOf(owner)
	}
	env, rules, err := peerIdentities(append([]string{owner}, others...))
	if err != nil {
		return nil, err
	}
	env.Rule = nOutOf(2, rules[0], nOutOf(1, rules[1:]...))
	return marshalPolicy(env)
}

// peerIdentities returns a policy envelope whose identities are the peers of
// mspIDs, in order, and the rules "signed by" each of them, without a rule.
func peerIdentities(mspIDs []string) (*common.SignaturePolicyEnvelope, []*common.SignaturePolicy, error) {
	env := &common.SignaturePolicyEnvelope{}
	rules := make([]*common.SignaturePolicy, 0, len(mspIDs))
	for i, id := range mspIDs {
		p, err := peerPrincipal(id)
		if err != nil {
			return nil, nil, Internal(err, "build endorsement policy")
		}
		env.Identities = append(env.Identities, p)
		rules = append(rules, signedBy(i))
	}
	return env, rules, nil
}

func marshalPolicy(env *common.SignaturePolicyEnvelope) ([]byte, error) {
	env.Version = 0
	b, err := proto.Marshal(env)
	if err != nil {
		return nil, Internal(err, "encode endorsement policy")
	}
	return b, nil
}

// SetKeyPolicy attaches a key-level endorsement policy to key.
func SetKeyPolicy(ctx *TxContext, key string, policy []byte) error {
	if err := ctx.GetStub().SetStateValidationParameter(key, policy); err != nil {
		return Internal(err, "set endorsement policy of %s", key)
	}
	return nil
}
