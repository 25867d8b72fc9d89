package server

import (
	"context"
	"crypto/sha256"
	"crypto/x509"
	"errors"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
	"github.com/civicledger/civicledger/gateway/ca"
	"github.com/civicledger/civicledger/gateway/config"
	"github.com/civicledger/civicledger/gateway/fabric"
)

// newPeople connects to the administration's CA when one is configured.
func newPeopleFromConfig(c config.Config) (*people, error) {
	if !c.CA.Enabled() {
		return nil, nil
	}
	reg, err := ca.New(c.CA.Address, c.CA.Name, c.CA.TLSRootCert, ca.WithRegistrar(c.CA.RegistrarCert, c.CA.RegistrarKey))
	if err != nil {
		return nil, err
	}
	return newPeople(reg, c.MSPID, c.CA.Address, c.CA.Name, c.CA.StatusTTL), nil
}

// personCert is the certificate of the person who called, nil for a user
// of the gateway's users folder.
func personCert(ctx context.Context) *x509.Certificate {
	c, _ := ctx.Value(personKey).(*x509.Certificate)
	return c
}

// authenticatePerson admits a personal certificate of the administration
// (one not in the users folder) whose owner is active at the CA. Every call
// but SignerService.Attach names the caller's open signer session: the
// call's Fabric messages are signed through it, by the person's own key.
func (s *Server) authenticatePerson(ctx context.Context, method string, cert *x509.Certificate) (context.Context, error) {
	if err := s.people.check(ctx, cert); err != nil {
		return nil, err
	}
	ctx = context.WithValue(ctx, personKey, cert)
	sign := func(string, []byte, []byte) ([]byte, error) {
		return nil, errors.New("the signer stream signs nothing itself")
	}
	if method != apiv1.SignerService_Attach_FullMethodName {
		name := signerSessionName(ctx)
		if name == "" {
			return nil, status.Error(codes.FailedPrecondition,
				"a person's transactions are signed on their side: open SignerService.Attach and send its session as signer-session metadata (ledgerctl does this when configured with a personal identity)")
		}
		sess, err := s.signers.lookup(name, sha256.Sum256(cert.Raw))
		if err != nil {
			return nil, err
		}
		sign = func(kind string, message, digest []byte) ([]byte, error) {
			return sess.sign(ctx, kind, message, digest)
		}
	}
	u, err := fabric.NewPersonalUser(s.cfg.MSPID, cert, sign)
	if err != nil {
		return nil, status.Errorf(codes.PermissionDenied, "unusable certificate: %v", err)
	}
	return context.WithValue(ctx, userKey, u), nil
}
