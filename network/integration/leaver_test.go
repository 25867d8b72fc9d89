//go:build integration

package integration

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"encoding/hex"
	"os"
	"testing"
	"time"

	fabid "github.com/hyperledger/fabric-gateway/pkg/identity"
	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/hyperledger/fabric-protos-go-apiv2/msp"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/timestamppb"

	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
	"github.com/civicledger/civicledger/network/configupdate"
	"github.com/civicledger/civicledger/network/connfile"
)

// gatewayConn connects to mspID's CivicLedger gateway as user; the
// connection closes with the test.
func gatewayConn(t *testing.T, mspID, user string) *grpc.ClientConn {
	t.Helper()
	conn, err := tn.Conn.DialGateway(mspID, user)
	require.NoError(t, err)
	t.Cleanup(func() { conn.Close() })
	return conn
}

// requireRefusedEverywhere checks that the leaver's clerk, with its still
// unexpired certificate and key, can use none of the nodes of the member at:
// its gateway, its peer (through a bare Fabric Gateway client) and its
// orderer.
func requireRefusedEverywhere(t *testing.T, leaver, at connfile.OrgConnection) {
	clerk, err := leaver.User("clerk")
	require.NoError(t, err)
	// A connection that presents the leaver's identity at the member's
	// endpoints, trusting the member's TLS root.
	as := leaver
	as.Gateway, as.Peer = at.Gateway, at.Peer
	conn := connfile.Connection{Channel: tn.Conn.Channel, Chaincode: tn.Conn.Chaincode, Orgs: []connfile.OrgConnection{as, at}}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	t.Run("by the gateway, as a certificate its administration's CA did not issue", func(t *testing.T) {
		gc, err := conn.DialGateway(leaver.MSPID, "clerk")
		require.NoError(t, err)
		defer gc.Close()
		_, err = apiv1.NewDocumentsServiceClient(gc).VerifyDocument(ctx, &apiv1.VerifyDocumentRequest{Issuer: leaver.MSPID, Id: "any"})
		require.Equal(t, codes.Unauthenticated, status.Code(err), "%v", err)
		require.Contains(t, status.Convert(err).Message(), "a client certificate issued by "+at.MSPID+"'s certificate authority is required")
	})

	t.Run("by the peer, naming the unknown creator", func(t *testing.T) {
		gw, err := conn.Connect(leaver.MSPID, "clerk")
		require.NoError(t, err)
		defer gw.Close()
		contract := gw.GetNetwork(tn.Conn.Channel).GetContract(tn.Conn.Chaincode)
		_, err = contract.EvaluateTransaction("Documents:Verify", leaver.MSPID, "any")
		require.Error(t, err)
		t.Logf("evaluate: %v", err)
		require.Regexp(t, `(?i)creator|`+leaver.MSPID, err.Error())
		_, err = contract.SubmitTransaction("Directory:SetProfile", "Treasury", "ministry", "treasury@example.org")
		require.Error(t, err)
		t.Logf("submit: %v", err)
		require.Regexp(t, `(?i)creator|`+leaver.MSPID, err.Error())
	})

	t.Run("by the orderer, as not a writer of the channel", func(t *testing.T) {
		pool, err := conn.RootCertPool()
		require.NoError(t, err)
		oc, err := grpc.NewClient(at.Orderer.Address, grpc.WithTransportCredentials(credentials.NewTLS(&tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12})))
		require.NoError(t, err)
		defer oc.Close()
		err = configupdate.Broadcast(ctx, oc, signedEnvelope(t, leaver.MSPID, clerk))
		require.ErrorIs(t, err, configupdate.ErrRefused)
		t.Logf("broadcast: %v", err)
		require.Contains(t, err.Error(), "FORBIDDEN")
	})
}

// signedEnvelope is a transaction envelope of the channel signed by u of
// mspID: the orderer checks the channel's Writers policy on its signature
// before anything else.
func signedEnvelope(t *testing.T, mspID string, u connfile.UserFile) *common.Envelope {
	t.Helper()
	certPEM, err := os.ReadFile(u.Cert)
	require.NoError(t, err)
	keyPEM, err := os.ReadFile(u.Key)
	require.NoError(t, err)
	key, err := fabid.PrivateKeyFromPEM(keyPEM)
	require.NoError(t, err)
	sign, err := fabid.NewPrivateKeySign(key)
	require.NoError(t, err)
	creator, err := proto.Marshal(&msp.SerializedIdentity{Mspid: mspID, IdBytes: certPEM})
	require.NoError(t, err)
	nonce := make([]byte, 24)
	_, err = rand.Read(nonce)
	require.NoError(t, err)
	txID := sha256.Sum256(append(append([]byte{}, nonce...), creator...))
	chdr, err := proto.Marshal(&common.ChannelHeader{
		Type: int32(common.HeaderType_ENDORSER_TRANSACTION), ChannelId: tn.Conn.Channel,
		TxId: hex.EncodeToString(txID[:]), Timestamp: timestamppb.Now(),
	})
	require.NoError(t, err)
	shdr, err := proto.Marshal(&common.SignatureHeader{Creator: creator, Nonce: nonce})
	require.NoError(t, err)
	payload, err := proto.Marshal(&common.Payload{
		Header: &common.Header{ChannelHeader: chdr, SignatureHeader: shdr}, Data: []byte("not a transaction"),
	})
	require.NoError(t, err)
	digest := sha256.Sum256(payload)
	sig, err := sign(digest[:])
	require.NoError(t, err)
	return &common.Envelope{Payload: payload, Signature: sig}
}
