package permissions

import (
	"time"

	"github.com/civicledger/civicledger/chaincode/contracts/base"
	"github.com/civicledger/civicledger/chaincode/records"
	"github.com/civicledger/civicledger/chaincode/state"
)

// getPermission reads the permission id of owner and returns it with its
// key; found is false only when it does not exist.
func getPermission(ctx *base.TxContext, owner, id string) (key string, p *records.Permission, found bool, err error) {
	key, err = state.PermissionKey(ctx.GetStub(), owner, id)
	if err != nil {
		return "", nil, false, base.Internal(err, "permission key")
	}
	p = new(records.Permission)
	found, err = base.GetEntry(ctx, key, "permission "+id+" of "+owner, p)
	if err != nil {
		return "", nil, false, err
	}
	if !found {
		return key, nil, false, nil
	}
	return key, p, true, nil
}

// requirePermission is getPermission that fails with NOT_FOUND when the
// permission does not exist.
func requirePermission(ctx *base.TxContext, owner, id string) (string, *records.Permission, error) {
	key, p, found, err := getPermission(ctx, owner, id)
	if err != nil {
		return "", nil, err
	}
	if !found {
		return "", nil, base.NotFound("no permission %s of %s", id, owner)
	}
	return key, p, nil
}

// putPermission writes p at key.
func putPermission(ctx *base.TxContext, key string, p *records.Permission) error {
	return base.PutEntry(ctx, key, "permission "+p.ID+" of "+p.Owner, p)
}

// putPermissionGrantIndex adds p to the index that Check reads. The entry
// never changes afterwards: the status lives in the permission alone, so
// that Accept and Revoke write only the permission key.
func putPermissionGrantIndex(ctx *base.TxContext, p *records.Permission) error {
	stub := ctx.GetStub()
	key, err := state.PermissionGrantKey(stub, p.Owner, p.Grantee, p.Category, p.ID)
	if err != nil {
		return base.Internal(err, "permission index key")
	}
	if err := stub.PutState(key, state.IndexValue); err != nil {
		return base.Internal(err, "write permission index of %s of %s", p.ID, p.Owner)
	}
	return nil
}

// putPermissionUse writes u under its subject and, if it was not covered by
// a valid permission, in the auditors' index as well.
func putPermissionUse(ctx *base.TxContext, u *records.PermissionUse, at time.Time) error {
	stub := ctx.GetStub()
	stamp := at.Format(permissionKeyTime)
	key, err := state.PermissionUseKey(stub, u.SubjectRef, stamp, u.ID)
	if err != nil {
		return base.Internal(err, "permission use key")
	}
	if err := base.PutEntry(ctx, key, "permission use "+u.ID, u); err != nil {
		return err
	}
	if u.Valid {
		return nil
	}
	key, err = state.PermissionInvalidUseKey(stub, stamp, u.ID)
	if err != nil {
		return base.Internal(err, "invalid permission use key")
	}
	return base.PutEntry(ctx, key, "invalid permission use "+u.ID, u)
}

// storedPermissionTime parses a time that this contract stored in p; a
// failure means the entry is corrupt.
func storedPermissionTime(p *records.Permission, field, value string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339Nano, value)
	if err != nil {
		return time.Time{}, base.Internal(err, "permission %s of %s has a corrupt %s", p.ID, p.Owner, field)
	}
	return t, nil
}
