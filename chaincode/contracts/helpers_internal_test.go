package contracts

import (
	"testing"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/hyperledger/fabric-protos-go-apiv2/msp"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/proto"

	"github.com/civicledger/civicledger/chaincode/internal/fakestub"
)

// ctxAs returns the context of a transaction on stub submitted by id.
func ctxAs(stub *fakestub.Stub, id fakestub.Identity) *TxContext {
	ctx := new(TxContext)
	ctx.SetStub(stub.As(id))
	return ctx
}

// satisfied evaluates a signature policy against the set of administrations
// whose peers endorsed, as the peer's validator would.
func satisfied(t *testing.T, policy []byte, endorsers ...string) bool {
	t.Helper()
	var env common.SignaturePolicyEnvelope
	require.NoError(t, proto.Unmarshal(policy, &env))
	ids := make([]string, len(env.Identities))
	for i, p := range env.Identities {
		require.Equal(t, msp.MSPPrincipal_ROLE, p.PrincipalClassification)
		var role msp.MSPRole
		require.NoError(t, proto.Unmarshal(p.Principal, &role))
		require.Equal(t, msp.MSPRole_PEER, role.Role)
		ids[i] = role.MspIdentifier
	}
	has := map[string]bool{}
	for _, e := range endorsers {
		has[e] = true
	}
	var eval func(r *common.SignaturePolicy) bool
	eval = func(r *common.SignaturePolicy) bool {
		switch x := r.Type.(type) {
		case *common.SignaturePolicy_SignedBy:
			return has[ids[x.SignedBy]]
		case *common.SignaturePolicy_NOutOf_:
			n := 0
			for _, sub := range x.NOutOf.Rules {
				if eval(sub) {
					n++
				}
			}
			return n >= int(x.NOutOf.N)
		}
		t.Fatalf("unexpected rule %T", r.Type)
		return false
	}
	return eval(env.Rule)
}
