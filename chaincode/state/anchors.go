package state

import "github.com/hyperledger/fabric-chaincode-go/v2/shim"

// TypeAnchor keys an anchored Merkle root by its lowercase hex value: one
// entry per root, written once and never changed.
const TypeAnchor = "anchor"

// AnchorKey is the key of the anchor of root (64 lowercase hex digits).
func AnchorKey(stub shim.ChaincodeStubInterface, root string) (string, error) {
	return Key(stub, TypeAnchor, root)
}
