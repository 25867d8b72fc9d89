//go:build integration

package integration

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/pem"
	"fmt"
	"math/big"
	"os"
	"testing"
	"time"

	"github.com/hyperledger/fabric-config/configtx"
	"github.com/hyperledger/fabric-gateway/pkg/client"
	"github.com/hyperledger/fabric-gateway/pkg/identity"
	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/proto"

	"github.com/civicledger/civicledger/chaincode/records"
	"github.com/civicledger/civicledger/chaincode/spec"
	"github.com/civicledger/civicledger/network/configupdate"
)

// TestMembershipSignatures proposes adding an administration on the real
// channel, collects two administrations' admin signatures through the
// contract, and checks with the channel's own policies that the
// signatures read back from the ledger authorise the update.
func TestMembershipSignatures(t *testing.T) {
	current := channelConfig(t)
	subject := fmt.Sprintf("Harbour%dMSP", time.Now().UnixNano()%1_000_000_000)
	update, err := configupdate.AddAdministration(current, tn.Conn.Channel, newcomer(t, subject))
	require.NoError(t, err)

	input := jsonArg(t, records.MembershipProposeInput{
		Kind: spec.MembershipAdd, SubjectMSPID: subject, Update: base64.StdEncoding.EncodeToString(update.Bytes),
		Sequence: update.Sequence, ExpiresAt: time.Now().Add(24 * time.Hour).UTC().Format(time.RFC3339),
	})
	proposed := decode[records.MembershipProposal](t, mustSubmit(t, contract(t, registry, adminName(t, registry)), spec.MembershipPropose, input))
	require.Equal(t, spec.MembershipOpen, proposed.Status)

	signature := func(mspID string) string {
		sig, err := configupdate.Sign(update.Bytes, signingIdentity(t, mspID))
		require.NoError(t, err)
		raw, err := proto.Marshal(sig)
		require.NoError(t, err)
		return base64.StdEncoding.EncodeToString(raw)
	}
	t.Run("admins of two administrations record their signatures", func(t *testing.T) {
		for _, mspID := range []string{registry, treasury} {
			mustSubmit(t, contract(t, mspID, adminName(t, mspID)), spec.MembershipSign, proposed.ID, signature(mspID))
		}
	})
	t.Run("a second signature of the same administration is refused", func(t *testing.T) {
		_, _, err := submit(t, contract(t, treasury, adminName(t, treasury)), spec.MembershipSign,
			client.WithArguments(proposed.ID, signature(treasury)))
		requireRefused(t, err, "ALREADY_EXISTS")
		require.Contains(t, errorText(err), treasury+" already signed")
	})

	var stored *records.MembershipProposal
	t.Run("the listing shows the proposal with its two signatures", func(t *testing.T) {
		page := decode[records.MembershipPage](t, mustEvaluate(t, council, adminName(t, council), spec.MembershipList, spec.MembershipOpen, "100", ""))
		for _, p := range page.Proposals {
			if p.ID == proposed.ID {
				stored = p
			}
		}
		require.NotNil(t, stored, "proposal %s is listed as open", proposed.ID)
		require.Len(t, stored.Signatures, 2)
		require.Equal(t, []string{registry, treasury}, []string{stored.Signatures[0].MSPID, stored.Signatures[1].MSPID})
	})
	t.Run("the signatures on the ledger satisfy the channel's admin policies, one alone does not", func(t *testing.T) {
		require.NotNil(t, stored)
		var sigs []*common.ConfigSignature
		for _, s := range stored.Signatures {
			raw, err := base64.StdEncoding.DecodeString(s.ConfigSignature)
			require.NoError(t, err)
			sig := new(common.ConfigSignature)
			require.NoError(t, proto.Unmarshal(raw, sig))
			sigs = append(sigs, sig)
		}
		both, err := configupdate.Check(current, update.Bytes, sigs, time.Now())
		require.NoError(t, err)
		require.True(t, both.Satisfied(), "%+v", both)
		one, err := configupdate.Check(current, update.Bytes, sigs[:1], time.Now())
		require.NoError(t, err)
		require.False(t, one.Satisfied(), "%+v", one)
	})
}

// channelConfig reads the channel's current configuration from the config
// block that registry's peer serves (cscc GetConfigBlock).
func channelConfig(t *testing.T) *common.Config {
	t.Helper()
	gw, err := tn.Gateway(registry, adminName(t, registry))
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	raw, err := gw.GetNetwork(tn.Conn.Channel).GetContract("cscc").EvaluateWithContext(ctx, "GetConfigBlock",
		client.WithArguments(tn.Conn.Channel), client.WithEndorsingOrganizations(registry))
	require.NoError(t, err, errorText(err))
	cfg, err := configupdate.ConfigFromBlockBytes(raw)
	require.NoError(t, err)
	return cfg
}

// adminName is the name of an admin user of mspID in the connection file.
func adminName(t *testing.T, mspID string) string {
	t.Helper()
	org, err := tn.Conn.Org(mspID)
	require.NoError(t, err)
	for name, u := range org.Users {
		if u.Role == spec.RoleAdmin {
			return name
		}
	}
	t.Fatalf("%s has no admin user in the connection file", mspID)
	return ""
}

// signingIdentity is mspID's admin, from its certificate and key files.
func signingIdentity(t *testing.T, mspID string) *configtx.SigningIdentity {
	t.Helper()
	org, err := tn.Conn.Org(mspID)
	require.NoError(t, err)
	u, err := org.User(adminName(t, mspID))
	require.NoError(t, err)
	certPEM, err := os.ReadFile(u.Cert)
	require.NoError(t, err)
	cert, err := identity.CertificateFromPEM(certPEM)
	require.NoError(t, err)
	keyPEM, err := os.ReadFile(u.Key)
	require.NoError(t, err)
	key, err := identity.PrivateKeyFromPEM(keyPEM)
	require.NoError(t, err)
	return &configtx.SigningIdentity{Certificate: cert, PrivateKey: key, MSPID: mspID}
}

// newcomer describes an administration that is not in the channel: its
// own CA, which also issues its consenter's TLS certificate, on ports that
// no member uses (the update is never applied).
func newcomer(t *testing.T, mspID string) configupdate.Administration {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	ca := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "ca." + mspID, Organization: []string{mspID}},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, ca, ca, &key.PublicKey, key)
	require.NoError(t, err)
	caCert, err := x509.ParseCertificate(caDER)
	require.NoError(t, err)
	tlsKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tlsDER, err := x509.CreateCertificate(rand.Reader, &x509.Certificate{
		SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "orderer." + mspID},
		NotBefore: ca.NotBefore, NotAfter: ca.NotAfter, DNSNames: []string{"localhost"},
		KeyUsage:    x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth},
	}, caCert, &tlsKey.PublicKey, key)
	require.NoError(t, err)
	pemOf := func(der []byte) []byte { return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}) }
	return configupdate.Administration{
		MSPID: mspID, RootCerts: [][]byte{pemOf(caDER)}, TLSRootCerts: [][]byte{pemOf(caDER)},
		AnchorPeer:      configupdate.Endpoint{Host: "localhost", Port: 1},
		OrdererEndpoint: configupdate.Endpoint{Host: "localhost", Port: 2},
		Consenter:       configupdate.Consenter{Endpoint: configupdate.Endpoint{Host: "localhost", Port: 3}, ClientTLSCert: pemOf(tlsDER), ServerTLSCert: pemOf(tlsDER)},
	}
}
