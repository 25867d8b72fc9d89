package server

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"testing"
	"time"

	"github.com/hyperledger/fabric-config/configtx"
	"github.com/hyperledger/fabric-config/configtx/membership"
	"github.com/hyperledger/fabric-config/configtx/orderer"
	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/proto"

	"github.com/civicledger/civicledger/network/configupdate"
)

const testMembershipChannel = "civic"

// testOrg is an administration of a synthetic channel: its own CA (identity
// and TLS root, as network/msp.go writes it) and ports (peer at port,
// orderer at port+1).
type testOrg struct {
	mspID string
	ca    *x509.Certificate
	key   *ecdsa.PrivateKey
	port  int
}

func newTestOrg(t *testing.T, mspID string, port int) *testOrg {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "ca." + mspID, Organization: []string{mspID}},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	require.NoError(t, err)
	ca, err := x509.ParseCertificate(der)
	require.NoError(t, err)
	return &testOrg{mspID: mspID, ca: ca, key: key, port: port}
}

// issue makes a certificate of the org's CA with the given OU.
func (o *testOrg) issue(t *testing.T, cn, ou string) (*x509.Certificate, *ecdsa.PrivateKey) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	serial, err := rand.Int(rand.Reader, big.NewInt(1<<62))
	require.NoError(t, err)
	tmpl := &x509.Certificate{
		SerialNumber: serial, Subject: pkix.Name{CommonName: cn, OrganizationalUnit: []string{ou}},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, DNSNames: []string{"localhost"},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, o.ca, &key.PublicKey, o.key)
	require.NoError(t, err)
	cert, err := x509.ParseCertificate(der)
	require.NoError(t, err)
	return cert, key
}

func (o *testOrg) admin(t *testing.T) *configtx.SigningIdentity {
	cert, key := o.issue(t, "admin1."+o.mspID, "admin")
	return &configtx.SigningIdentity{Certificate: cert, PrivateKey: key, MSPID: o.mspID}
}

func pemOf(c *x509.Certificate) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})
}

// joinRequest is the org described as a newcomer.
func (o *testOrg) joinRequest(t *testing.T) configupdate.Administration {
	tlsCert, _ := o.issue(t, "orderer."+o.mspID, "orderer")
	ep := func(p int) configupdate.Endpoint { return configupdate.Endpoint{Host: "127.0.0.1", Port: p} }
	return configupdate.Administration{
		MSPID: o.mspID, RootCerts: [][]byte{pemOf(o.ca)}, TLSRootCerts: [][]byte{pemOf(o.ca)},
		AnchorPeer: ep(o.port), OrdererEndpoint: ep(o.port + 1),
		Consenter: configupdate.Consenter{Endpoint: ep(o.port + 1), ClientTLSCert: pemOf(tlsCert), ServerTLSCert: pemOf(tlsCert)},
	}
}

func (o *testOrg) organization() configtx.Organization {
	ou := func(name string) membership.OUIdentifier {
		return membership.OUIdentifier{Certificate: o.ca, OrganizationalUnitIdentifier: name}
	}
	sig := func(roles string) configtx.Policy {
		return configtx.Policy{Type: configtx.SignaturePolicyType, Rule: fmt.Sprintf("OR('%s.%s')", o.mspID, roles)}
	}
	return configtx.Organization{
		Name: o.mspID,
		Policies: map[string]configtx.Policy{
			"Readers": sig("member"), "Writers": sig("member"), "Admins": sig("admin"), "Endorsement": sig("peer"),
		},
		MSP: configtx.MSP{
			Name: o.mspID, RootCerts: []*x509.Certificate{o.ca}, TLSRootCerts: []*x509.Certificate{o.ca},
			CryptoConfig: membership.CryptoConfig{SignatureHashFamily: "SHA2", IdentityIdentifierHashFunction: "SHA256"},
			NodeOUs: membership.NodeOUs{
				Enable: true, ClientOUIdentifier: ou("client"), PeerOUIdentifier: ou("peer"),
				AdminOUIdentifier: ou("admin"), OrdererOUIdentifier: ou("orderer"),
			},
		},
		AnchorPeers:      []configtx.Address{{Host: "127.0.0.1", Port: o.port}},
		OrdererEndpoints: []string{fmt.Sprintf("127.0.0.1:%d", o.port+1)},
	}
}

// testChannelConfig is a channel of orgs as network/channel.go makes it:
// etcdraft with one consenter each, MAJORITY Admins.
func testChannelConfig(t *testing.T, orgs ...*testOrg) *common.Config {
	t.Helper()
	var organizations []configtx.Organization
	var consenters []orderer.Consenter
	for _, o := range orgs {
		organizations = append(organizations, o.organization())
		tlsCert, _ := o.issue(t, "orderer0."+o.mspID, "orderer")
		consenters = append(consenters, orderer.Consenter{
			Address: orderer.EtcdAddress{Host: "127.0.0.1", Port: o.port + 1}, ClientTLSCert: tlsCert, ServerTLSCert: tlsCert,
		})
	}
	meta := func(r string) configtx.Policy { return configtx.Policy{Type: configtx.ImplicitMetaPolicyType, Rule: r} }
	policies := func(extra ...string) map[string]configtx.Policy {
		out := map[string]configtx.Policy{"Readers": meta("ANY Readers"), "Writers": meta("ANY Writers"), "Admins": meta("MAJORITY Admins")}
		for i := 0; i < len(extra); i += 2 {
			out[extra[i]] = meta(extra[i+1])
		}
		return out
	}
	ch := configtx.Channel{
		Capabilities: []string{"V2_0"},
		Policies:     policies(),
		Orderer: configtx.Orderer{
			OrdererType: orderer.ConsensusTypeEtcdRaft, BatchTimeout: 250 * time.Millisecond,
			BatchSize: orderer.BatchSize{MaxMessageCount: 100, AbsoluteMaxBytes: 10 << 20, PreferredMaxBytes: 2 << 20},
			EtcdRaft: orderer.EtcdRaft{Consenters: consenters, Options: orderer.EtcdRaftOptions{
				TickInterval: "100ms", ElectionTick: 10, HeartbeatTick: 1, MaxInflightBlocks: 5, SnapshotIntervalSize: 4 << 10,
			}},
			Organizations: organizations, Capabilities: []string{"V2_0"},
			Policies: policies("BlockValidation", "ANY Writers"), State: orderer.ConsensusStateNormal,
		},
		Application: configtx.Application{
			Organizations: organizations, Capabilities: []string{"V2_5"},
			Policies: policies("LifecycleEndorsement", "MAJORITY Endorsement", "Endorsement", "MAJORITY Endorsement"),
		},
	}
	block, err := configtx.NewApplicationChannelGenesisBlock(ch, testMembershipChannel)
	require.NoError(t, err)
	cfg, err := configupdate.ConfigFromBlock(block)
	require.NoError(t, err)
	return cfg
}

// testConfigBlock is config block number n holding cfg, applied by update
// (nil for none), as cscc GetConfigBlock answers it.
func testConfigBlock(t *testing.T, n uint64, cfg *common.Config, update []byte) string {
	t.Helper()
	mustMarshal := func(m proto.Message) []byte {
		b, err := proto.Marshal(m)
		require.NoError(t, err)
		return b
	}
	cfgEnv := &common.ConfigEnvelope{Config: cfg}
	if update != nil {
		cfgEnv.LastUpdate = &common.Envelope{Payload: mustMarshal(&common.Payload{
			Header: &common.Header{ChannelHeader: mustMarshal(&common.ChannelHeader{Type: int32(common.HeaderType_CONFIG_UPDATE)})},
			Data:   mustMarshal(&common.ConfigUpdateEnvelope{ConfigUpdate: update}),
		})}
	}
	env := &common.Envelope{Payload: mustMarshal(&common.Payload{
		Header: &common.Header{ChannelHeader: mustMarshal(&common.ChannelHeader{Type: int32(common.HeaderType_CONFIG), ChannelId: testMembershipChannel})},
		Data:   mustMarshal(cfgEnv),
	})}
	return string(mustMarshal(&common.Block{Header: &common.BlockHeader{Number: n}, Data: &common.BlockData{Data: [][]byte{mustMarshal(env)}}}))
}
