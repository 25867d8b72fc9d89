package merkle_test

import (
	"crypto/sha256"
	"encoding/json"
	"fmt"

	"github.com/civicledger/civicledger/gateway/proofs/merkle"
)

// A batch of document hashes is anchored as one root; each document gets its
// proof, which a third party checks with nothing but the root.
func Example() {
	docs := [][merkle.HashSize]byte{
		sha256.Sum256([]byte("convocation 1")),
		sha256.Sum256([]byte("convocation 2")),
		sha256.Sum256([]byte("convocation 3")),
	}
	tree, err := merkle.New(docs)
	if err != nil {
		panic(err)
	}
	root := tree.Root() // anchored on the ledger with tree.Size()

	proof, err := tree.Proof(1)
	if err != nil {
		panic(err)
	}
	text, err := json.Marshal(proof)
	if err != nil {
		panic(err)
	}

	var received merkle.Proof
	if err := json.Unmarshal(text, &received); err != nil {
		panic(err)
	}
	fmt.Println(merkle.VerifyInclusion(docs[1], received, root))
	fmt.Println(merkle.VerifyInclusion(docs[2], received, root) != nil)
	// Output:
	// <nil>
	// true
}

// The proofs of a month of Lorient's anchorings, 20,000 documents.
func ExampleTree_Proofs() {
	docs := make([][merkle.HashSize]byte, 20_000)
	for i := range docs {
		docs[i] = sha256.Sum256(fmt.Appendf(nil, "convocation %d", i))
	}
	tree, err := merkle.New(docs)
	if err != nil {
		panic(err)
	}
	var largestBin, largestJSON, hashes int
	for _, p := range tree.Proofs() {
		bin, err := p.MarshalBinary()
		if err != nil {
			panic(err)
		}
		text, err := json.Marshal(p)
		if err != nil {
			panic(err)
		}
		largestBin, largestJSON = max(largestBin, len(bin)), max(largestJSON, len(text))
		hashes = max(hashes, len(p.Path))
	}
	fmt.Printf("at most %d hashes: %d bytes binary, %d bytes JSON\n", hashes, largestBin, largestJSON)
	// Output: at most 15 hashes: 487 bytes binary, 1050 bytes JSON
}
