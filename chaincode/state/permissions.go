package state

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/hyperledger/fabric-chaincode-go/v2/shim"
)

// Object types of the access-permission entries.
const (
	// TypePermission keys a permission by owner MSP ID and permission id.
	TypePermission = "permission"
	// TypePermissionGrant indexes permissions by owner, grantee, category
	// and id; its value is a single placeholder byte (an empty value would
	// be a delete).
	TypePermissionGrant = "permissionGrant"
	// TypePermissionUse keys a recorded use by subject reference, time and
	// transaction id, so that a citizen's uses list in time order.
	TypePermissionUse = "permissionUse"
	// TypePermissionInvalidUse keys a copy of each use made without a valid
	// permission by time and transaction id, for auditors.
	TypePermissionInvalidUse = "permissionInvalidUse"
)

// PermissionIndexValue is the value of an index entry: one byte, because
// Fabric treats an empty value as a delete.
var PermissionIndexValue = []byte{0}

// ErrPermissionBookmark marks a bookmark that was not issued for the range
// being listed (malformed, or pointing outside the range).
var ErrPermissionBookmark = errors.New("invalid bookmark")

// PermissionKey is the key of permission id of the administration owner.
func PermissionKey(stub shim.ChaincodeStubInterface, owner, id string) (string, error) {
	return Key(stub, TypePermission, owner, id)
}

// PermissionGrantKey is the index entry of a permission under its owner,
// grantee and category.
func PermissionGrantKey(stub shim.ChaincodeStubInterface, owner, grantee, category, id string) (string, error) {
	return Key(stub, TypePermissionGrant, owner, grantee, category, id)
}

// PermissionUseKey is the key of a use about subjectRef recorded at
// usedAt (a fixed-width UTC time, so keys sort by time) by transaction txID.
func PermissionUseKey(stub shim.ChaincodeStubInterface, subjectRef, usedAt, txID string) (string, error) {
	return Key(stub, TypePermissionUse, subjectRef, usedAt, txID)
}

// PermissionInvalidUseKey is the auditors' key of a use made without a
// valid permission.
func PermissionInvalidUseKey(stub shim.ChaincodeStubInterface, usedAt, txID string) (string, error) {
	return Key(stub, TypePermissionInvalidUse, usedAt, txID)
}

// PermissionGrantIDs lists, in key order, the ids of the permissions that
// owner gave grantee for category, from the grant index.
func PermissionGrantIDs(stub shim.ChaincodeStubInterface, owner, grantee, category string) (ids []string, err error) {
	it, err := stub.GetStateByPartialCompositeKey(TypePermissionGrant, []string{owner, grantee, category})
	if err != nil {
		return nil, fmt.Errorf("query %s range: %w", TypePermissionGrant, err)
	}
	defer func() {
		if cerr := it.Close(); cerr != nil && err == nil {
			ids, err = nil, fmt.Errorf("close %s range: %w", TypePermissionGrant, cerr)
		}
	}()
	ids = []string{}
	for it.HasNext() {
		kv, err := it.Next()
		if err != nil {
			return nil, fmt.Errorf("iterate %s range: %w", TypePermissionGrant, err)
		}
		_, attrs, err := stub.SplitCompositeKey(kv.Key)
		if err != nil || len(attrs) != 4 {
			return nil, fmt.Errorf("malformed %s key %q", TypePermissionGrant, kv.Key)
		}
		ids = append(ids, attrs[3])
	}
	return ids, nil
}

// PermissionPageJSON decodes at most pageSize entries of objectType whose
// leading attributes are attrs, in key order, starting at bookmark (empty
// for the first page). It returns the bookmark of the next page, empty after
// the last one.
//
// Bookmarks are opaque to clients: the base64url encoding of the next key,
// so that a command line can pass them. A bookmark must lie inside the
// range: the peer uses it as the start key as is, so a forged one could
// otherwise list entries of other kinds. Otherwise the error wraps
// ErrPermissionBookmark.
func PermissionPageJSON[T any](stub shim.ChaincodeStubInterface, objectType string, attrs []string, pageSize int32, bookmark string) (list []*T, next string, err error) {
	if attrs == nil {
		attrs = []string{}
	}
	prefix, err := Key(stub, objectType, attrs...)
	if err != nil {
		return nil, "", err
	}
	start := ""
	if bookmark != "" {
		raw, err := base64.RawURLEncoding.DecodeString(bookmark)
		if err != nil || !strings.HasPrefix(string(raw), prefix) {
			return nil, "", fmt.Errorf("%s range: %w", objectType, ErrPermissionBookmark)
		}
		start = string(raw)
	}
	it, md, err := stub.GetStateByPartialCompositeKeyWithPagination(objectType, attrs, pageSize, start)
	if err != nil {
		return nil, "", fmt.Errorf("query %s page: %w", objectType, err)
	}
	defer func() {
		if cerr := it.Close(); cerr != nil && err == nil {
			list, next, err = nil, "", fmt.Errorf("close %s page: %w", objectType, cerr)
		}
	}()
	list = []*T{}
	for it.HasNext() {
		kv, err := it.Next()
		if err != nil {
			return nil, "", fmt.Errorf("iterate %s page: %w", objectType, err)
		}
		v := new(T)
		if err := json.Unmarshal(kv.Value, v); err != nil {
			return nil, "", fmt.Errorf("decode state %q: %w", kv.Key, err)
		}
		list = append(list, v)
	}
	if md != nil && md.GetBookmark() != "" {
		next = base64.RawURLEncoding.EncodeToString([]byte(md.GetBookmark()))
	}
	return list, next, nil
}
