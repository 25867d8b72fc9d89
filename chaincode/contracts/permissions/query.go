package permissions

import (
	"github.com/civicledger/civicledger/chaincode/contracts/base"
	"github.com/civicledger/civicledger/chaincode/records"
	"github.com/civicledger/civicledger/chaincode/state"
)

// Get returns the permission id of ownerMSP, or NOT_FOUND.
func (c *Contract) Get(ctx *base.TxContext, ownerMSP, id string) (*records.Permission, error) {
	if err := validatePermissionRef(ownerMSP, id); err != nil {
		return nil, err
	}
	_, p, err := requirePermission(ctx, ownerMSP, id)
	return p, err
}

// ListByOwner returns a page of the permissions that ownerMSP offered, in
// id order, whatever their status. pageSize is a decimal from 1 to 100, ""
// or "0" for 20; bookmark is "" for the first page, then the one returned
// with the previous page.
func (c *Contract) ListByOwner(ctx *base.TxContext, ownerMSP, pageSize, bookmark string) (*records.PermissionPage, error) {
	if err := base.ValidateMSPID(ownerMSP); err != nil {
		return nil, err
	}
	size, err := base.ParsePageSize(pageSize)
	if err != nil {
		return nil, err
	}
	list, next, err := base.ListPage(ctx, "permissions of "+ownerMSP, state.TypePermission, []string{ownerMSP}, size, bookmark, state.DecodeJSON[records.Permission])
	if err != nil {
		return nil, err
	}
	return &records.PermissionPage{Permissions: list, Bookmark: next}, nil
}

// ListUsesBySubject returns a page of the uses recorded about subjectRef,
// oldest first: who consulted data about the citizen, and under which
// permission. pageSize and bookmark are as in ListByOwner.
func (c *Contract) ListUsesBySubject(ctx *base.TxContext, subjectRef, pageSize, bookmark string) (*records.PermissionUsePage, error) {
	subjectRef, err := normalizePermissionSubject(subjectRef, true)
	if err != nil {
		return nil, err
	}
	size, err := base.ParsePageSize(pageSize)
	if err != nil {
		return nil, err
	}
	list, next, err := base.ListPage(ctx, "uses of a subject", state.TypePermissionUse, []string{subjectRef}, size, bookmark, state.DecodeJSON[records.PermissionUse])
	if err != nil {
		return nil, err
	}
	return &records.PermissionUsePage{Uses: list, Bookmark: next}, nil
}

// ListInvalidUses returns a page of the uses that no valid permission
// covered, oldest first, for auditors. pageSize and bookmark are as in
// ListByOwner.
func (c *Contract) ListInvalidUses(ctx *base.TxContext, pageSize, bookmark string) (*records.PermissionUsePage, error) {
	size, err := base.ParsePageSize(pageSize)
	if err != nil {
		return nil, err
	}
	list, next, err := base.ListPage(ctx, "invalid uses", state.TypePermissionInvalidUse, nil, size, bookmark, state.DecodeJSON[records.PermissionUse])
	if err != nil {
		return nil, err
	}
	return &records.PermissionUsePage{Uses: list, Bookmark: next}, nil
}
