// Package state holds the ledger key layout of CivicLedger and typed JSON
// helpers around the chaincode stub.
//
// Every entry lives under a composite key whose object type names the kind
// of entry (e.g. "profile") and whose attributes identify it, so a whole kind
// can be listed with one partial-composite-key range. Values are JSON encodings
// of Go structs: encoding/json writes struct fields in declaration order and
// sorts map keys, so every endorser produces byte-identical values. A listing
// that clients page through reads its range with Page, whose bookmarks are
// opaque and valid only for the range that issued them.
package state

import (
	"encoding/json"
	"fmt"

	"github.com/hyperledger/fabric-chaincode-go/v2/shim"
)

// Object types of composite keys, one per kind of ledger entry.
const (
	// TypeProfile keys the directory profile of an administration by MSP ID.
	TypeProfile = "profile"
	// TypeMembers keys the one entry listing the member administrations
	// (MembersKey).
	TypeMembers = "members"
)

// IndexValue is the value of an index entry, whose key alone carries the
// information: one byte, because Fabric treats an empty value as a delete.
var IndexValue = []byte{0}

// ProfileKey is the key of the directory profile of the administration mspID.
func ProfileKey(stub shim.ChaincodeStubInterface, mspID string) (string, error) {
	return Key(stub, TypeProfile, mspID)
}

// MembersKey is the key of the list of member administrations that the
// directory keeps beside the profiles.
func MembersKey(stub shim.ChaincodeStubInterface) (string, error) {
	return Key(stub, TypeMembers)
}

// Key builds the composite key of an entry of objectType.
func Key(stub shim.ChaincodeStubInterface, objectType string, attrs ...string) (string, error) {
	key, err := stub.CreateCompositeKey(objectType, attrs)
	if err != nil {
		return "", fmt.Errorf("create %s key: %w", objectType, err)
	}
	return key, nil
}

// GetJSON reads key and decodes it into v. It reports found=false only when
// the key has no value: a failed read or undecodable value is an error.
func GetJSON(stub shim.ChaincodeStubInterface, key string, v any) (found bool, err error) {
	raw, err := stub.GetState(key)
	if err != nil {
		return false, fmt.Errorf("read state %q: %w", key, err)
	}
	if raw == nil {
		return false, nil
	}
	if err := json.Unmarshal(raw, v); err != nil {
		return false, fmt.Errorf("decode state %q: %w", key, err)
	}
	return true, nil
}

// PutJSON encodes v as JSON and writes it at key.
func PutJSON(stub shim.ChaincodeStubInterface, key string, v any) error {
	raw, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode state %q: %w", key, err)
	}
	if err := stub.PutState(key, raw); err != nil {
		return fmt.Errorf("write state %q: %w", key, err)
	}
	return nil
}
