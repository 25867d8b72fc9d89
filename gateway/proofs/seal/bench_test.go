package seal

import (
	"bytes"
	"testing"
)

// BenchmarkVerify measures one offline verification of a typical debt
// extract seal; run with -cpu 1 to read verifications per second per core.
func BenchmarkVerify(b *testing.B) {
	w := newTestWorld(b)
	s, err := w.treasury.signer(b, compactCert).Seal(debtExtract("TreasuryMSP"))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if v := Verify(s.Text, w.trust, testNow); !v.Valid {
			b.Fatal(v.Message)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "verifications/s")
}

// BenchmarkSeal measures signing and encoding one seal (no image).
func BenchmarkSeal(b *testing.B) {
	w := newTestWorld(b)
	signer := w.treasury.signer(b, compactCert)
	claims := debtExtract("TreasuryMSP")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := signer.Seal(claims); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecodeImage measures reading the seal back from a 600 px PNG.
func BenchmarkDecodeImage(b *testing.B) {
	w := newTestWorld(b)
	s, err := w.treasury.signer(b, compactCert).Seal(debtExtract("TreasuryMSP"))
	if err != nil {
		b.Fatal(err)
	}
	img, err := s.PNG(600)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := DecodeImage(bytes.NewReader(img)); err != nil {
			b.Fatal(err)
		}
	}
}
