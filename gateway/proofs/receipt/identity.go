package receipt

import (
	"bytes"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"slices"
	"time"

	mspproto "github.com/hyperledger/fabric-protos-go-apiv2/msp"
	"google.golang.org/protobuf/proto"
)

// Identity is a signer named in the transaction or the block.
type Identity struct {
	MSPID string `json:"mspId"`
	// Subject is the certificate's subject, e.g. "CN=peer0,OU=peer,...".
	Subject string `json:"subject"`
	// Fingerprint is the lowercase hex SHA-256 of the certificate's DER.
	Fingerprint string `json:"fingerprint"`

	cert *x509.Certificate
	raw  []byte // the serialized identity, as signed
}

// errNotMember is wrapped when a certificate does not chain to the MSP it
// claims (a certificate from outside the network).
var errNotMember = errors.New("certificate not issued by a member administration's CA")

// identityOf decodes a serialized identity (MSP ID + PEM certificate) and
// checks that the certificate chains to that MSP's CA in cfg, was valid at
// time at, and is not revoked.
func (c *Config) identityOf(serialized []byte, at time.Time) (*Identity, error) {
	var sid mspproto.SerializedIdentity
	if err := proto.Unmarshal(serialized, &sid); err != nil {
		return nil, fmt.Errorf("decode identity: %w", err)
	}
	b, _ := pem.Decode(sid.GetIdBytes())
	if b == nil {
		return nil, fmt.Errorf("identity of %s holds no PEM certificate", sid.GetMspid())
	}
	cert, err := x509.ParseCertificate(b.Bytes)
	if err != nil {
		return nil, fmt.Errorf("parse certificate of %s: %w", sid.GetMspid(), err)
	}
	id := &Identity{MSPID: sid.GetMspid(), Subject: cert.Subject.String(), Fingerprint: fingerprint(cert), cert: cert, raw: serialized}
	m, ok := c.MSPs[id.MSPID]
	if !ok {
		return nil, fmt.Errorf("%w: %s (%s) names MSP %q, which is not in the channel configuration", errNotMember, id.Subject, id.Fingerprint[:16], id.MSPID)
	}
	opts := x509.VerifyOptions{
		Roots: x509.NewCertPool(), Intermediates: x509.NewCertPool(),
		CurrentTime: at, KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny},
	}
	for _, r := range m.Roots {
		opts.Roots.AddCert(r)
	}
	for _, i := range m.Intermediates {
		opts.Intermediates.AddCert(i)
	}
	if _, err := cert.Verify(opts); err != nil {
		return nil, fmt.Errorf("%w: %s (%s) does not chain to %s's CA at %s: %w", errNotMember, id.Subject, id.Fingerprint[:16], id.MSPID, at.UTC().Format(time.RFC3339), err)
	}
	for _, crl := range m.CRLs {
		if !bytes.Equal(crl.RawIssuer, cert.RawIssuer) {
			continue
		}
		for _, e := range crl.RevokedCertificateEntries {
			if e.SerialNumber.Cmp(cert.SerialNumber) == 0 {
				return nil, fmt.Errorf("%w: %s of %s is revoked", errNotMember, id.Subject, id.MSPID)
			}
		}
	}
	return id, nil
}

// hasRole tells whether a validated identity holds an MSP role: MEMBER
// (any), or with node OUs enabled CLIENT, PEER, ORDERER, ADMIN by the
// certificate's OU; ADMIN also by being listed as an admin certificate.
func (c *Config) hasRole(id *Identity, role mspproto.MSPRole_MSPRoleType) bool {
	m := c.MSPs[id.MSPID]
	if role == mspproto.MSPRole_MEMBER {
		return true
	}
	if role == mspproto.MSPRole_ADMIN && slices.ContainsFunc(m.Admins, func(der []byte) bool { return bytes.Equal(der, id.cert.Raw) }) {
		return true
	}
	ous := m.NodeOUs
	if !ous.GetEnable() {
		return false
	}
	var want *mspproto.FabricOUIdentifier
	switch role {
	case mspproto.MSPRole_CLIENT:
		want = ous.GetClientOuIdentifier()
	case mspproto.MSPRole_PEER:
		want = ous.GetPeerOuIdentifier()
	case mspproto.MSPRole_ORDERER:
		want = ous.GetOrdererOuIdentifier()
	case mspproto.MSPRole_ADMIN:
		want = ous.GetAdminOuIdentifier()
	default:
		return false
	}
	return want.GetOrganizationalUnitIdentifier() != "" && slices.Contains(id.cert.Subject.OrganizationalUnit, want.GetOrganizationalUnitIdentifier())
}
