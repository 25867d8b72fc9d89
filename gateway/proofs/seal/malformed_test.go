package seal

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/png"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// zlibText compresses data and encodes it as seal text.
func zlibText(t testing.TB, data []byte) string {
	t.Helper()
	text, err := encodeText(data)
	require.NoError(t, err)
	return text
}

func TestVerifyMalformedInput(t *testing.T) {
	w := newTestWorld(t)
	good, err := w.treasury.signer(t, compactCert).Seal(debtExtract("TreasuryMSP"))
	require.NoError(t, err)
	goodCOSE, f := decodeText(good.Text)
	require.Nil(t, f)

	compressed, err := base45Decode(strings.TrimPrefix(good.Text, Prefix))
	require.NoError(t, err)

	var bomb bytes.Buffer
	zw, err := zlib.NewWriterLevel(&bomb, zlib.BestCompression)
	require.NoError(t, err)
	_, err = zw.Write(make([]byte, 1<<20)) // 1 MiB of zeros, about 1 KiB compressed
	require.NoError(t, err)
	require.NoError(t, zw.Close())

	cases := []struct {
		name string
		text string
		want Reason
		msg  string
	}{
		{"an empty text gives bad-prefix", "", ReasonBadPrefix, `does not start with "CL1:"`},
		{"a wrong prefix gives bad-prefix", "HC1:" + strings.TrimPrefix(good.Text, Prefix), ReasonBadPrefix, `does not start with "CL1:"`},
		{"a lowercase prefix gives bad-prefix", "cl1:" + strings.TrimPrefix(good.Text, Prefix), ReasonBadPrefix, "does not start"},
		{"characters outside Base45 give bad-encoding", Prefix + "abc", ReasonBadEncoding, `base45: invalid character "a" at offset 0`},
		{"a Base45 length of 3k+1 gives bad-encoding", Prefix + "BB8A", ReasonBadEncoding, "base45: invalid length 4"},
		{"a Base45 group overflowing two bytes gives bad-encoding", Prefix + "GGW", ReasonBadEncoding, "overflows two bytes"},
		{"Base45 of bytes that are not zlib gives bad-encoding", Prefix + base45Encode([]byte("not a zlib stream")), ReasonBadEncoding, "zlib: "},
		{"a zlib stream cut short gives bad-encoding", Prefix + base45Encode(compressed[:len(compressed)-20]), ReasonBadEncoding, "zlib: "},
		{"a zlib stream with a wrong checksum gives bad-encoding", Prefix + base45Encode(append(compressed[:len(compressed)-1:len(compressed)-1], compressed[len(compressed)-1]^1)), ReasonBadEncoding, "zlib: invalid checksum"},
		{"a zip bomb past the 64 KiB cap gives bad-encoding", Prefix + base45Encode(bomb.Bytes()), ReasonBadEncoding, "inflates past the 65536-byte cap"},
		{"a truncated COSE message gives bad-encoding", zlibText(t, goodCOSE[:len(goodCOSE)/2]), ReasonBadEncoding, "cose: "},
		{"an untagged COSE_Sign1 gives bad-encoding", zlibText(t, goodCOSE[1:]), ReasonBadEncoding, "cose: "},
		{"a CBOR value that is not COSE gives bad-encoding", zlibText(t, []byte{0x01}), ReasonBadEncoding, "cose: "},
		{"an empty payload gives bad-encoding", zlibText(t, nil), ReasonBadEncoding, "cose: "},
		{"a text longer than any QR code gives bad-encoding", Prefix + strings.Repeat("0", maxTextLen), ReasonBadEncoding, "more than any QR code holds"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			v := Verify(c.text, w.trust, testNow)
			require.False(t, v.Valid)
			require.Equal(t, c.want, v.Reason, v.Message)
			require.Contains(t, v.Message, c.msg)
			require.Nil(t, v.Claims)
		})
	}
}

func TestDecodeImage(t *testing.T) {
	white := image.NewGray(image.Rect(0, 0, 400, 400))
	for i := range white.Pix {
		white.Pix[i] = 0xff
	}
	var whitePNG bytes.Buffer
	require.NoError(t, png.Encode(&whitePNG, white))

	noisy := image.NewGray(image.Rect(0, 0, 200, 200))
	for i := range noisy.Pix {
		noisy.Pix[i] = uint8(i * 7919 % 251)
	}
	var noisyPNG bytes.Buffer
	require.NoError(t, png.Encode(&noisyPNG, noisy))

	cases := []struct {
		name    string
		data    []byte
		wantIs  error
		wantMsg string
	}{
		{"a plain white PNG has no QR code", whitePNG.Bytes(), ErrNoQRCode, "no QR code found"},
		{"a noise PNG has no QR code", noisyPNG.Bytes(), ErrNoQRCode, "no QR code found"},
		{"bytes that are no image are rejected", []byte("GIF89a? not really"), nil, "decode image"},
		{"an empty input is rejected", nil, nil, "decode image"},
		{"a PNG cut in half is rejected", whitePNG.Bytes()[:whitePNG.Len()/2], nil, "decode image"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := DecodeImage(bytes.NewReader(c.data))
			require.ErrorContains(t, err, c.wantMsg)
			if c.wantIs != nil {
				require.ErrorIs(t, err, c.wantIs)
			}
		})
	}

	t.Run("a PNG claiming enormous dimensions is rejected before decoding", func(t *testing.T) {
		// A PNG signature and an IHDR chunk for a 10000x10000 grey image, no pixel data.
		ihdr := []byte("IHDR\x00\x00\x27\x10\x00\x00\x27\x10\x08\x00\x00\x00\x00")
		header := append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\x0d"), ihdr...)
		header = binary.BigEndian.AppendUint32(header, crc32.ChecksumIEEE(ihdr))
		_, err := DecodeImage(bytes.NewReader(header))
		require.ErrorContains(t, err, "10000x10000 pixels is outside")
	})
}

// FuzzVerify checks that Verify never panics and always explains itself.
func FuzzVerify(f *testing.F) {
	w := newTestWorld(f)
	good, err := w.treasury.signer(f, compactCert).Seal(debtExtract("TreasuryMSP"))
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range []string{good.Text, "", Prefix, Prefix + "BB8", Prefix + "GGW", "HC1:6BFOXN", good.Text[:200]} {
		f.Add(s)
	}
	at := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, text string) {
		v := Verify(text, w.trust, at)
		if v.Reason == "" || v.Message == "" || v.Valid != (v.Reason == ReasonOK) {
			t.Fatalf("incoherent verdict %+v", v)
		}
		if v.Valid && text != good.Text {
			t.Fatalf("forged text verified: %q", text)
		}
	})
}

// FuzzVerifyCOSE mutates the COSE message under a valid zlib and Base45
// wrapping, to reach the COSE, certificate and claims decoders.
func FuzzVerifyCOSE(f *testing.F) {
	w := newTestWorld(f)
	good, err := w.treasury.signer(f, compactCert).Seal(debtExtract("TreasuryMSP"))
	if err != nil {
		f.Fatal(err)
	}
	coseMsg, fl := decodeText(good.Text)
	if fl != nil {
		f.Fatal(fl.msg)
	}
	f.Add(coseMsg)
	f.Add(coseMsg[:100])
	f.Add([]byte{0xd2, 0x84, 0x40, 0xa0, 0xf6, 0x40})
	f.Fuzz(func(t *testing.T, data []byte) {
		text, err := encodeText(data)
		if err != nil {
			t.Fatal(err)
		}
		v := Verify(text, w.trust, testNow)
		if v.Reason == "" || v.Message == "" || v.Valid != (v.Reason == ReasonOK) {
			t.Fatalf("incoherent verdict %+v", v)
		}
		if v.Valid && !bytes.Equal(data, coseMsg) {
			// Another encoding of the same signed content may verify; its claims must be the sealed ones.
			require.Equal(t, "DX-2026-000123456789", v.Claims.DocumentID)
		}
	})
}
