// Package contracts assembles the CivicLedger chaincode: one Fabric contract
// per concern, each in its own package (directory of administrations,
// documents, convocations, subsidies, access permissions, record history,
// anchored Merkle roots, membership proposals and chaincode upgrades) on the shared mechanics of
// package base, all served by a single chaincode.
//
// Model: every participant is a public administration with its own MSP.
// Identity is never taken from arguments: the caller's MSP ID, its `role`
// attribute (clerk, approver, admin) and the transaction time are derived in
// one place, base.TxContext. Entries are stored as JSON under composite keys (see
// package state). Errors returned to clients carry a stable "CODE: message"
// prefix (see base.Error) that the gateway maps to gRPC status codes.
package contracts

import (
	"fmt"

	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"

	"github.com/civicledger/civicledger/chaincode/contracts/anchors"
	"github.com/civicledger/civicledger/chaincode/contracts/convocations"
	"github.com/civicledger/civicledger/chaincode/contracts/directory"
	"github.com/civicledger/civicledger/chaincode/contracts/documents"
	"github.com/civicledger/civicledger/chaincode/contracts/history"
	"github.com/civicledger/civicledger/chaincode/contracts/membership"
	"github.com/civicledger/civicledger/chaincode/contracts/permissions"
	"github.com/civicledger/civicledger/chaincode/contracts/subsidies"
	"github.com/civicledger/civicledger/chaincode/contracts/upgrades"
)

// New assembles every CivicLedger contract into one chaincode. Transaction
// names are "<Contract>:<Transaction>", e.g. "Directory:SetProfile".
func New() (*contractapi.ContractChaincode, error) {
	cc, err := contractapi.NewChaincode(
		directory.New(),
		documents.New(),
		convocations.New(),
		subsidies.New(),
		permissions.New(),
		history.New(),
		anchors.New(),
		membership.New(),
		upgrades.New(),
	)
	if err != nil {
		return nil, fmt.Errorf("assemble chaincode: %w", err)
	}
	cc.TransactionSerializer = new(unvalidatedJSON)
	return cc, nil
}
