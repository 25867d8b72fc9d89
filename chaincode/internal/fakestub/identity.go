package fakestub

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"math/big"
	"testing"
	"time"

	"github.com/hyperledger/fabric-protos-go-apiv2/msp"
	"google.golang.org/protobuf/proto"
)

// attrOID is the certificate extension in which Fabric CA stores the
// enrollment attributes, as JSON {"attrs":{"name":"value"}}.
var attrOID = asn1.ObjectIdentifier{1, 2, 3, 4, 5, 6, 7, 8, 1}

// Identity is a caller of the chaincode.
type Identity struct {
	// Creator is the serialized identity (msp.SerializedIdentity with an
	// x509 PEM certificate) that GetCreator returns.
	Creator []byte
	// ID is the client ID that cid computes for it.
	ID string
	// Key is the private key of the certificate, for tests that sign as
	// the identity.
	Key *ecdsa.PrivateKey
}

// NewIdentity issues, from a throwaway CA "ca.<mspID>", a certificate with
// subject CN=commonName and, unless role is empty, the Fabric CA attribute
// role=<role>, and serializes it as a member of mspID. commonName must need
// no DN escaping for ID to match.
func NewIdentity(t testing.TB, mspID, commonName, role string) Identity {
	t.Helper()
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatalf("generate ca key: %v", err)
	}
	caName := "ca." + mspID
	ca := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: caName},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign,
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatalf("generate key: %v", err)
	}
	leaf := &x509.Certificate{
		SerialNumber: big.NewInt(2),
		Subject:      pkix.Name{CommonName: commonName},
		NotBefore:    ca.NotBefore,
		NotAfter:     ca.NotAfter,
		KeyUsage:     x509.KeyUsageDigitalSignature,
	}
	if role != "" {
		attrs, err := json.Marshal(map[string]map[string]string{"attrs": {"role": role}})
		if err != nil {
			t.Fatalf("encode attributes: %v", err)
		}
		leaf.ExtraExtensions = []pkix.Extension{{Id: attrOID, Value: attrs}}
	}
	der, err := x509.CreateCertificate(rand.Reader, leaf, ca, &key.PublicKey, caKey)
	if err != nil {
		t.Fatalf("create certificate: %v", err)
	}
	creator, err := proto.Marshal(&msp.SerializedIdentity{
		Mspid:   mspID,
		IdBytes: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
	})
	if err != nil {
		t.Fatalf("serialize identity: %v", err)
	}
	id := base64.StdEncoding.EncodeToString([]byte("x509::CN=" + commonName + "::CN=" + caName))
	return Identity{Creator: creator, ID: id, Key: key}
}

// As sets the creator of the stub to id and returns the stub.
func (s *Stub) As(id Identity) *Stub {
	s.SetCreator(id.Creator)
	return s
}
