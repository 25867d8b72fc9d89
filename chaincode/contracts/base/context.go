package base

import (
	"slices"
	"time"

	"github.com/hyperledger/fabric-chaincode-go/v2/pkg/cid"
	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"
	"github.com/hyperledger/fabric-contract-api-go/v2/metadata"

	"github.com/civicledger/civicledger/chaincode/spec"
)

// NewContract returns the base of every CivicLedger contract: its name (the
// prefix of its transaction names), its title, and TxContext as the context
// of its transactions, where identity and role are derived.
func NewContract(name, title string) contractapi.Contract {
	return contractapi.Contract{
		Name:                      name,
		Info:                      metadata.InfoMetadata{Title: title},
		TransactionContextHandler: new(TxContext),
	}
}

// Caller is the identity that submitted the transaction.
type Caller struct {
	// MSPID is the administration the caller belongs to.
	MSPID string
	// Role is the value of the caller's `role` attribute; empty if absent.
	Role string
	// ID is the Fabric client ID, unique within the MSP and stable across
	// certificate renewals (base64 of "x509::subject::issuer").
	ID string
}

// TxContext is the transaction context of every CivicLedger contract. It is
// the one place where the caller's identity, role and the transaction time
// are derived, so that authorization rules cannot drift between contracts.
type TxContext struct {
	contractapi.TransactionContext
	caller *Caller
}

// Caller parses the submitter's certificate: MSP ID, `role` attribute and
// client ID. The result is cached for the rest of the transaction.
func (ctx *TxContext) Caller() (Caller, error) {
	if ctx.caller != nil {
		return *ctx.caller, nil
	}
	id, err := ctx.clientIdentity()
	if err != nil {
		return Caller{}, &Error{Code: CodePermissionDenied, Msg: "cannot determine caller identity", Err: err}
	}
	mspID, err := id.GetMSPID()
	if err != nil || mspID == "" {
		return Caller{}, &Error{Code: CodePermissionDenied, Msg: "caller has no msp id", Err: err}
	}
	clientID, err := id.GetID()
	if err != nil {
		return Caller{}, &Error{Code: CodePermissionDenied, Msg: "caller has no x509 identity", Err: err}
	}
	role, _, err := id.GetAttributeValue(spec.RoleAttribute)
	if err != nil {
		return Caller{}, &Error{Code: CodePermissionDenied, Msg: "cannot read caller role", Err: err}
	}
	ctx.caller = &Caller{MSPID: mspID, Role: role, ID: clientID}
	return *ctx.caller, nil
}

// clientIdentity returns the identity that the contract API parsed from the
// creator before calling the transaction, so that the certificate is parsed
// once per transaction; it parses it itself when none was set (a context
// built by a test) or the contract API's parse failed, to report why.
func (ctx *TxContext) clientIdentity() (*cid.ClientID, error) {
	if id, ok := ctx.GetClientIdentity().(*cid.ClientID); ok && id != nil {
		return id, nil
	}
	return cid.New(ctx.GetStub())
}

// RequireRole returns the caller if its role is one of roles, and a
// PERMISSION_DENIED error otherwise (including when it has no role at all).
func (ctx *TxContext) RequireRole(roles ...string) (Caller, error) {
	c, err := ctx.Caller()
	if err != nil {
		return Caller{}, err
	}
	if len(roles) == 0 {
		return Caller{}, Internal(nil, "no role allowed for this transaction")
	}
	if !slices.Contains(roles, c.Role) {
		if c.Role == "" {
			return Caller{}, PermissionDenied("caller of %s has no role, requires one of %v", c.MSPID, roles)
		}
		return Caller{}, PermissionDenied("caller of %s has role %q, requires one of %v", c.MSPID, c.Role, roles)
	}
	return c, nil
}

// TxTime is the transaction timestamp set by the client in the proposal, in
// UTC. Every endorser sees the same value, unlike its own clock.
func (ctx *TxContext) TxTime() (time.Time, error) {
	ts, err := ctx.GetStub().GetTxTimestamp()
	if err != nil {
		return time.Time{}, Internal(err, "read transaction timestamp")
	}
	if err := ts.CheckValid(); err != nil {
		return time.Time{}, Internal(err, "invalid transaction timestamp")
	}
	return ts.AsTime().UTC(), nil
}
