// Package integration drives every RPC of the gateway on a real network
// (build tag integration): one test file per service.
package integration
