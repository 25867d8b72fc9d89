package state

import "github.com/hyperledger/fabric-chaincode-go/v2/shim"

// TypeMembershipProposal keys a membership proposal by its id, the hex
// SHA-256 of its config update: one entry per update, whose signatures are
// kept inside it.
const TypeMembershipProposal = "membershipProposal"

// MembershipProposalKey is the key of the membership proposal id.
func MembershipProposalKey(stub shim.ChaincodeStubInterface, id string) (string, error) {
	return Key(stub, TypeMembershipProposal, id)
}
