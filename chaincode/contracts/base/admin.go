package base

import (
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"slices"

	"github.com/hyperledger/fabric-chaincode-go/v2/pkg/cid"

	"github.com/civicledger/civicledger/chaincode/spec"
)

// MemberAdmin is the caller of an administrators' transaction (membership
// changes, chaincode upgrades): an admin of a member administration, with
// its certificate.
type MemberAdmin struct {
	Caller
	Cert *x509.Certificate
	// CertID is the hex SHA-256 of the DER certificate: it names the
	// admin without a personal name.
	CertID string
}

// RequireMemberAdmin returns the caller if it has the admin role and its
// administration is a member (has a directory profile and has not left);
// otherwise PERMISSION_DENIED, saying it may not do what.
func RequireMemberAdmin(ctx *TxContext, what string) (*MemberAdmin, error) {
	caller, err := ctx.RequireRole(spec.RoleAdmin)
	if err != nil {
		return nil, err
	}
	members, err := MemberMSPs(ctx)
	if err != nil {
		return nil, err
	}
	if !slices.Contains(members, caller.MSPID) {
		return nil, PermissionDenied("administration %s is not a member of the network: its admins may not %s", caller.MSPID, what)
	}
	id, err := cid.New(ctx.GetStub())
	if err != nil {
		return nil, PermissionDenied("cannot determine caller identity: %v", err)
	}
	cert, err := id.GetX509Certificate()
	if err != nil || cert == nil {
		return nil, PermissionDenied("caller of %s has no x509 certificate", caller.MSPID)
	}
	sum := sha256.Sum256(cert.Raw)
	return &MemberAdmin{Caller: caller, Cert: cert, CertID: hex.EncodeToString(sum[:])}, nil
}
