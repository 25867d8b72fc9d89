package receipt

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestParse(t *testing.T) {
	good := Receipt{Format: Format, Channel: "civic", TransactionID: "tx", Block: []byte{1}, ConfigBlock: []byte{2}}
	encode := func(r Receipt) []byte {
		b, err := json.Marshal(r)
		require.NoError(t, err)
		return b
	}
	t.Run("a well-formed receipt parses back to itself", func(t *testing.T) {
		r, err := Parse(encode(good))
		require.NoError(t, err)
		require.Equal(t, good, *r)
	})
	for name, tc := range map[string]struct {
		data []byte
		msg  string
	}{
		"another format":       {encode(Receipt{Format: "x/2", Channel: "c", TransactionID: "t", Block: []byte{1}, ConfigBlock: []byte{1}}), `format "x/2"`},
		"no block":             {encode(Receipt{Format: Format, Channel: "c", TransactionID: "t", ConfigBlock: []byte{1}}), "block and configBlock are required"},
		"no transaction id":    {encode(Receipt{Format: Format, Channel: "c", Block: []byte{1}, ConfigBlock: []byte{1}}), "channel and transactionId are required"},
		"an unknown field":     {[]byte(`{"format":"civicledger-receipt/1","extra":1}`), "unknown field"},
		"data after it":        {append(encode(good), []byte(` {}`)...), "data after the receipt"},
		"a truncated document": {encode(good)[:20], "malformed receipt"},
		"too many bytes":       {[]byte(strings.Repeat(" ", MaxSize+1)), "at most"},
	} {
		t.Run("a receipt with "+name+" is refused", func(t *testing.T) {
			_, err := Parse(tc.data)
			require.ErrorIs(t, err, ErrMalformed)
			require.ErrorContains(t, err, tc.msg)
		})
	}
}

func TestVerifyUndecodableParts(t *testing.T) {
	t.Run("garbage blocks give a failed check, not a panic", func(t *testing.T) {
		rep := Verify(&Receipt{Format: Format, Channel: "c", TransactionID: "t", Block: []byte("garbage"), ConfigBlock: []byte("garbage")}, nil)
		require.False(t, rep.Valid())
		require.Equal(t, []string{CheckConfiguration}, rep.Failed())
		var ce *CheckError
		require.ErrorAs(t, rep.Err(), &ce)
		require.Equal(t, CheckConfiguration, ce.Check)
	})
}

func TestParseTrust(t *testing.T) {
	t.Run("a trust file needs a channel and 64-hex-digit hashes", func(t *testing.T) {
		_, err := ParseTrust([]byte(`{"channel":"civic","configurations":[{"blockNumber":0,"headerSha256":"abc"}]}`))
		require.ErrorContains(t, err, "64 hex digits")
		_, err = ParseTrust([]byte(`{"configurations":[]}`))
		require.ErrorContains(t, err, "must name the channel")
		_, err = ParseTrust([]byte(`{"channel":"civic","configurations":[],"x":1}`))
		require.ErrorContains(t, err, "unknown field")
	})
}

func TestDisplayKey(t *testing.T) {
	require.Equal(t, "document/RegistryMSP/EXT-1", DisplayKey("\x00document\x00RegistryMSP\x00EXT-1\x00"))
	require.Equal(t, "plain", DisplayKey("plain"))
}

func FuzzVerify(f *testing.F) {
	f.Add([]byte("x"), []byte("y"), 0)
	f.Fuzz(func(t *testing.T, block, config []byte, index int) {
		rep := Verify(&Receipt{Format: Format, Channel: "c", TransactionID: "t", TransactionIndex: index & 0xff, Block: block, ConfigBlock: config}, nil)
		require.False(t, rep.Valid())
	})
}
