// Package contracts is the CivicLedger chaincode: one Fabric contract per
// concern (the directory of administrations, documents, convocations,
// subsidies, access permissions and anchored Merkle roots), all served by a
// single chaincode.
//
// Model: every participant is a public administration with its own MSP.
// Identity is never taken from arguments: the caller's MSP ID, its `role`
// attribute (clerk, approver, admin) and the transaction time are derived in
// one place, TxContext. Entries are stored as JSON under composite keys (see
// package state). Errors returned to clients carry a stable "CODE: message"
// prefix (see Error) that the gateway maps to gRPC status codes.
package contracts

import (
	"fmt"

	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"
)

// New assembles every CivicLedger contract into one chaincode. Transaction
// names are "<Contract>:<Transaction>", e.g. "Directory:SetProfile".
func New() (*contractapi.ContractChaincode, error) {
	cc, err := contractapi.NewChaincode(
		NewDirectoryContract(),
		NewDocumentsContract(),
		NewConvocationsContract(),
		NewSubsidiesContract(),
		NewPermissionsContract(),
		NewHistoryContract(),
		NewAnchorsContract(),
	)
	if err != nil {
		return nil, fmt.Errorf("assemble chaincode: %w", err)
	}
	return cc, nil
}
