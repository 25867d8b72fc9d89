package configupdate

import (
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"

	"github.com/hyperledger/fabric-config/configtx"
	"github.com/hyperledger/fabric-protos-go-apiv2/common"
)

// SetRevocationList computes the update that makes crl (PEM or DER, as
// Fabric CA's gencrl returns it) the revocation list of the member mspID's
// MSP, in its application organization and in its orderer organization, so
// that every peer and orderer refuses a certificate it lists. The CRL must be
// signed by one of the MSP's root or intermediate CAs. Fabric's policy for
// an organization's own MSP is that organization's Admins.
func SetRevocationList(current *common.Config, channelID, mspID string, crl []byte) (*Update, error) {
	tx := configtx.New(current)
	m, err := members(&tx)
	if err != nil {
		return nil, err
	}
	app, inApp := find(m.app, mspID)
	ord, inOrd := find(m.ord, mspID)
	if !inApp {
		return nil, fmt.Errorf("%w: %q (members: %v)", ErrUnknownAdministration, mspID, mspIDs(m.app))
	}
	der := crl
	if b, _ := pem.Decode(crl); b != nil {
		der = b.Bytes
	}
	list, err := x509.ParseCRL(der) //nolint:staticcheck // fabric-config's MSP holds pkix.CertificateList
	if err != nil {
		return nil, fmt.Errorf("%w: the revocation list of %s is not a CRL: %v", ErrInvalidUpdate, mspID, err)
	}
	cas := append(append([]*x509.Certificate{}, app.org.MSP.RootCerts...), app.org.MSP.IntermediateCerts...)
	signed := false
	for _, ca := range cas {
		if ca.CheckCRLSignature(list) == nil { //nolint:staticcheck // see above
			signed = true
		}
	}
	if !signed {
		return nil, fmt.Errorf("%w: the revocation list is not signed by a CA of %s", ErrInvalidUpdate, mspID)
	}
	// The CA's CRL lists every certificate it revoked: it replaces the
	// previous one.
	appMSP := app.org.MSP
	appMSP.RevocationList = []*pkix.CertificateList{list}
	if err := tx.Application().Organization(app.name).SetMSP(appMSP); err != nil {
		return nil, fmt.Errorf("set the revocation list of %s: %w", mspID, err)
	}
	if inOrd {
		ordMSP := ord.org.MSP
		ordMSP.RevocationList = []*pkix.CertificateList{list}
		if err := tx.Orderer().Organization(ord.name).SetMSP(ordMSP); err != nil {
			return nil, fmt.Errorf("set the revocation list of %s's orderer organization: %w", mspID, err)
		}
	}
	return compute(&tx, channelID)
}
