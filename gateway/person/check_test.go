package person

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"testing"
	"time"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/hyperledger/fabric-protos-go-apiv2/gateway"
	"github.com/hyperledger/fabric-protos-go-apiv2/msp"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/proto"

	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
)

func testCert(t *testing.T, cn string) *x509.Certificate {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: cn},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	require.NoError(t, err)
	cert, err := x509.ParseCertificate(der)
	require.NoError(t, err)
	return cert
}

func marshal(t *testing.T, m proto.Message) []byte {
	t.Helper()
	b, err := proto.Marshal(m)
	require.NoError(t, err)
	return b
}

func serialized(t *testing.T, mspID string, cert *x509.Certificate) []byte {
	return marshal(t, &msp.SerializedIdentity{Mspid: mspID, IdBytes: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Raw})})
}

func header(t *testing.T, creator []byte, txID string) *common.Header {
	return &common.Header{
		ChannelHeader:   marshal(t, &common.ChannelHeader{TxId: txID, ChannelId: "civic"}),
		SignatureHeader: marshal(t, &common.SignatureHeader{Creator: creator}),
	}
}

func request(kind string, message []byte) *apiv1.SignatureRequest {
	sum := sha256.Sum256(message)
	return &apiv1.SignatureRequest{Kind: kind, Message: message, Digest: sum[:]}
}

func TestChecker(t *testing.T) {
	me := testCert(t, "R-0001")
	self := serialized(t, "RegistryMSP", me)
	someone := serialized(t, "RegistryMSP", testCert(t, "R-0002"))
	proposal := func(creator []byte, txID string) []byte {
		spec := &peer.ChaincodeInvocationSpec{ChaincodeSpec: &peer.ChaincodeSpec{
			ChaincodeId: &peer.ChaincodeID{Name: "civic"}, Input: &peer.ChaincodeInput{Args: [][]byte{[]byte("Documents:Register"), []byte("{}")}}}}
		return marshal(t, &peer.Proposal{
			Header:  marshal(t, header(t, creator, txID)),
			Payload: marshal(t, &peer.ChaincodeProposalPayload{Input: marshal(t, spec)}),
		})
	}
	transaction := func(creator []byte, txID string) []byte {
		return marshal(t, &common.Payload{Header: header(t, creator, txID)})
	}
	commit := func(creator []byte, txID string) []byte {
		return marshal(t, &gateway.CommitStatusRequest{TransactionId: txID, ChannelId: "civic", Identity: creator})
	}

	t.Run("the person's proposal, then its transaction and commit status, are signed", func(t *testing.T) {
		c := newChecker("RegistryMSP", me)
		s, err := c.check(request("proposal", proposal(self, "tx1")))
		require.NoError(t, err)
		require.Equal(t, Signed{Kind: "proposal", TransactionID: "tx1", Function: "civic Documents:Register"}, s)
		_, err = c.check(request("transaction", transaction(self, "tx1")))
		require.NoError(t, err)
		_, err = c.check(request("commit-status", commit(self, "tx1")))
		require.NoError(t, err)
		_, err = c.check(request("events-request", marshal(t, &gateway.ChaincodeEventsRequest{ChannelId: "civic", Identity: self})))
		require.NoError(t, err)
	})
	t.Run("refusals", func(t *testing.T) {
		c := newChecker("RegistryMSP", me)
		_, err := c.check(request("proposal", proposal(self, "tx1")))
		require.NoError(t, err)
		wrongDigest := request("proposal", proposal(self, "tx2"))
		wrongDigest.Digest[0] ^= 1
		for name, tc := range map[string]struct {
			req  *apiv1.SignatureRequest
			want string
		}{
			"a digest that is not the message's":           {wrongDigest, "not the SHA-256 of the message"},
			"a digest without its message":                 {&apiv1.SignatureRequest{Kind: "unverified", Digest: make([]byte, 32)}, "not the SHA-256"},
			"an unknown kind":                              {request("unverified", []byte("x")), `refused to sign a "unverified" message`},
			"someone else's proposal":                      {request("proposal", proposal(someone, "tx3")), "does not name this person"},
			"the same certificate of another MSP":          {request("proposal", proposal(serialized(t, "TreasuryMSP", me), "tx3")), "does not name this person"},
			"a transaction whose proposal it never signed": {request("transaction", transaction(self, "tx9")), "not one whose proposal this session signed"},
			"someone else's transaction":                   {request("transaction", transaction(someone, "tx1")), "does not name this person"},
			"a commit status of an unknown transaction":    {request("commit-status", commit(self, "tx9")), "not one whose proposal"},
			"a message that does not decode":               {request("proposal", []byte{0xff, 0xff}), "does not decode"},
		} {
			t.Run(name, func(t *testing.T) {
				_, err := c.check(tc.req)
				require.ErrorContains(t, err, tc.want)
			})
		}
	})
	t.Run("a session remembers a bounded number of transactions", func(t *testing.T) {
		c := newChecker("RegistryMSP", me)
		for i := range maxRemembered + 1 {
			c.remember(big.NewInt(int64(i)).String())
		}
		require.False(t, c.known("0"))
		require.True(t, c.known("1"))
		require.Len(t, c.txIDs, maxRemembered)
	})
}
