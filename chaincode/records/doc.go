// Package records holds the JSON documents the chaincode stores, returns and
// accepts: the wire format between the chaincode and its clients. The
// chaincode's contracts (chaincode/contracts) write and read these types on
// the ledger and return them from transactions; the gateway and ledgerctl
// decode the chaincode's results into them and encode its JSON arguments
// with them.
//
// They are plain structs with a fixed field order, so that the JSON on the
// ledger does not change from one build to the next. The package imports
// nothing from Fabric, so that a client can use it without pulling in the
// contract API. The metadata tags are read by fabric-contract-api-go when
// it describes the contracts; they are plain strings here. Validation and
// every rule about these documents stay in chaincode/contracts.
package records
