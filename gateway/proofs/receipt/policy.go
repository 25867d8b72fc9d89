package receipt

import (
	"fmt"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	mspproto "github.com/hyperledger/fabric-protos-go-apiv2/msp"
	"google.golang.org/protobuf/proto"
)

// satisfied evaluates policy name of group g against validated signers the
// way Fabric does: an implicit-meta policy counts the sub-groups whose
// sub-policy is satisfied (ANY ≥ 1, ALL = every one, MAJORITY > half); a
// signature policy is an n-out-of tree of MSP role principals in which each
// signer counts at most once.
func (c *Config) satisfied(g *common.ConfigGroup, name string, signers []*Identity) (bool, error) {
	cp, ok := g.GetPolicies()[name]
	if !ok || cp.GetPolicy() == nil {
		return false, fmt.Errorf("no policy %q in the configuration", name)
	}
	switch common.Policy_PolicyType(cp.GetPolicy().GetType()) {
	case common.Policy_SIGNATURE:
		var env common.SignaturePolicyEnvelope
		if err := proto.Unmarshal(cp.GetPolicy().GetValue(), &env); err != nil {
			return false, fmt.Errorf("decode signature policy %q: %w", name, err)
		}
		return c.evalSignature(env.GetRule(), env.GetIdentities(), signers, make([]bool, len(signers)))
	case common.Policy_IMPLICIT_META:
		var meta common.ImplicitMetaPolicy
		if err := proto.Unmarshal(cp.GetPolicy().GetValue(), &meta); err != nil {
			return false, fmt.Errorf("decode implicit meta policy %q: %w", name, err)
		}
		subs := g.GetGroups()
		met := 0
		for _, key := range sortedKeys(subs) {
			ok, err := c.satisfied(subs[key], meta.GetSubPolicy(), signers)
			if err != nil {
				return false, fmt.Errorf("%s: %w", key, err)
			}
			if ok {
				met++
			}
		}
		return met >= threshold(meta.GetRule(), len(subs)), nil
	default:
		return false, fmt.Errorf("policy %q has unsupported type %d", name, cp.GetPolicy().GetType())
	}
}

// threshold is how many of n sub-policies an implicit-meta rule needs.
func threshold(rule common.ImplicitMetaPolicy_Rule, n int) int {
	switch rule {
	case common.ImplicitMetaPolicy_ALL:
		return n
	case common.ImplicitMetaPolicy_MAJORITY:
		return n/2 + 1
	default: // ANY
		return 1
	}
}

// evalSignature mirrors Fabric's cauthdsl: for n-out-of, each rule is tried
// in order on a copy of used and its marks are kept only when it succeeds.
func (c *Config) evalSignature(rule *common.SignaturePolicy, principals []*mspproto.MSPPrincipal, signers []*Identity, used []bool) (bool, error) {
	switch t := rule.GetType().(type) {
	case *common.SignaturePolicy_NOutOf_:
		met := int32(0)
		trial := make([]bool, len(used))
		for _, r := range t.NOutOf.GetRules() {
			copy(trial, used)
			ok, err := c.evalSignature(r, principals, signers, trial)
			if err != nil {
				return false, err
			}
			if ok {
				met++
				copy(used, trial)
			}
		}
		return met >= t.NOutOf.GetN(), nil
	case *common.SignaturePolicy_SignedBy:
		if t.SignedBy < 0 || int(t.SignedBy) >= len(principals) {
			return false, fmt.Errorf("signature policy names principal %d of %d", t.SignedBy, len(principals))
		}
		p := principals[t.SignedBy]
		if p.GetPrincipalClassification() != mspproto.MSPPrincipal_ROLE {
			return false, fmt.Errorf("signature policy principal kind %s is not supported", p.GetPrincipalClassification())
		}
		var role mspproto.MSPRole
		if err := proto.Unmarshal(p.GetPrincipal(), &role); err != nil {
			return false, fmt.Errorf("decode principal: %w", err)
		}
		for i, s := range signers {
			if !used[i] && s.MSPID == role.GetMspIdentifier() && c.hasRole(s, role.GetRole()) {
				used[i] = true
				return true, nil
			}
		}
		return false, nil
	default:
		return false, fmt.Errorf("empty signature policy rule")
	}
}
