package state

import (
	"fmt"

	"github.com/hyperledger/fabric-chaincode-go/v2/shim"
	"github.com/hyperledger/fabric-protos-go-apiv2/ledger/queryresult"
)

// Object types of the access-permission entries.
const (
	// TypePermission keys a permission by owner MSP ID and permission id.
	TypePermission = "permission"
	// TypePermissionGrant indexes permissions by owner, grantee, category
	// and id; its value is IndexValue.
	TypePermissionGrant = "permissionGrant"
	// TypePermissionUse keys a recorded use by subject reference, time and
	// transaction id, so that a citizen's uses list in time order.
	TypePermissionUse = "permissionUse"
	// TypePermissionInvalidUse keys a copy of each use made without a valid
	// permission by time and transaction id, for auditors.
	TypePermissionInvalidUse = "permissionInvalidUse"
)

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
func PermissionGrantIDs(stub shim.ChaincodeStubInterface, owner, grantee, category string) ([]string, error) {
	it, err := stub.GetStateByPartialCompositeKey(TypePermissionGrant, []string{owner, grantee, category})
	if err != nil {
		return nil, fmt.Errorf("query %s range: %w", TypePermissionGrant, err)
	}
	return collect(it, TypePermissionGrant+" range", func(kv *queryresult.KV) (string, error) {
		_, attrs, err := stub.SplitCompositeKey(kv.Key)
		if err != nil || len(attrs) != 4 {
			return "", fmt.Errorf("malformed %s key %q", TypePermissionGrant, kv.Key)
		}
		return attrs[3], nil
	})
}
