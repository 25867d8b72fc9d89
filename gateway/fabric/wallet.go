package fabric

import (
	"crypto"
	"crypto/sha256"
	"crypto/x509"
	"encoding/asn1"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
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
// when an unknown certificate shows up, so users enrolled after start-up
// work: at once when a user's files appeared or changed since the last read
// (a listing and two stats a user tell), else at most once per
// RescanInterval, so that a client presenting valid but unenrolled
// certificates cannot make the gateway read and parse the folder on every
// call.
type Wallet struct {
	dir        string
	mspID      string
	mu         sync.Mutex
	users      map[[32]byte]*User
	seen       map[string]fileStamps // each user folder's files at the last read
	lastReload time.Time
	now        func() time.Time
}

// fileStamps is what a user folder's certificate and key files were: their
// modification times and sizes, zero for a missing file.
type fileStamps [2]struct {
	mod  time.Time
	size int64
}

// RescanInterval is the least time between two reads of an unchanged users
// folder for unknown certificates.
const RescanInterval = 2 * time.Second

// ErrUnknownUser means the certificate is valid but belongs to no enrolled
// user of this gateway's administration.
var ErrUnknownUser = errors.New("certificate does not belong to an enrolled user of this administration")

// NewWallet loads the users of mspID from dir.
func NewWallet(dir, mspID string) (*Wallet, error) {
	w := &Wallet{dir: dir, mspID: mspID, users: map[[32]byte]*User{}, now: time.Now}
	if err := w.reload(true); err != nil {
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
	if w.now().Sub(w.lastReload) < RescanInterval && !w.changed() {
		return nil, ErrUnknownUser
	}
	if err := w.reload(false); err != nil {
		return nil, err
	}
	if u, ok := w.users[fp]; ok {
		return u, nil
	}
	return nil, ErrUnknownUser
}

// userFiles are a user folder's certificate and key.
func (w *Wallet) userFiles(name string) [2]string {
	msp := filepath.Join(w.dir, name, "msp")
	return [2]string{filepath.Join(msp, "signcerts", "cert.pem"), filepath.Join(msp, "keystore", "key.pem")}
}

// stamps lists the user folders with their files' stamps.
func (w *Wallet) stamps() (map[string]fileStamps, error) {
	entries, err := os.ReadDir(w.dir)
	if err != nil {
		return nil, err
	}
	out := make(map[string]fileStamps, len(entries))
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		var st fileStamps
		for i, f := range w.userFiles(e.Name()) {
			if fi, err := os.Stat(f); err == nil {
				st[i].mod, st[i].size = fi.ModTime(), fi.Size()
			}
		}
		out[e.Name()] = st
	}
	return out, nil
}

// changed reports whether a user folder appeared, went or had its files
// written since the last read; the caller holds mu.
func (w *Wallet) changed() bool {
	now, err := w.stamps()
	return err != nil || !maps.Equal(now, w.seen)
}

// reload scans the users folder; the caller holds mu (or owns w). Strict,
// a user folder whose files do not load is an error; else it is skipped
// as being written (its files' stamps change when the writing ends, and
// the next unknown certificate rereads the folder).
func (w *Wallet) reload(strict bool) error {
	w.lastReload = w.now()
	seen, err := w.stamps()
	if err != nil {
		return fmt.Errorf("read users folder: %w", err)
	}
	w.seen = seen
	for name := range seen {
		files := w.userFiles(name)
		certPEM, err := os.ReadFile(files[0])
		if err != nil {
			continue // not an enrolled user (e.g. a folder being written)
		}
		keyPEM, err := os.ReadFile(files[1])
		if err != nil {
			continue
		}
		u, err := newUser(name, w.mspID, certPEM, keyPEM)
		if err != nil && strict {
			return fmt.Errorf("load user %s: %w", name, err)
		}
		if err != nil {
			continue
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
