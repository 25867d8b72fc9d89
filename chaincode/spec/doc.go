// Package spec is the vocabulary of the CivicLedger contract that both the
// chaincode and its clients (the gateway, ledgerctl) need: transaction
// names, the syntax of ids and hashes, the range of times, size limits,
// transient keys and enum strings. It is the one home of each such fact, so
// that a change on the chaincode side cannot leave the gateway silently
// restating the old rule.
//
// Validators return plain errors that describe the problem without naming
// the field (e.g. "is malformed: a letter or digit, ..."); each side wraps
// them into its own error type with the field name in front. The package
// imports only the standard library, like chaincode/records and
// chaincode/errcode, so that a client does not pull in Fabric.
package spec
