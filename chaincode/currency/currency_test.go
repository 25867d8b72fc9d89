package currency

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestFormat(t *testing.T) {
	for want, tc := range map[string]struct {
		currency string
		minor    int64
	}{
		"EUR 25,000.00":         {"EUR", 2500000},
		"EUR 0.05":              {"EUR", 5},
		"EUR 0.00":              {"EUR", 0},
		"EUR 1.00":              {"EUR", 100},
		"EUR 999.99":            {"EUR", 99999},
		"EUR 1,000,000.00":      {"EUR", 100000000},
		"EUR -300,000.01":       {"EUR", -30000001},
		"ISK 1,234":             {"ISK", 1234},
		"ISK 0":                 {"ISK", 0},
		"CHF 92,233,720,368.54": {"CHF", 9223372036854},
		"XXX 12.34":             {"XXX", 1234},
	} {
		t.Run(want+" is how minor units print", func(t *testing.T) {
			require.Equal(t, want, Format(tc.currency, tc.minor))
		})
	}
}
