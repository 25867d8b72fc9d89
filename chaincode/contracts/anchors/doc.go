// Package anchors is the register of Merkle roots that stand for batches
// of document hashes (transactions "Anchors:*"); anchors never change.
package anchors
