package receipt

import (
	"crypto/x509"
	"testing"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	mspproto "github.com/hyperledger/fabric-protos-go-apiv2/msp"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/proto"

	"github.com/civicledger/civicledger/gateway/internal/testpki"
)

// testConfig is a channel configuration of application organizations with
// node OUs, each endorsing with OR('<msp>.peer'), and a MAJORITY Endorsement
// policy over them.
func testConfig(t *testing.T, cas map[string]*testpki.CA) *Config {
	t.Helper()
	ous := &mspproto.FabricNodeOUs{
		Enable:              true,
		ClientOuIdentifier:  &mspproto.FabricOUIdentifier{OrganizationalUnitIdentifier: "client"},
		PeerOuIdentifier:    &mspproto.FabricOUIdentifier{OrganizationalUnitIdentifier: "peer"},
		AdminOuIdentifier:   &mspproto.FabricOUIdentifier{OrganizationalUnitIdentifier: "admin"},
		OrdererOuIdentifier: &mspproto.FabricOUIdentifier{OrganizationalUnitIdentifier: "orderer"},
	}
	app := &common.ConfigGroup{Groups: map[string]*common.ConfigGroup{}, Policies: map[string]*common.ConfigPolicy{
		"Endorsement": {Policy: implicitMeta(t, "Endorsement", common.ImplicitMetaPolicy_MAJORITY)},
	}}
	cfg := &Config{Channel: "civic", MSPs: map[string]*MSP{}, AppOrgs: map[string]string{}, Root: &common.ConfigGroup{Groups: map[string]*common.ConfigGroup{"Application": app}}}
	for id, ca := range cas {
		cfg.MSPs[id] = &MSP{ID: id, Roots: []*x509.Certificate{ca.Cert}, NodeOUs: ous, Application: true}
		cfg.AppOrgs[id] = id
		app.Groups[id] = &common.ConfigGroup{Policies: map[string]*common.ConfigPolicy{
			"Endorsement": {Policy: signedByRole(t, id, mspproto.MSPRole_PEER)},
		}}
	}
	return cfg
}

func implicitMeta(t *testing.T, sub string, rule common.ImplicitMetaPolicy_Rule) *common.Policy {
	t.Helper()
	v, err := proto.Marshal(&common.ImplicitMetaPolicy{SubPolicy: sub, Rule: rule})
	require.NoError(t, err)
	return &common.Policy{Type: int32(common.Policy_IMPLICIT_META), Value: v}
}

func signedByRole(t *testing.T, mspID string, role mspproto.MSPRole_MSPRoleType) *common.Policy {
	t.Helper()
	principal, err := proto.Marshal(&mspproto.MSPRole{MspIdentifier: mspID, Role: role})
	require.NoError(t, err)
	v, err := proto.Marshal(&common.SignaturePolicyEnvelope{
		Rule: &common.SignaturePolicy{Type: &common.SignaturePolicy_NOutOf_{NOutOf: &common.SignaturePolicy_NOutOf{
			N: 1, Rules: []*common.SignaturePolicy{{Type: &common.SignaturePolicy_SignedBy{SignedBy: 0}}},
		}}},
		Identities: []*mspproto.MSPPrincipal{{PrincipalClassification: mspproto.MSPPrincipal_ROLE, Principal: principal}},
	})
	require.NoError(t, err)
	return &common.Policy{Type: int32(common.Policy_SIGNATURE), Value: v}
}
