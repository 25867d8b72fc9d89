package configupdate

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"testing"
	"time"

	"github.com/hyperledger/fabric-config/configtx"
	"github.com/hyperledger/fabric-config/configtx/membership"
	"github.com/hyperledger/fabric-config/configtx/orderer"
	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/proto"
)

const (
	testChannel = "civic"
	testHost    = "127.0.0.1"
)

// testOrg is an administration of the test network: its own CA (identity
// and TLS root, as network/msp.go writes it) and ports.
type testOrg struct {
	mspID string
	ca    *x509.Certificate
	key   *ecdsa.PrivateKey
	port  int // peer port; orderer port+1, extra consenters port+2...
	// consenters is how many Raft nodes it runs (1 unless a test says).
	consenters int
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
	return &testOrg{mspID: mspID, ca: ca, key: key, port: port, consenters: 1}
}

// issue makes a certificate of the org's CA with the given OU (the role
// Fabric CA writes: admin, client, peer, orderer).
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

// signer is an identity of the org with the given OU.
func (o *testOrg) signer(t *testing.T, ou string) *configtx.SigningIdentity {
	cert, key := o.issue(t, ou+"1."+o.mspID, ou)
	return &configtx.SigningIdentity{Certificate: cert, PrivateKey: key, MSPID: o.mspID}
}

func pemOf(c *x509.Certificate) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})
}

// joinRequest is the org described as a newcomer.
func (o *testOrg) joinRequest(t *testing.T) Administration {
	tlsCert, _ := o.issue(t, "orderer."+o.mspID, "orderer")
	return Administration{
		MSPID: o.mspID, RootCerts: [][]byte{pemOf(o.ca)}, TLSRootCerts: [][]byte{pemOf(o.ca)},
		AnchorPeer:      Endpoint{testHost, o.port},
		OrdererEndpoint: Endpoint{testHost, o.port + 1},
		Consenter:       Consenter{Endpoint: Endpoint{testHost, o.port + 1}, ClientTLSCert: pemOf(tlsCert), ServerTLSCert: pemOf(tlsCert)},
	}
}

// rule is network/channel.go's orgRule.
func rule(msp string, roles ...string) string {
	out := "OR("
	for i, r := range roles {
		if i > 0 {
			out += ","
		}
		out += "'" + msp + "." + r + "'"
	}
	return out + ")"
}

// organization is the org as configtx.yaml describes it in network/channel.go.
func (o *testOrg) organization() configtx.Organization {
	ou := func(name string) membership.OUIdentifier {
		return membership.OUIdentifier{Certificate: o.ca, OrganizationalUnitIdentifier: name}
	}
	sig := func(r string) configtx.Policy { return configtx.Policy{Type: configtx.SignaturePolicyType, Rule: r} }
	return configtx.Organization{
		Name: o.mspID,
		Policies: map[string]configtx.Policy{
			"Readers":     sig(rule(o.mspID, "admin", "peer", "client", "orderer")),
			"Writers":     sig(rule(o.mspID, "admin", "client", "orderer")),
			"Admins":      sig(rule(o.mspID, "admin")),
			"Endorsement": sig(rule(o.mspID, "peer")),
		},
		MSP: configtx.MSP{
			Name: o.mspID, RootCerts: []*x509.Certificate{o.ca}, TLSRootCerts: []*x509.Certificate{o.ca},
			CryptoConfig: membership.CryptoConfig{SignatureHashFamily: "SHA2", IdentityIdentifierHashFunction: "SHA256"},
			NodeOUs: membership.NodeOUs{
				Enable: true, ClientOUIdentifier: ou("client"), PeerOUIdentifier: ou("peer"),
				AdminOUIdentifier: ou("admin"), OrdererOUIdentifier: ou("orderer"),
			},
		},
		AnchorPeers:      []configtx.Address{{Host: testHost, Port: o.port}},
		OrdererEndpoints: []string{testHost + ":" + itoa(o.port+1)},
	}
}

func itoa(i int) string { return big.NewInt(int64(i)).String() }

// channelConfig builds the channel's genesis configuration for orgs the
// way network/channel.go's configtx.yaml describes it: etcdraft with the
// orgs' consenters, MAJORITY admin and endorsement policies, V2_5.
func channelConfig(t *testing.T, orgs ...*testOrg) *common.Config {
	t.Helper()
	var organizations []configtx.Organization
	var consenters []orderer.Consenter
	for _, o := range orgs {
		organizations = append(organizations, o.organization())
		for i := 0; i < o.consenters; i++ {
			tlsCert, _ := o.issue(t, "orderer"+itoa(i)+"."+o.mspID, "orderer")
			consenters = append(consenters, orderer.Consenter{
				Address: orderer.EtcdAddress{Host: testHost, Port: o.port + 1 + i}, ClientTLSCert: tlsCert, ServerTLSCert: tlsCert,
			})
		}
	}
	meta := func(r string) configtx.Policy { return configtx.Policy{Type: configtx.ImplicitMetaPolicyType, Rule: r} }
	common3 := map[string]configtx.Policy{"Readers": meta("ANY Readers"), "Writers": meta("ANY Writers"), "Admins": meta("MAJORITY Admins")}
	with := func(extra map[string]configtx.Policy) map[string]configtx.Policy {
		out := map[string]configtx.Policy{}
		for k, v := range common3 {
			out[k] = v
		}
		for k, v := range extra {
			out[k] = v
		}
		return out
	}
	ch := configtx.Channel{
		Capabilities: []string{"V2_0"},
		Policies:     common3,
		Orderer: configtx.Orderer{
			OrdererType: orderer.ConsensusTypeEtcdRaft, BatchTimeout: 250 * time.Millisecond,
			BatchSize: orderer.BatchSize{MaxMessageCount: 100, AbsoluteMaxBytes: 10 << 20, PreferredMaxBytes: 2 << 20},
			EtcdRaft: orderer.EtcdRaft{Consenters: consenters, Options: orderer.EtcdRaftOptions{
				TickInterval: "100ms", ElectionTick: 10, HeartbeatTick: 1, MaxInflightBlocks: 5, SnapshotIntervalSize: 4 << 10,
			}},
			Organizations: organizations,
			Capabilities:  []string{"V2_0"},
			Policies:      with(map[string]configtx.Policy{"BlockValidation": meta("ANY Writers")}),
			State:         orderer.ConsensusStateNormal,
		},
		Application: configtx.Application{
			Organizations: organizations,
			Capabilities:  []string{"V2_5"},
			Policies: with(map[string]configtx.Policy{
				"LifecycleEndorsement": meta("MAJORITY Endorsement"), "Endorsement": meta("MAJORITY Endorsement"),
			}),
		},
	}
	block, err := configtx.NewApplicationChannelGenesisBlock(ch, testChannel)
	require.NoError(t, err)
	// configtxgen writes the anchor peers into the genesis block; fabric-config
	// leaves them out, so they are added here.
	tx := configtx.New(configOfBlock(t, block))
	for _, o := range orgs {
		require.NoError(t, tx.Application().Organization(o.mspID).AddAnchorPeer(configtx.Address{Host: testHost, Port: o.port}))
	}
	return tx.UpdatedConfig()
}

// configOfBlock extracts the configuration from a config block.
func configOfBlock(t *testing.T, block *common.Block) *common.Config {
	t.Helper()
	var env common.Envelope
	require.NoError(t, proto.Unmarshal(block.GetData().GetData()[0], &env))
	var payload common.Payload
	require.NoError(t, proto.Unmarshal(env.GetPayload(), &payload))
	var cfgEnv common.ConfigEnvelope
	require.NoError(t, proto.Unmarshal(payload.GetData(), &cfgEnv))
	return cfgEnv.GetConfig()
}
