package seal

import (
	"bytes"
	"compress/zlib"
	"crypto/sha256"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/veraison/go-cose"
)

// Prefix is the context identifier in front of every seal text; the digit is
// the format generation, like "HC1:" for the EU Digital COVID Certificate.
const Prefix = "CL1:"

// MaxInflatedSize caps the decompressed COSE message, so a small QR code can
// not expand into a large allocation (zip bomb).
const MaxInflatedSize = 64 << 10

// maxTextLen is the most alphanumeric characters any QR code holds (version
// 40, error correction L); longer input cannot come from a QR code.
const maxTextLen = 4296

// maxSealTextLen is what a QR code at error correction M holds (version 40).
const maxSealTextLen = 3391

// COSE header labels used by seals (RFC 9052, RFC 9360).
const (
	headerAlg     int64 = 1
	headerKID     int64 = 4
	headerX5Chain int64 = 33
)

// keyID is the seal's kid: the first 8 bytes of SHA-256 over the signer's
// certificate DER.
func keyID(certDER []byte) []byte {
	sum := sha256.Sum256(certDER)
	return sum[:8]
}

// zlibWriters and zlibReaders reuse compressor and decompressor state (about
// 800 KiB and 40 KiB), which would otherwise dominate each seal's allocations.
var (
	zlibWriters sync.Pool // *zlib.Writer at BestCompression
	zlibReaders sync.Pool // io.ReadCloser that implements zlib.Resetter
)

// encodeText turns a COSE_Sign1 message into seal text: zlib at best
// compression, Base45, then the prefix.
func encodeText(coseMsg []byte) (string, error) {
	var buf bytes.Buffer
	zw, ok := zlibWriters.Get().(*zlib.Writer)
	if ok {
		zw.Reset(&buf)
	} else {
		var err error
		if zw, err = zlib.NewWriterLevel(&buf, zlib.BestCompression); err != nil {
			return "", fmt.Errorf("compress seal: %w", err)
		}
	}
	defer zlibWriters.Put(zw)
	if _, err := zw.Write(coseMsg); err != nil {
		return "", fmt.Errorf("compress seal: %w", err)
	}
	if err := zw.Close(); err != nil {
		return "", fmt.Errorf("compress seal: %w", err)
	}
	return Prefix + base45Encode(buf.Bytes()), nil
}

// decodeText reverses encodeText and returns the COSE_Sign1 bytes.
func decodeText(text string) ([]byte, *failure) {
	if len(text) > maxTextLen {
		return nil, fail(ReasonBadEncoding, "seal text has %d characters, more than any QR code holds (%d)", len(text), maxTextLen)
	}
	payload, ok := strings.CutPrefix(text, Prefix)
	if !ok {
		return nil, fail(ReasonBadPrefix, "seal text does not start with %q", Prefix)
	}
	compressed, err := base45Decode(payload)
	if err != nil {
		return nil, failErr(ReasonBadEncoding, err)
	}
	coseMsg, err := inflate(compressed)
	if err != nil {
		return nil, failErr(ReasonBadEncoding, err)
	}
	return coseMsg, nil
}

// inflate decompresses a zlib stream of at most MaxInflatedSize bytes and
// checks its Adler-32 trailer.
func inflate(compressed []byte) ([]byte, error) {
	src := bytes.NewReader(compressed)
	zr, ok := zlibReaders.Get().(io.ReadCloser)
	if ok {
		if err := zr.(zlib.Resetter).Reset(src, nil); err != nil {
			zlibReaders.Put(zr)
			return nil, fmt.Errorf("zlib: %w", err)
		}
	} else {
		var err error
		if zr, err = zlib.NewReader(src); err != nil {
			return nil, fmt.Errorf("zlib: %w", err)
		}
	}
	out, err := io.ReadAll(io.LimitReader(zr, MaxInflatedSize+1))
	zlibReaders.Put(zr) // the next Reset clears any error state
	if err != nil {
		return nil, fmt.Errorf("zlib: %w", err)
	}
	if len(out) > MaxInflatedSize {
		return nil, fmt.Errorf("zlib: payload inflates past the %d-byte cap", MaxInflatedSize)
	}
	return out, nil
}

// parseSign1 decodes a tagged COSE_Sign1 message and checks its protected
// header: alg ES256, kid matching the certificate, x5chain with the signer's
// certificate first. It returns the message and the certificates.
func parseSign1(data []byte) (*cose.Sign1Message, []*x509.Certificate, *failure) {
	var msg cose.Sign1Message
	if err := msg.UnmarshalCBOR(data); err != nil {
		return nil, nil, fail(ReasonBadEncoding, "cose: %v", err)
	}
	if msg.Payload == nil {
		return nil, nil, fail(ReasonBadEncoding, "cose: detached payload is not allowed")
	}
	h := msg.Headers.Protected
	alg, err := h.Algorithm()
	if err != nil || alg != cose.AlgorithmES256 {
		return nil, nil, fail(ReasonBadHeader, "cose: protected alg must be ES256 (-7)")
	}
	if _, ok := h[cose.HeaderLabelCritical]; ok {
		return nil, nil, fail(ReasonBadHeader, "cose: critical header parameters are not supported")
	}
	ders, f := x5chain(h[headerX5Chain])
	if f != nil {
		return nil, nil, f
	}
	kid, ok := h[headerKID].([]byte)
	if !ok || !bytes.Equal(kid, keyID(ders[0])) {
		return nil, nil, fail(ReasonBadHeader, "cose: protected kid must be the first 8 bytes of SHA-256 of the signer certificate")
	}
	certs := make([]*x509.Certificate, len(ders))
	for i, der := range ders {
		if certs[i], err = x509.ParseCertificate(der); err != nil {
			return nil, nil, fail(ReasonBadCertificate, "x5chain certificate %d: %v", i, err)
		}
	}
	return &msg, certs, nil
}

// maxChainLen bounds the certificates a seal may carry.
const maxChainLen = 4

// x5chain reads the x5chain header value: one DER certificate as a byte
// string, or an array of them with the signer's first (RFC 9360).
func x5chain(v any) ([][]byte, *failure) {
	switch v := v.(type) {
	case []byte:
		return [][]byte{v}, nil
	case []any:
		if len(v) == 0 || len(v) > maxChainLen {
			return nil, fail(ReasonBadCertificate, "x5chain has %d certificates, want 1 to %d", len(v), maxChainLen)
		}
		ders := make([][]byte, len(v))
		for i, e := range v {
			der, ok := e.([]byte)
			if !ok {
				return nil, fail(ReasonBadCertificate, "x5chain entry %d is not a byte string", i)
			}
			ders[i] = der
		}
		return ders, nil
	case nil:
		return nil, fail(ReasonBadCertificate, "protected header has no x5chain (label 33) with the signer certificate")
	default:
		return nil, fail(ReasonBadCertificate, "x5chain must be a byte string or an array of byte strings")
	}
}

// errNotP256 says a key is not an ECDSA P-256 key.
var errNotP256 = errors.New("key is not ECDSA P-256")
