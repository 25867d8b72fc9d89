package configupdate

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"math/big"
	"testing"
	"time"

	"github.com/hyperledger/fabric-config/configtx"
	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/stretchr/testify/require"
)

// crlOf is a PEM CRL of o's CA listing the given serials.
func crlOf(t *testing.T, ca *x509.Certificate, key *ecdsa.PrivateKey, serials ...int64) []byte {
	t.Helper()
	var entries []x509.RevocationListEntry
	for _, s := range serials {
		entries = append(entries, x509.RevocationListEntry{SerialNumber: big.NewInt(s), RevocationTime: time.Now()})
	}
	// The fixture's CA has no crlSign usage nor key id; its key signs all
	// the same.
	issuer := *ca
	issuer.KeyUsage |= x509.KeyUsageCRLSign
	issuer.SubjectKeyId = []byte{1, 2, 3}
	der, err := x509.CreateRevocationList(rand.Reader, &x509.RevocationList{Number: big.NewInt(1), RevokedCertificateEntries: entries,
		ThisUpdate: time.Now(), NextUpdate: time.Now().Add(time.Hour)}, &issuer, key)
	require.NoError(t, err)
	return pem.EncodeToMemory(&pem.Block{Type: "X509 CRL", Bytes: der})
}

func TestSetRevocationList(t *testing.T) {
	cfg, orgs := threeOrgs(t)
	registry := orgs[0]

	t.Run("the CRL goes into the administration's application and orderer MSPs, and nowhere else", func(t *testing.T) {
		u, err := SetRevocationList(cfg, testChannel, "RegistryMSP", crlOf(t, registry.ca, registry.key, 42, 43))
		require.NoError(t, err)
		app, ord, _ := summary(t, u.Next)
		for _, org := range []configtx.Organization{app["RegistryMSP"], ord["RegistryMSP"]} {
			require.Len(t, org.MSP.RevocationList, 1)
			require.Len(t, org.MSP.RevocationList[0].TBSCertList.RevokedCertificates, 2)
		}
		require.Empty(t, app["CityMSP"].MSP.RevocationList)
		require.Equal(t, []string{"RegistryMSP"}, sortedKeys(u.Proto.GetWriteSet().GetGroups()["Application"].GetGroups()))
	})
	t.Run("the administration's own admin satisfies the policy alone", func(t *testing.T) {
		u, err := SetRevocationList(cfg, testChannel, "RegistryMSP", crlOf(t, registry.ca, registry.key, 42))
		require.NoError(t, err)
		sig, err := Sign(u.Bytes, registry.signer(t, "admin"))
		require.NoError(t, err)
		v, err := Check(cfg, u.Bytes, []*common.ConfigSignature{sig}, time.Now())
		require.NoError(t, err)
		require.True(t, v.Satisfied())
		other, err := Sign(u.Bytes, orgs[1].signer(t, "admin"))
		require.NoError(t, err)
		v, err = Check(cfg, u.Bytes, []*common.ConfigSignature{other}, time.Now())
		require.NoError(t, err)
		require.False(t, v.Satisfied(), "another administration cannot change Registry's MSP alone")
	})
	t.Run("a CRL of another CA, garbage or an unknown administration are refused", func(t *testing.T) {
		_, err := SetRevocationList(cfg, testChannel, "RegistryMSP", crlOf(t, orgs[1].ca, orgs[1].key, 42))
		require.ErrorIs(t, err, ErrInvalidUpdate)
		_, err = SetRevocationList(cfg, testChannel, "RegistryMSP", []byte("not a crl"))
		require.ErrorIs(t, err, ErrInvalidUpdate)
		key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		require.NoError(t, err)
		_, err = SetRevocationList(cfg, testChannel, "NobodyMSP", crlOf(t, registry.ca, key, 1))
		require.ErrorIs(t, err, ErrUnknownAdministration)
	})
}
