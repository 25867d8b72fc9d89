// Package integration proves the chaincode's rules on a real network (build
// tag integration): the endorsement policies that no unit test can check,
// private data purge, each contract end to end through the Gateway, and
// the bench-only baseline chaincode that civicbench measures against.
package integration
