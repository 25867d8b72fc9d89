package contracts

import (
	"errors"

	"github.com/civicledger/civicledger/chaincode/state"
)

// PermissionPage is one page of permissions. Bookmark, when not empty,
// fetches the next page.
type PermissionPage struct {
	Permissions []*Permission `json:"permissions"`
	Bookmark    string        `json:"bookmark"`
}

// PermissionUsePage is one page of recorded uses, oldest first. Bookmark,
// when not empty, fetches the next page.
type PermissionUsePage struct {
	Uses     []*PermissionUse `json:"uses"`
	Bookmark string           `json:"bookmark"`
}

// Get returns the permission id of ownerMSP, or NOT_FOUND.
func (c *PermissionsContract) Get(ctx *TxContext, ownerMSP, id string) (*Permission, error) {
	if err := validateMSPID(ownerMSP); err != nil {
		return nil, err
	}
	if err := validatePermissionID(id); err != nil {
		return nil, err
	}
	_, p, found, err := getPermission(ctx, ownerMSP, id)
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, NotFound("no permission %s of %s", id, ownerMSP)
	}
	return p, nil
}

// ListByOwner returns a page of the permissions that ownerMSP offered, in
// id order, whatever their status.
func (c *PermissionsContract) ListByOwner(ctx *TxContext, ownerMSP string, pageSize int32, bookmark string) (*PermissionPage, error) {
	if err := validateMSPID(ownerMSP); err != nil {
		return nil, err
	}
	list, next, err := permissionPage[Permission](ctx, state.TypePermission, []string{ownerMSP}, pageSize, bookmark)
	if err != nil {
		return nil, err
	}
	return &PermissionPage{Permissions: list, Bookmark: next}, nil
}

// ListUsesBySubject returns a page of the uses recorded about subjectRef,
// oldest first: who consulted data about the citizen, and under which
// permission.
func (c *PermissionsContract) ListUsesBySubject(ctx *TxContext, subjectRef string, pageSize int32, bookmark string) (*PermissionUsePage, error) {
	if err := validatePermissionSubject(subjectRef, true); err != nil {
		return nil, err
	}
	list, next, err := permissionPage[PermissionUse](ctx, state.TypePermissionUse, []string{subjectRef}, pageSize, bookmark)
	if err != nil {
		return nil, err
	}
	return &PermissionUsePage{Uses: list, Bookmark: next}, nil
}

// ListInvalidUses returns a page of the uses that no valid permission
// covered, oldest first, for auditors.
func (c *PermissionsContract) ListInvalidUses(ctx *TxContext, pageSize int32, bookmark string) (*PermissionUsePage, error) {
	list, next, err := permissionPage[PermissionUse](ctx, state.TypePermissionInvalidUse, nil, pageSize, bookmark)
	if err != nil {
		return nil, err
	}
	return &PermissionUsePage{Uses: list, Bookmark: next}, nil
}

// permissionPage checks the page size and reads one page of objectType
// under attrs; a bookmark not issued for this range is INVALID_ARGUMENT.
func permissionPage[T any](ctx *TxContext, objectType string, attrs []string, pageSize int32, bookmark string) ([]*T, string, error) {
	if err := validatePermissionPageSize(pageSize); err != nil {
		return nil, "", err
	}
	list, next, err := state.PermissionPageJSON[T](ctx.GetStub(), objectType, attrs, pageSize, bookmark)
	if errors.Is(err, state.ErrPermissionBookmark) {
		return nil, "", InvalidArgument("bookmark %q was not issued for this list", clip(bookmark))
	}
	if err != nil {
		return nil, "", Internal(err, "list %s", objectType)
	}
	return list, next, nil
}
