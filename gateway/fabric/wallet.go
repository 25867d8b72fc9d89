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
// when an unknown certificate shows up, so users enrolled after start-up
// work: at once when a user folder was added since the last read (the
// folder's modification time tells) or one that was still being written
// then has changed, else at most once per RescanInterval, so that clients
// presenting certificates of no user (people, whose keys the gateway never
// holds, or strangers) cost a stat or two, not a read of the folder.
type Wallet struct {
	dir        string
	mspID      string
	mu         sync.Mutex
	users      map[[32]byte]*User
	dirMod     time.Time             // the users folder's modification time at the last read
	pending    map[string]fileStamps // the folders that did not load then, as they were
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

// stamps are a user folder's files' stamps now.
func (w *Wallet) stamps(name string) fileStamps {
	var st fileStamps
	for i, f := range w.userFiles(name) {
		if fi, err := os.Stat(f); err == nil {
			st[i].mod, st[i].size = fi.ModTime(), fi.Size()
		}
	}
	return st
}

// changed reports whether a user folder was added or removed since the
// last read, or one that did not load then has changed; the caller holds
// mu. A user's files rewritten in place are seen at the next interval.
func (w *Wallet) changed() bool {
	fi, err := os.Stat(w.dir)
	if err != nil || !fi.ModTime().Equal(w.dirMod) {
		return true
	}
	for name, st := range w.pending {
		if w.stamps(name) != st {
			return true
		}
	}
	return false
}

// reload scans the users folder; the caller holds mu (or owns w). Strict,
// a user folder whose files do not load is an error; else it is skipped
// as being written, and looked at again by changed.
func (w *Wallet) reload(strict bool) error {
	w.lastReload = w.now()
	fi, err := os.Stat(w.dir)
	if err != nil {
		return fmt.Errorf("read users folder: %w", err)
	}
	entries, err := os.ReadDir(w.dir)
	if err != nil {
		return fmt.Errorf("read users folder: %w", err)
	}
	w.dirMod = fi.ModTime()
	w.pending = map[string]fileStamps{}
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		name := e.Name()
		st := w.stamps(name)
		u, err := w.load(name)
		if err != nil && strict {
			return err
		}
		if err != nil {
			w.pending[name] = st
			continue
		}
		if u == nil {
			w.pending[name] = st // not an enrolled user (yet)
			continue
		}
		w.users[sha256.Sum256(u.Cert.Raw)] = u
	}
	return nil
}

// load reads the user of folder name: nil when its files are not both
// there, an error when they do not load.
func (w *Wallet) load(name string) (*User, error) {
	files := w.userFiles(name)
	certPEM, err := os.ReadFile(files[0])
	if err != nil {
		return nil, nil
	}
	keyPEM, err := os.ReadFile(files[1])
	if err != nil {
		return nil, nil
	}
	u, err := newUser(name, w.mspID, certPEM, keyPEM)
	if err != nil {
		return nil, fmt.Errorf("load user %s: %w", name, err)
	}
	return u, nil
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
