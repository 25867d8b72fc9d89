package receipt

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"math/big"
	"testing"
	"time"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	mspproto "github.com/hyperledger/fabric-protos-go-apiv2/msp"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/proto"
)

// testCA is a throw-away certificate authority for one MSP.
type testCA struct {
	cert *x509.Certificate
	key  *ecdsa.PrivateKey
}

func newCA(t *testing.T, name string) *testCA {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "ca." + name},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	require.NoError(t, err)
	cert, err := x509.ParseCertificate(der)
	require.NoError(t, err)
	return &testCA{cert: cert, key: key}
}

// signer is an identity issued by a testCA with its key.
type signer struct {
	serialized []byte
	key        *ecdsa.PrivateKey
}

func (ca *testCA) issue(t *testing.T, mspID, cn, ou string) *signer {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: cn, OrganizationalUnit: []string{ou}},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), KeyUsage: x509.KeyUsageDigitalSignature,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.cert, &key.PublicKey, ca.key)
	require.NoError(t, err)
	sid, err := proto.Marshal(&mspproto.SerializedIdentity{Mspid: mspID, IdBytes: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})})
	require.NoError(t, err)
	return &signer{serialized: sid, key: key}
}

// sign signs msg the way Fabric does: ECDSA over SHA-256, DER, low S.
func (s *signer) sign(t *testing.T, msg []byte) []byte {
	t.Helper()
	digest := sha256.Sum256(msg)
	r, sv, err := ecdsa.Sign(rand.Reader, s.key, digest[:])
	require.NoError(t, err)
	if half := halfOrder(elliptic.P256()); sv.Cmp(half) > 0 {
		sv.Sub(elliptic.P256().Params().N, sv)
	}
	der, err := asn1.Marshal(struct{ R, S *big.Int }{r, sv})
	require.NoError(t, err)
	return der
}

// testConfig is a channel configuration of application organizations with
// node OUs, each endorsing with OR('<msp>.peer'), and a MAJORITY Endorsement
// policy over them.
func testConfig(t *testing.T, cas map[string]*testCA) *Config {
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
	cfg := &Config{Channel: "civic", MSPs: map[string]*MSP{}, Root: &common.ConfigGroup{Groups: map[string]*common.ConfigGroup{"Application": app}}}
	for id, ca := range cas {
		cfg.MSPs[id] = &MSP{ID: id, Roots: []*x509.Certificate{ca.cert}, NodeOUs: ous, Application: true}
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
