// Package base is what every CivicLedger contract shares: the transaction
// context, where the caller's MSP ID, role and the transaction time are
// derived (TxContext), the classified errors whose "CODE: message" the
// gateway maps to gRPC codes (Error), strict decoding of JSON arguments,
// argument validation on top of package spec's syntax, paging, typed
// entry reads and writes, events, the list of member administrations and
// key-level endorsement policies.
package base
