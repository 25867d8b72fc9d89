package fabric

import (
	"crypto"
	"crypto/sha256"
	"crypto/x509"
	"encoding/asn1"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/hyperledger/fabric-gateway/pkg/identity"
)

// User is an enrolled user of the administration: the identity a
// transaction is signed with.
type User struct {
	Name  string
	MSPID string
	Role  string
	Cert  *x509.Certificate
	id    *identity.X509Identity
	sign  identity.Sign
	key   crypto.PrivateKey // for what is not a transaction: config update signatures
	// personal is set for a person whose key stays on their side: signMsg
	// asks their client (offline.go), for this call only, so no session is
	// kept for them.
	personal bool
	signMsg  MessageSigner
}

// NewPersonalUser is a person of the administration whose private key the
// gateway never holds: sign sends each message Fabric needs signed to the
// person's own client and returns its signature (server.SignerService). The
// user's name is the certificate's common name (the staff identifier) and
// its role the certificate's `role` attribute. It signs transactions only,
// not config updates.
func NewPersonalUser(mspID string, cert *x509.Certificate, sign MessageSigner) (*User, error) {
	id, err := identity.NewX509Identity(mspID, cert)
	if err != nil {
		return nil, err
	}
	unverified := func(digest []byte) ([]byte, error) { return sign(SignUnverified, nil, digest) }
	return &User{Name: cert.Subject.CommonName, MSPID: mspID, Role: RoleOf(cert), Cert: cert, id: id,
		sign: unverified, signMsg: sign, personal: true}, nil
}

// Wallet finds a user's signing key from the certificate the user
// authenticated with. It reads the administration's users folder
// (<name>/msp/signcerts/cert.pem, <name>/msp/keystore/key.pem) and rereads it
// when an unknown certificate shows up, so users enrolled after start-up work
// — at most once per RescanInterval, so that a client presenting valid but
// unenrolled certificates cannot make the gateway read the folder on every
// call.
type Wallet struct {
	dir        string
	mspID      string
	mu         sync.Mutex
	users      map[[32]byte]*User
	lastReload time.Time
	now        func() time.Time
}

// RescanInterval is the least time between two reads of the users folder
// for unknown certificates: a newly enrolled user is recognised within it.
const RescanInterval = 2 * time.Second

// ErrUnknownUser means the certificate is valid but belongs to no enrolled
// user of this gateway's administration.
var ErrUnknownUser = errors.New("certificate does not belong to an enrolled user of this administration")

// NewWallet loads the users of mspID from dir.
func NewWallet(dir, mspID string) (*Wallet, error) {
	w := &Wallet{dir: dir, mspID: mspID, users: map[[32]byte]*User{}, now: time.Now}
	if err := w.reload(); err != nil {
		return nil, err
	}
	return w, nil
}

// Lookup returns the user whose enrolment certificate is cert.
func (w *Wallet) Lookup(cert *x509.Certificate) (*User, error) {
	fp := sha256.Sum256(cert.Raw)
	w.mu.Lock()
	defer w.mu.Unlock()
	if u, ok := w.users[fp]; ok {
		return u, nil
	}
	if w.now().Sub(w.lastReload) < RescanInterval {
		return nil, ErrUnknownUser
	}
	if err := w.reload(); err != nil {
		return nil, err
	}
	if u, ok := w.users[fp]; ok {
		return u, nil
	}
	return nil, ErrUnknownUser
}

// reload scans the users folder; the caller holds mu (or owns w).
func (w *Wallet) reload() error {
	w.lastReload = w.now()
	entries, err := os.ReadDir(w.dir)
	if err != nil {
		return fmt.Errorf("read users folder: %w", err)
	}
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		msp := filepath.Join(w.dir, e.Name(), "msp")
		certPEM, err := os.ReadFile(filepath.Join(msp, "signcerts", "cert.pem"))
		if err != nil {
			continue // not an enrolled user (e.g. a folder being written)
		}
		keyPEM, err := os.ReadFile(filepath.Join(msp, "keystore", "key.pem"))
		if err != nil {
			continue
		}
		u, err := newUser(e.Name(), w.mspID, certPEM, keyPEM)
		if err != nil {
			return fmt.Errorf("load user %s: %w", e.Name(), err)
		}
		w.users[sha256.Sum256(u.Cert.Raw)] = u
	}
	return nil
}

func newUser(name, mspID string, certPEM, keyPEM []byte) (*User, error) {
	cert, err := identity.CertificateFromPEM(certPEM)
	if err != nil {
		return nil, err
	}
	id, err := identity.NewX509Identity(mspID, cert)
	if err != nil {
		return nil, err
	}
	key, err := identity.PrivateKeyFromPEM(keyPEM)
	if err != nil {
		return nil, err
	}
	sign, err := identity.NewPrivateKeySign(key)
	if err != nil {
		return nil, err
	}
	return &User{Name: name, MSPID: mspID, Role: RoleOf(cert), Cert: cert, id: id, sign: sign, key: key}, nil
}

// fabricCAAttrOID is the extension in which Fabric CA writes attributes.
var fabricCAAttrOID = asn1.ObjectIdentifier{1, 2, 3, 4, 5, 6, 7, 8, 1}

// RoleOf reads the `role` attribute Fabric CA wrote into the certificate.
func RoleOf(cert *x509.Certificate) string {
	for _, ext := range cert.Extensions {
		if !ext.Id.Equal(fabricCAAttrOID) {
			continue
		}
		var attrs struct {
			Attrs map[string]string `json:"attrs"`
		}
		if json.Unmarshal(ext.Value, &attrs) == nil {
			return attrs.Attrs["role"]
		}
	}
	return ""
}
