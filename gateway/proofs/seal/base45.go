package seal

import (
	"fmt"
	"strings"
)

// base45Alphabet is the RFC 9285 alphabet: exactly the 45 characters of the
// QR code alphanumeric mode, in value order.
const base45Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"

// base45Values maps a character to its value, or -1 outside the alphabet.
var base45Values = func() [256]int8 {
	var v [256]int8
	for i := range v {
		v[i] = -1
	}
	for i := 0; i < len(base45Alphabet); i++ {
		v[base45Alphabet[i]] = int8(i)
	}
	return v
}()

// base45Encode encodes src as RFC 9285 Base45: each pair of bytes becomes
// three characters (least significant first), a final odd byte two.
func base45Encode(src []byte) string {
	var b strings.Builder
	b.Grow(len(src)/2*3 + len(src)%2*2)
	for i := 0; i+1 < len(src); i += 2 {
		n := int(src[i])<<8 | int(src[i+1])
		b.WriteByte(base45Alphabet[n%45])
		b.WriteByte(base45Alphabet[n/45%45])
		b.WriteByte(base45Alphabet[n/(45*45)])
	}
	if len(src)%2 == 1 {
		n := int(src[len(src)-1])
		b.WriteByte(base45Alphabet[n%45])
		b.WriteByte(base45Alphabet[n/45])
	}
	return b.String()
}

// base45Decode decodes RFC 9285 Base45. It rejects characters outside the
// alphabet, a length of 3k+1 and groups whose value overflows (a triple above
// 65535, a final pair above 255), so every string has at most one meaning.
func base45Decode(s string) ([]byte, error) {
	if len(s)%3 == 1 {
		return nil, fmt.Errorf("base45: invalid length %d (a multiple of 3 plus 1)", len(s))
	}
	out := make([]byte, 0, len(s)/3*2+1)
	for i := 0; i < len(s); i += 3 {
		end := min(i+3, len(s))
		n, weight := 0, 1
		for j := i; j < end; j++ {
			v := base45Values[s[j]]
			if v < 0 {
				return nil, fmt.Errorf("base45: invalid character %q at offset %d", s[j:j+1], j)
			}
			n += int(v) * weight
			weight *= 45
		}
		if end-i == 3 {
			if n > 0xFFFF {
				return nil, fmt.Errorf("base45: group at offset %d overflows two bytes", i)
			}
			out = append(out, byte(n>>8), byte(n))
			continue
		}
		if n > 0xFF {
			return nil, fmt.Errorf("base45: final group at offset %d overflows one byte", i)
		}
		out = append(out, byte(n))
	}
	return out, nil
}
