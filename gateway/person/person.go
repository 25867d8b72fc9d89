// Package person is an official's own identity on their own machine: the
// key pair is generated here and never leaves the identity's folder,
// enrolment sends the CA only a certificate signing request, and Dial
// connects to the administration's gateway with the person's certificate
// and signs, through SignerService, every digest the gateway asks for.
package person

import (
	"context"
	"crypto"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/hyperledger/fabric-gateway/pkg/identity"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
	"github.com/civicledger/civicledger/gateway/ca"
)

// Files of an identity folder.
const (
	CertFile = "cert.pem" // the certificate the CA issued
	KeyFile  = "key.pem"  // the private key (PKCS#8 PEM, mode 0600)
	CAFile   = "ca.pem"   // the CA's chain
	InfoFile = "identity.json"
)

// Info says whose identity a folder holds.
type Info struct {
	MSPID   string `json:"mspId"`
	StaffID string `json:"staffId"`
}

// Identity is a person's enrolled identity, loaded from its folder.
type Identity struct {
	Info
	Dir     string
	CertPEM []byte
	Cert    *x509.Certificate
	key     crypto.PrivateKey
}

// CA locates the administration's Fabric CA.
type CA struct {
	Address, Name, TLSRootCert string
}

// Enroll generates a key pair in dir (created, mode 0700), enrols staffID at
// the CA with its one-time secret by sending a certificate signing request,
// and stores the certificate beside the key. A folder that already holds a
// key is refused unless replace is set (enrolling again after a rotation).
func Enroll(ctx context.Context, at CA, mspID, staffID, secret, dir string, replace bool) (*Identity, error) {
	if strings.TrimSpace(staffID) == "" || strings.TrimSpace(secret) == "" || strings.TrimSpace(mspID) == "" {
		return nil, errors.New("enrol: a staff ID, an enrolment secret and an administration are required")
	}
	if _, err := os.Stat(filepath.Join(dir, KeyFile)); err == nil && !replace {
		return nil, fmt.Errorf("enrol: %s already holds an identity (enrol again after a rotation with --replace)", dir)
	}
	client, err := ca.New(at.Address, at.Name, at.TLSRootCert)
	if err != nil {
		return nil, err
	}
	// The key pair is made here, in this process, and only its
	// certificate request leaves it.
	e, err := client.EnrollNewKey(ctx, ca.KeyRequest{ID: staffID, Secret: secret})
	if err != nil {
		return nil, fmt.Errorf("enrol %s: %w", staffID, err)
	}
	info, err := json.MarshalIndent(Info{MSPID: mspID, StaffID: staffID}, "", "  ")
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("enrol: create %s: %w", dir, err)
	}
	files := []struct {
		name string
		data []byte
		perm os.FileMode
	}{
		{KeyFile, e.Key, 0o600},
		{CertFile, e.Cert, 0o644},
		{CAFile, e.Chain, 0o644},
		{InfoFile, append(info, '\n'), 0o644},
	}
	for _, f := range files {
		if err := writeAtomic(filepath.Join(dir, f.name), f.data, f.perm); err != nil {
			return nil, err
		}
	}
	return Load(dir)
}

func writeAtomic(path string, data []byte, perm os.FileMode) error {
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, data, perm); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// Load reads the identity in dir.
func Load(dir string) (*Identity, error) {
	raw, err := os.ReadFile(filepath.Join(dir, InfoFile))
	if err != nil {
		return nil, fmt.Errorf("personal identity: %w (enrol first: ledgerctl people enroll)", err)
	}
	id := &Identity{Dir: dir}
	if err := json.Unmarshal(raw, &id.Info); err != nil {
		return nil, fmt.Errorf("personal identity: %s: %w", InfoFile, err)
	}
	if id.CertPEM, err = os.ReadFile(filepath.Join(dir, CertFile)); err != nil {
		return nil, fmt.Errorf("personal identity: %w", err)
	}
	if id.Cert, err = identity.CertificateFromPEM(id.CertPEM); err != nil {
		return nil, fmt.Errorf("personal identity: %s: %w", CertFile, err)
	}
	keyPEM, err := os.ReadFile(filepath.Join(dir, KeyFile))
	if err != nil {
		return nil, fmt.Errorf("personal identity: %w", err)
	}
	if id.key, err = identity.PrivateKeyFromPEM(keyPEM); err != nil {
		return nil, fmt.Errorf("personal identity: %s: %w", KeyFile, err)
	}
	return id, nil
}

// Sign returns the function that signs a digest with the person's key
// (ECDSA, low S), as Fabric expects.
func (id *Identity) Sign() (identity.Sign, error) { return identity.NewPrivateKeySign(id.key) }

// X509 returns the person's Fabric identity (MSP ID and certificate).
func (id *Identity) X509() (*identity.X509Identity, error) {
	return identity.NewX509Identity(id.MSPID, id.Cert)
}

// TLSCertificate is the person's certificate and key for mutual TLS.
func (id *Identity) TLSCertificate() tls.Certificate {
	return tls.Certificate{Certificate: [][]byte{id.Cert.Raw}, PrivateKey: id.key, Leaf: id.Cert}
}

// Dial connects to the gateway at address (whose TLS certificate chains to
// roots) with the person's certificate, opens a SignerService.Attach stream
// that signs what the gateway asks for with the person's key, and names its
// session in every call made on the returned connection. Closing the
// connection ends the session.
func (id *Identity) Dial(ctx context.Context, address string, roots *x509.CertPool, opts ...grpc.DialOption) (*grpc.ClientConn, error) {
	return id.DialObserved(ctx, address, roots, nil, opts...)
}

// DialObserved is Dial with observe called for every message the session
// signs (err nil) or refuses to sign (err says why).
func (id *Identity) DialObserved(ctx context.Context, address string, roots *x509.CertPool, observe func(Signed, error), opts ...grpc.DialOption) (*grpc.ClientConn, error) {
	sign, err := id.Sign()
	if err != nil {
		return nil, err
	}
	s := &session{}
	creds := credentials.NewTLS(&tls.Config{Certificates: []tls.Certificate{id.TLSCertificate()}, RootCAs: roots, MinVersion: tls.VersionTLS12})
	opts = append([]grpc.DialOption{
		grpc.WithTransportCredentials(creds),
		grpc.WithChainUnaryInterceptor(s.unary),
		grpc.WithChainStreamInterceptor(s.stream),
	}, opts...)
	conn, err := grpc.NewClient(address, opts...)
	if err != nil {
		return nil, fmt.Errorf("dial gateway %s: %w", address, err)
	}
	// The stream lives as long as the connection.
	stream, err := apiv1.NewSignerServiceClient(conn).Attach(context.Background())
	if err == nil {
		err = s.open(ctx, stream)
	}
	if err != nil {
		conn.Close()
		return nil, err
	}
	go s.serve(stream, sign, newChecker(id.MSPID, id.Cert), observe)
	return conn, nil
}

// session is the client side of a SignerService.Attach stream.
type session struct {
	mu   sync.Mutex
	name string
}

// open waits for the first message, which names the session.
func (s *session) open(ctx context.Context, stream apiv1.SignerService_AttachClient) error {
	got := make(chan error, 1)
	go func() {
		first, err := stream.Recv()
		if err == nil {
			s.mu.Lock()
			s.name = first.GetSession()
			s.mu.Unlock()
		}
		got <- err
	}()
	select {
	case err := <-got:
		if _, ok := status.FromError(err); ok {
			return err // the gateway's refusal, as it said it (e.g. PermissionDenied: suspended)
		}
		if err != nil {
			return fmt.Errorf("open signer session: %w", err)
		}
		return nil
	case <-ctx.Done():
		return fmt.Errorf("open signer session: %w", ctx.Err())
	}
}

// serve signs each message the gateway sends, once checked, until the
// stream ends; observe (if set) hears of each signature or refusal.
func (s *session) serve(stream apiv1.SignerService_AttachClient, sign identity.Sign, c *checker, observe func(Signed, error)) {
	for {
		req, err := stream.Recv()
		if err != nil {
			return
		}
		what, err := c.check(req)
		var sig []byte
		if err == nil {
			sig, err = sign(req.GetDigest())
		}
		if observe != nil {
			observe(what, err)
		}
		if err != nil {
			sig = nil // an empty signature tells the gateway this one is refused
		}
		if stream.Send(&apiv1.Signature{Id: req.GetId(), Signature: sig}) != nil {
			return
		}
	}
}

func (s *session) withSession(ctx context.Context) context.Context {
	s.mu.Lock()
	name := s.name
	s.mu.Unlock()
	if name == "" {
		return ctx
	}
	return metadata.AppendToOutgoingContext(ctx, "signer-session", name)
}

func (s *session) unary(ctx context.Context, method string, req, reply any, cc *grpc.ClientConn, invoker grpc.UnaryInvoker, opts ...grpc.CallOption) error {
	return invoker(s.withSession(ctx), method, req, reply, cc, opts...)
}

func (s *session) stream(ctx context.Context, desc *grpc.StreamDesc, cc *grpc.ClientConn, method string, streamer grpc.Streamer, opts ...grpc.CallOption) (grpc.ClientStream, error) {
	return streamer(s.withSession(ctx), desc, cc, method, opts...)
}
