// Package configupdate computes the channel configuration updates that add
// an administration to the running network or remove one, and checks the
// admins' signatures over them, with fabric-config instead of configtxlator
// and jq.
//
// An administration is one organization in both the Application and the
// Orderer groups of the channel (as network/channel.go writes configtx.yaml):
// its MSP, its anchor peer, its orderer endpoint and one Raft consenter. A
// newcomer's policies are copied from an existing member's with the MSP ID
// swapped, so every member keeps the same shape. An update is returned as
// the bytes the admins sign (Update.Bytes): protobuf maps do not marshal
// deterministically, so those bytes, not a re-marshalled proto, are what
// signatures and the envelope carry.
//
// Broadcast sends the signed envelope to an orderer and ConfigFromBlock
// reads the current configuration out of the latest config block.
//
// Refusals are sentinel errors (ErrInvalidAdministration, ErrDuplicate…)
// that a gateway maps to gRPC codes with errors.Is.
package configupdate
