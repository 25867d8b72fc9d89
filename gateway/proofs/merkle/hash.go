package merkle

import "crypto/sha256"

// HashSize is the size in bytes of leaves, node hashes and roots (SHA-256).
const HashSize = sha256.Size

// Domain-separation prefixes of RFC 6962 §2.1: a leaf can never be taken for
// an interior node, nor the other way round.
const (
	leafPrefix = 0x00
	nodePrefix = 0x01
)

// LeafHash returns the RFC 6962 leaf hash SHA-256(0x00 || leaf) of a document
// hash, the value at the bottom of the tree.
func LeafHash(leaf [HashSize]byte) [HashSize]byte {
	return hashLeaf(leaf[:])
}

// hashLeaf returns SHA-256(0x00 || data) for leaf data of any length; the
// 32-byte API is a thin layer over it so the RFC 6962 vectors can be tested.
func hashLeaf(data []byte) [HashSize]byte {
	var buf [1 + 2*HashSize]byte
	if len(data) < len(buf) {
		buf[0] = leafPrefix
		n := copy(buf[1:], data)
		return sha256.Sum256(buf[:1+n])
	}
	h := sha256.New()
	h.Write([]byte{leafPrefix})
	h.Write(data)
	var out [HashSize]byte
	h.Sum(out[:0])
	return out
}

// hashChildren returns the interior node hash SHA-256(0x01 || left || right).
func hashChildren(left, right *[HashSize]byte) [HashSize]byte {
	var buf [1 + 2*HashSize]byte
	buf[0] = nodePrefix
	copy(buf[1:], left[:])
	copy(buf[1+HashSize:], right[:])
	return sha256.Sum256(buf[:])
}
