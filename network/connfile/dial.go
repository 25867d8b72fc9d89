package connfile

import (
	"crypto/tls"
	"fmt"
	"os"
	"time"

	"github.com/hyperledger/fabric-gateway/pkg/client"
	"github.com/hyperledger/fabric-gateway/pkg/hash"
	fabid "github.com/hyperledger/fabric-gateway/pkg/identity"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"
)

// Gateway is a fabric-gateway connection to one administration's peer,
// signing as one of its users.
type Gateway struct {
	*client.Gateway
	conn *grpc.ClientConn
}

// Close closes the gateway and its gRPC connection.
func (g *Gateway) Close() error {
	g.Gateway.Close()
	return g.conn.Close()
}

// Dial opens a TLS gRPC connection to the administration's peer.
func (c Connection) Dial(mspID string) (*grpc.ClientConn, error) {
	org, err := c.Org(mspID)
	if err != nil {
		return nil, err
	}
	pool, err := c.RootCertPool()
	if err != nil {
		return nil, err
	}
	creds := credentials.NewTLS(&tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12})
	conn, err := grpc.NewClient(org.Peer.Address, grpc.WithTransportCredentials(creds))
	if err != nil {
		return nil, fmt.Errorf("dial peer of %s: %w", mspID, err)
	}
	return conn, nil
}

// Connect opens a Fabric Gateway session at the administration's peer as
// the named user, with a timeout on every call.
func (c Connection) Connect(mspID, user string) (*Gateway, error) {
	org, err := c.Org(mspID)
	if err != nil {
		return nil, err
	}
	u, err := org.User(user)
	if err != nil {
		return nil, err
	}
	id, sign, err := u.signer(mspID)
	if err != nil {
		return nil, err
	}
	conn, err := c.Dial(mspID)
	if err != nil {
		return nil, err
	}
	gw, err := client.Connect(id,
		client.WithSign(sign),
		client.WithHash(hash.SHA256),
		client.WithClientConnection(conn),
		client.WithEvaluateTimeout(10*time.Second),
		client.WithEndorseTimeout(20*time.Second),
		client.WithSubmitTimeout(10*time.Second),
		client.WithCommitStatusTimeout(30*time.Second),
	)
	if err != nil {
		conn.Close()
		return nil, fmt.Errorf("connect gateway of %s as %s: %w", mspID, user, err)
	}
	return &Gateway{Gateway: gw, conn: conn}, nil
}

func (u UserFile) signer(mspID string) (*fabid.X509Identity, fabid.Sign, error) {
	certPEM, err := os.ReadFile(u.Cert)
	if err != nil {
		return nil, nil, fmt.Errorf("read certificate: %w", err)
	}
	cert, err := fabid.CertificateFromPEM(certPEM)
	if err != nil {
		return nil, nil, fmt.Errorf("parse certificate %s: %w", u.Cert, err)
	}
	id, err := fabid.NewX509Identity(mspID, cert)
	if err != nil {
		return nil, nil, err
	}
	keyPEM, err := os.ReadFile(u.Key)
	if err != nil {
		return nil, nil, fmt.Errorf("read private key: %w", err)
	}
	key, err := fabid.PrivateKeyFromPEM(keyPEM)
	if err != nil {
		return nil, nil, fmt.Errorf("parse private key %s: %w", u.Key, err)
	}
	sign, err := fabid.NewPrivateKeySign(key)
	if err != nil {
		return nil, nil, err
	}
	return id, sign, nil
}

// DialGateway opens a connection to the administration's CivicLedger
// gateway, authenticated as the named user (its enrolment certificate is the
// TLS client certificate).
func (c Connection) DialGateway(mspID, user string, opts ...grpc.DialOption) (*grpc.ClientConn, error) {
	org, err := c.Org(mspID)
	if err != nil {
		return nil, err
	}
	u, err := org.User(user)
	if err != nil {
		return nil, err
	}
	cert, err := tls.LoadX509KeyPair(u.Cert, u.Key)
	if err != nil {
		return nil, fmt.Errorf("load certificate of %s: %w", user, err)
	}
	pool, err := c.RootCertPool()
	if err != nil {
		return nil, err
	}
	creds := credentials.NewTLS(&tls.Config{Certificates: []tls.Certificate{cert}, RootCAs: pool, MinVersion: tls.VersionTLS12})
	conn, err := grpc.NewClient(org.Gateway.Address, append([]grpc.DialOption{grpc.WithTransportCredentials(creds)}, opts...)...)
	if err != nil {
		return nil, fmt.Errorf("dial gateway of %s: %w", mspID, err)
	}
	return conn, nil
}
