// Package receipt exports a committed Fabric transaction as a
// self-contained receipt and verifies one offline.
//
// A receipt holds the block that contains the transaction and the channel
// configuration block in force for it, both exactly as the peer stores them.
// From these alone a verifier checks that the transaction was signed by a
// member's client, that its endorsements are valid signatures by member
// peers that satisfy the channel's endorsement policy and cover this
// transaction, that the transaction is in the block, that the block was
// signed by an orderer of the network and refers to that configuration, and
// it lists what the transaction wrote. The configuration is trusted through
// the hash of its block header, which a verifier obtains once from the
// administrations (a trust file). docs/proofs.md gives every step.
package receipt
