// Package upgrades is the Upgrades contract: proposals to upgrade the
// chaincode to a new definition (version, sequence, package id; the
// endorsement policy unchanged), each administration's approval of it by
// one of its admins, and the record of the Fabric lifecycle transaction
// that committed it, kept on the ledger so that every member sees who
// approved what and when. The contract cannot read Fabric's lifecycle:
// the gateway approves the definition for its own organization
// (approveformyorg) before it records the approval here, and commits it
// before it records the commit (gateway/fabric/lifecycle.go).
package upgrades
