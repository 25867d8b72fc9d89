package seal

import (
	"crypto/rand"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestBase45(t *testing.T) {
	// RFC 9285 sections 4.3 and 4.4.
	vectors := []struct{ decoded, encoded string }{
		{"AB", "BB8"},
		{"Hello!!", "%69 VD92EX0"},
		{"base-45", "UJCLQE7W581"},
		{"ietf!", "QED8WEX0"},
		{"", ""},
	}
	for _, v := range vectors {
		t.Run("it encodes "+quote(v.decoded)+" as the RFC vector", func(t *testing.T) {
			require.Equal(t, v.encoded, base45Encode([]byte(v.decoded)))
		})
		t.Run("it decodes the RFC vector "+quote(v.encoded), func(t *testing.T) {
			got, err := base45Decode(v.encoded)
			require.NoError(t, err)
			require.Equal(t, v.decoded, string(got))
		})
	}

	invalid := []struct{ name, input, wantErr string }{
		{"a lowercase letter is outside the alphabet", "bb8", `invalid character "b" at offset 0`},
		{"a non-ASCII byte is outside the alphabet", "BB\xff", `invalid character "\xff" at offset 2`},
		{"a length of 3k+1 is rejected", "BB8A", "invalid length 4"},
		{"a triple above 65535 is rejected", "GGW", "overflows two bytes"},
		{"a final pair above 255 is rejected", "BB8::", "overflows one byte"},
	}
	for _, c := range invalid {
		t.Run(c.name, func(t *testing.T) {
			_, err := base45Decode(c.input)
			require.ErrorContains(t, err, c.wantErr)
		})
	}

	t.Run("random bytes of every length up to 64 survive a round trip", func(t *testing.T) {
		for n := 0; n <= 64; n++ {
			src := make([]byte, n)
			_, _ = rand.Read(src)
			enc := base45Encode(src)
			require.Len(t, enc, n/2*3+n%2*2)
			dec, err := base45Decode(enc)
			require.NoError(t, err)
			require.Equal(t, src, dec)
		}
	})
}

// FuzzBase45 checks that Base45 as implemented is canonical: whatever decodes
// re-encodes to the same text.
func FuzzBase45(f *testing.F) {
	for _, s := range []string{"BB8", "%69 VD92EX0", "GGW", "::", "A"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		dec, err := base45Decode(s)
		if err != nil {
			return
		}
		require.Equal(t, s, base45Encode(dec))
	})
}

func quote(s string) string { return "«" + s + "»" }
