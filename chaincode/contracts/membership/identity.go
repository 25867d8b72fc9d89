package membership

import (
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"slices"

	"github.com/hyperledger/fabric-chaincode-go/v2/pkg/cid"

	"github.com/civicledger/civicledger/chaincode/contracts/base"
	"github.com/civicledger/civicledger/chaincode/spec"
)

// admin is the caller of a membership transaction: an admin of a member
// administration, with its certificate.
type admin struct {
	base.Caller
	cert *x509.Certificate
	// certID is the hex SHA-256 of the DER certificate: it names the
	// signer without a personal name.
	certID string
}

// requireMemberAdmin returns the caller if it has the admin role and its
// administration is a member (has a directory profile); otherwise
// PERMISSION_DENIED, saying it may not do what.
func requireMemberAdmin(ctx *base.TxContext, what string) (*admin, error) {
	caller, err := ctx.RequireRole(spec.RoleAdmin)
	if err != nil {
		return nil, err
	}
	members, err := base.MemberMSPs(ctx)
	if err != nil {
		return nil, err
	}
	if !slices.Contains(members, caller.MSPID) {
		return nil, base.PermissionDenied("administration %s is not a member of the network: its admins may not %s", caller.MSPID, what)
	}
	id, err := cid.New(ctx.GetStub())
	if err != nil {
		return nil, base.PermissionDenied("cannot determine caller identity: %v", err)
	}
	cert, err := id.GetX509Certificate()
	if err != nil || cert == nil {
		return nil, base.PermissionDenied("caller of %s has no x509 certificate", caller.MSPID)
	}
	sum := sha256.Sum256(cert.Raw)
	return &admin{Caller: caller, cert: cert, certID: hex.EncodeToString(sum[:])}, nil
}
