package permissions

import (
	"time"

	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"

	"github.com/civicledger/civicledger/chaincode/contracts/base"
	"github.com/civicledger/civicledger/chaincode/records"
	"github.com/civicledger/civicledger/chaincode/spec"
)

// Contract records access permissions between administrations
// and every use made of them.
//
// A permission needs the peers of both owner and grantee. The owner offers
// it (a new key, so the chaincode-wide policy governs that write) and puts
// on its key the policy "owner AND grantee"; the grantee's acceptance
// changes that key, so it is valid only if both peers endorsed it. The same
// transaction replaces the policy with "owner plus any other member", so
// that the owner can later revoke without the grantee.
type Contract struct {
	contractapi.Contract
}

// New returns the permissions contract, using TxContext.
func New() *Contract {
	return &Contract{Contract: base.NewContract(spec.PermissionsContract, "CivicLedger access permissions between administrations")}
}

// GetEvaluateTransactions marks the read-only transactions for the metadata.
func (c *Contract) GetEvaluateTransactions() []string {
	return []string{"Check", "Get", "ListByOwner", "ListUsesBySubject", "ListInvalidUses"}
}

// Offer creates a permission owned by the caller's administration, in
// status offered, from input (a JSON PermissionOffer). Only an approver or
// admin may call it; the grantee must be another member administration.
// The key's endorsement policy becomes "owner AND grantee". It emits
// EventPermissionOffered.
func (c *Contract) Offer(ctx *base.TxContext, input string) (*records.Permission, error) {
	caller, err := ctx.RequireRole(spec.RoleApprover, spec.RoleAdmin)
	if err != nil {
		return nil, err
	}
	var in records.PermissionOffer
	if err := base.DecodeInput("offer", input, spec.MaxPermissionInput, &in); err != nil {
		return nil, err
	}
	at, err := ctx.TxTime()
	if err != nil {
		return nil, err
	}
	p, err := newPermission(caller, at, in)
	if err != nil {
		return nil, err
	}
	if err := base.RequireMember(ctx, p.Grantee); err != nil {
		return nil, err
	}
	key, _, found, err := getPermission(ctx, p.Owner, p.ID)
	if err != nil {
		return nil, err
	}
	if found {
		return nil, base.AlreadyExists("permission %s of %s exists already", p.ID, p.Owner)
	}
	if err := putPermission(ctx, key, p); err != nil {
		return nil, err
	}
	if err := putPermissionGrantIndex(ctx, p); err != nil {
		return nil, err
	}
	policy, err := base.PolicyAllOf(p.Owner, p.Grantee)
	if err != nil {
		return nil, err
	}
	if err := base.SetKeyPolicy(ctx, key, policy); err != nil {
		return nil, err
	}
	if err := base.Emit(ctx, spec.EventPermissionOffered, p); err != nil {
		return nil, err
	}
	return p, nil
}

// Accept makes the offered permission id of ownerMSP active. Only an
// approver or admin of the grantee may call it, before the end of the
// validity window. It writes the permission key alone, so that its policy
// "owner AND grantee" is the only one that applies: the commit is valid only
// if both peers endorsed it. It then sets the policy to "owner plus one
// other member". It emits EventPermissionAccepted.
func (c *Contract) Accept(ctx *base.TxContext, ownerMSP, id string) (*records.Permission, error) {
	caller, err := ctx.RequireRole(spec.RoleApprover, spec.RoleAdmin)
	if err != nil {
		return nil, err
	}
	if err := validatePermissionRef(ownerMSP, id); err != nil {
		return nil, err
	}
	key, p, err := requirePermission(ctx, ownerMSP, id)
	if err != nil {
		return nil, err
	}
	if caller.MSPID != p.Grantee {
		return nil, base.PermissionDenied("only the grantee %s may accept permission %s of %s, not %s", p.Grantee, id, ownerMSP, caller.MSPID)
	}
	if p.Status != spec.PermissionOffered {
		return nil, base.FailedPrecondition("permission %s of %s is %s, not offered", id, ownerMSP, p.Status)
	}
	at, err := ctx.TxTime()
	if err != nil {
		return nil, err
	}
	until, err := storedPermissionTime(p, "validUntil", p.ValidUntil)
	if err != nil {
		return nil, err
	}
	if !at.Before(until) {
		return nil, base.FailedPrecondition("permission %s of %s expired at %s before it was accepted", id, ownerMSP, p.ValidUntil)
	}
	members, err := base.MemberMSPs(ctx)
	if err != nil {
		return nil, err
	}
	policy, err := base.PolicyOwnerPlusOne(p.Owner, members)
	if err != nil {
		return nil, err
	}
	p.Status = spec.PermissionActive
	p.AcceptedAt = at.Format(time.RFC3339Nano)
	p.AcceptedBy = caller.ID
	if err := putPermission(ctx, key, p); err != nil {
		return nil, err
	}
	if err := base.SetKeyPolicy(ctx, key, policy); err != nil {
		return nil, err
	}
	if err := base.Emit(ctx, spec.EventPermissionAccepted, p); err != nil {
		return nil, err
	}
	return p, nil
}

// Revoke ends the permission id of ownerMSP, offered or active, for reason.
// Only an approver or admin of the owner may call it. It writes the
// permission key alone, so its key policy applies: after acceptance the
// owner plus any other member, without the grantee; before acceptance
// (withdrawing an offer) still the owner and the grantee. It emits
// EventPermissionRevoked.
func (c *Contract) Revoke(ctx *base.TxContext, ownerMSP, id, reason string) (*records.Permission, error) {
	caller, err := ctx.RequireRole(spec.RoleApprover, spec.RoleAdmin)
	if err != nil {
		return nil, err
	}
	if err := validatePermissionRef(ownerMSP, id); err != nil {
		return nil, err
	}
	reason, err = base.NormalizeText("reason", reason, spec.MaxPermissionReason)
	if err != nil {
		return nil, err
	}
	if caller.MSPID != ownerMSP {
		return nil, base.PermissionDenied("only the owner %s may revoke its permissions, not %s", ownerMSP, caller.MSPID)
	}
	key, p, err := requirePermission(ctx, ownerMSP, id)
	if err != nil {
		return nil, err
	}
	if p.Status == spec.PermissionRevoked {
		return nil, base.FailedPrecondition("permission %s of %s is revoked already", id, ownerMSP)
	}
	at, err := ctx.TxTime()
	if err != nil {
		return nil, err
	}
	p.Status = spec.PermissionRevoked
	p.RevokedAt = at.Format(time.RFC3339Nano)
	p.RevokedBy = caller.ID
	p.RevokeReason = reason
	if err := putPermission(ctx, key, p); err != nil {
		return nil, err
	}
	if err := base.Emit(ctx, spec.EventPermissionRevoked, p); err != nil {
		return nil, err
	}
	return p, nil
}
