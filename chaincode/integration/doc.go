// Package integration proves the chaincode's rules on a real network (build
// tag integration): the endorsement policies that no unit test can check,
// private data purge, and each contract end to end through the Gateway.
package integration
