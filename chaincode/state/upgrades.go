package state

import (
	"fmt"

	"github.com/hyperledger/fabric-chaincode-go/v2/shim"
)

// TypeUpgradeProposal keys a chaincode upgrade proposal by chaincode name
// and zero-padded sequence, so that a listing runs in sequence order.
const TypeUpgradeProposal = "upgradeProposal"

// UpgradeProposalKey is the key of the upgrade proposal of chaincode at
// sequence.
func UpgradeProposalKey(stub shim.ChaincodeStubInterface, chaincode string, sequence int64) (string, error) {
	return Key(stub, TypeUpgradeProposal, chaincode, fmt.Sprintf("%020d", sequence))
}

// TypeUpgradeCommitted keys, per chaincode, the sequence of the last
// definition an upgrade proposal committed: a proposal at or below it is
// stale.
const TypeUpgradeCommitted = "upgradeCommitted"

// UpgradeCommittedKey is the key of chaincode's last committed sequence.
func UpgradeCommittedKey(stub shim.ChaincodeStubInterface, chaincode string) (string, error) {
	return Key(stub, TypeUpgradeCommitted, chaincode)
}
