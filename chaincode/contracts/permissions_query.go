package contracts

import (
	"github.com/civicledger/civicledger/chaincode/state"

	"github.com/civicledger/civicledger/chaincode/records"
)

// Get returns the permission id of ownerMSP, or NOT_FOUND.
func (c *PermissionsContract) Get(ctx *TxContext, ownerMSP, id string) (*records.Permission, error) {
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
func (c *PermissionsContract) ListByOwner(ctx *TxContext, ownerMSP, pageSize, bookmark string) (*records.PermissionPage, error) {
	if err := validateMSPID(ownerMSP); err != nil {
		return nil, err
	}
	size, err := parsePageSize(pageSize)
	if err != nil {
		return nil, err
	}
	list, next, err := listPage(ctx, "permissions of "+ownerMSP, state.TypePermission, []string{ownerMSP}, size, bookmark, state.DecodeJSON[records.Permission])
	if err != nil {
		return nil, err
	}
	return &records.PermissionPage{Permissions: list, Bookmark: next}, nil
}

// ListUsesBySubject returns a page of the uses recorded about subjectRef,
// oldest first: who consulted data about the citizen, and under which
// permission. pageSize and bookmark are as in ListByOwner.
func (c *PermissionsContract) ListUsesBySubject(ctx *TxContext, subjectRef, pageSize, bookmark string) (*records.PermissionUsePage, error) {
	if err := validatePermissionSubject(subjectRef, true); err != nil {
		return nil, err
	}
	size, err := parsePageSize(pageSize)
	if err != nil {
		return nil, err
	}
	list, next, err := listPage(ctx, "uses of a subject", state.TypePermissionUse, []string{subjectRef}, size, bookmark, state.DecodeJSON[records.PermissionUse])
	if err != nil {
		return nil, err
	}
	return &records.PermissionUsePage{Uses: list, Bookmark: next}, nil
}

// ListInvalidUses returns a page of the uses that no valid permission
// covered, oldest first, for auditors. pageSize and bookmark are as in
// ListByOwner.
func (c *PermissionsContract) ListInvalidUses(ctx *TxContext, pageSize, bookmark string) (*records.PermissionUsePage, error) {
	size, err := parsePageSize(pageSize)
	if err != nil {
		return nil, err
	}
	list, next, err := listPage(ctx, "invalid uses", state.TypePermissionInvalidUse, nil, size, bookmark, state.DecodeJSON[records.PermissionUse])
	if err != nil {
		return nil, err
	}
	return &records.PermissionUsePage{Uses: list, Bookmark: next}, nil
}
