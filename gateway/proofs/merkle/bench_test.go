package merkle

import "testing"

// lorientMonthly is Lorient Agglomération's monthly volume of anchorings.
const lorientMonthly = 20_000

// BenchmarkBuild20000 hashes a month of Lorient's anchorings into a tree and
// produces every inclusion proof.
func BenchmarkBuild20000(b *testing.B) {
	leaves := documentHashes(lorientMonthly)
	for b.Loop() {
		tree, err := New(leaves)
		if err != nil {
			b.Fatal(err)
		}
		if proofs := tree.Proofs(); len(proofs) != lorientMonthly {
			b.Fatalf("%d proofs", len(proofs))
		}
	}
}

// BenchmarkNew20000 is the hashing part of BenchmarkBuild20000 alone.
func BenchmarkNew20000(b *testing.B) {
	leaves := documentHashes(lorientMonthly)
	for b.Loop() {
		if _, err := New(leaves); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVerifyInclusion checks one proof (15 hashes) of a 20,000-leaf tree.
func BenchmarkVerifyInclusion(b *testing.B) {
	leaves := documentHashes(lorientMonthly)
	tree, err := New(leaves)
	if err != nil {
		b.Fatal(err)
	}
	const i = 12_345
	p, err := tree.Proof(i)
	if err != nil {
		b.Fatal(err)
	}
	root := tree.Root()
	for b.Loop() {
		if err := VerifyInclusion(leaves[i], p, root); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecodeProof decodes the binary form of a 20,000-leaf proof.
func BenchmarkDecodeProof(b *testing.B) {
	tree, err := New(documentHashes(lorientMonthly))
	if err != nil {
		b.Fatal(err)
	}
	p, err := tree.Proof(12_345)
	if err != nil {
		b.Fatal(err)
	}
	bin, err := p.MarshalBinary()
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := DecodeProof(bin); err != nil {
			b.Fatal(err)
		}
	}
}
