package server

import (
	"context"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/civicledger/civicledger/chaincode/spec"
	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
	"github.com/civicledger/civicledger/network/configupdate"
)

// ProposeRevocationList proposes the caller's administration's current CRL,
// read from its CA, as its MSP's revocation list in the channel
// configuration: once applied, every peer and orderer refuses what the CA
// revoked (people revoked or rotated by PeopleService), not only this
// gateway.
func (m *membershipService) ProposeRevocationList(ctx context.Context, req *apiv1.ProposeRevocationListRequest) (*apiv1.MembershipProposalResponse, error) {
	if err := requireAdmin(ctx); err != nil {
		return nil, err
	}
	if m.crl == nil {
		return nil, status.Error(codes.FailedPrecondition, "this gateway has no certificate authority configured (ca in its configuration): it has no revocation list to propose")
	}
	expires, err := m.expiresAt(req.ExpiresInSeconds)
	if err != nil {
		return nil, err
	}
	crl, err := m.crl(ctx)
	if err != nil {
		return nil, err
	}
	current, err := m.currentConfig(ctx)
	if err != nil {
		return nil, err
	}
	mspID := caller(ctx).MSPID
	u, err := configupdate.SetRevocationList(current.config, m.channel, mspID, crl)
	if err != nil {
		return nil, toStatus(err)
	}
	return m.propose(ctx, spec.MembershipRevocationList, mspID, u, expires)
}

// currentCRL reads the administration's CRL from its CA.
func (p *people) currentCRL(ctx context.Context) ([]byte, error) {
	crl, err := p.reg.CRL(ctx)
	if err != nil {
		return nil, p.caError(err)
	}
	return crl, nil
}

// signingKeyError says why the caller cannot sign a config update: a
// person's key is not the gateway's to sign with (config update signatures
// are made with the administration's shared admin identity), anything else
// is the gateway's failure.
func signingKeyError(ctx context.Context, err error) error {
	if personCert(ctx) != nil {
		return status.Error(codes.FailedPrecondition, "config update signatures are made by the gateway with the administration's admin identity of its users folder; an official's personal identity cannot sign them")
	}
	return status.Errorf(codes.Internal, "load the caller's signing key: %v", err)
}
