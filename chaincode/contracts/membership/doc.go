// Package membership is the Membership contract: proposals to add an
// administration to the channel or remove one, each a Fabric config update
// computed off-chain (network/configupdate), and the admins' signatures
// over it (Fabric ConfigSignatures), kept on the ledger so that every
// member sees who signed what. The contract checks each signature against
// the transaction's creator, once per member administration; whether the
// signatures satisfy the channel's admin policies, and whether a config
// block really applied an update, are checked off-chain by the gateway,
// which reads the channel configuration.
package membership
