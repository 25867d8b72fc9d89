package spec_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/civicledger/civicledger/chaincode/spec"
)

func TestNormalizeHex64(t *testing.T) {
	lower := strings.Repeat("ab12", 16)
	t.Run("a lower-case digest is returned as is", func(t *testing.T) {
		got, err := spec.NormalizeHex64(lower)
		require.NoError(t, err)
		require.Equal(t, lower, got)
	})
	t.Run("an upper-case digest is returned in lower case", func(t *testing.T) {
		got, err := spec.NormalizeHex64(strings.ToUpper(lower))
		require.NoError(t, err)
		require.Equal(t, lower, got)
	})
	for name, v := range map[string]string{
		"a short digest":         lower[:63],
		"a long digest":          lower + "0",
		"a non-hex digit":        "g" + lower[1:],
		"a digest with space":    " " + lower[1:],
		"a non-ascii upper-case": "\u212a" + lower[3:], // Kelvin sign lowers to 'k'
	} {
		t.Run(name+" is malformed", func(t *testing.T) {
			_, err := spec.NormalizeHex64(v)
			require.ErrorIs(t, err, spec.ErrMalformed)
			require.ErrorContains(t, err, spec.Hex64Shape)
		})
	}
	t.Run("an empty digest is required", func(t *testing.T) {
		_, err := spec.NormalizeHex64("")
		require.ErrorIs(t, err, spec.ErrRequired)
	})
}

func TestCheckID(t *testing.T) {
	require.NoError(t, spec.CheckID("EXT-2024_0001.v2"))
	require.ErrorIs(t, spec.CheckID(""), spec.ErrRequired)
	require.ErrorIs(t, spec.CheckID("-x"), spec.ErrMalformed)
	require.ErrorIs(t, spec.CheckID(strings.Repeat("x", 65)), spec.ErrMalformed)
	require.NoError(t, spec.CheckMSPID("RegistryMSP"))
	require.ErrorIs(t, spec.CheckMSPID("Registry_MSP"), spec.ErrMalformed)
}

func TestCheckTime(t *testing.T) {
	for name, tc := range map[string]struct {
		at   time.Time
		want string
	}{
		"the first instant of 1900 is accepted":    {spec.MinTime, ""},
		"the last instant of 2199 is accepted":     {time.Date(2199, 12, 31, 23, 59, 59, 999999999, time.UTC), ""},
		"the last instant of 1899 is refused":      {spec.MinTime.Add(-time.Nanosecond), "is before 1900-01-01: times must lie within the years 1900 to 2199"},
		"the first instant of 2200 is refused":     {time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC), "is after 2199-12-31: times must lie within the years 1900 to 2199"},
		"year 9999 is refused":                     {time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC), "is after 2199-12-31: times must lie within the years 1900 to 2199"},
		"2200-01-01 at +01:00 (2199 in UTC) is ok": {time.Date(2200, 1, 1, 0, 30, 0, 0, time.FixedZone("", 3600)), ""},
	} {
		t.Run(name, func(t *testing.T) {
			err := spec.CheckTime(tc.at)
			if tc.want == "" {
				require.NoError(t, err)
				return
			}
			require.EqualError(t, err, tc.want)
		})
	}
}

func TestTxName(t *testing.T) {
	require.Equal(t, "Register", spec.TxName(spec.DocumentsRegister))
	require.Len(t, spec.Transactions, 56)
}
