// Package currency names the currencies subsidy amounts may be in and writes
// amounts, kept in minor units, for people. The chaincode (in its messages)
// and ledgerctl (in its output) share it, so both write the same figures.
package currency

import (
	"strconv"
	"strings"
)

// MinorDigits maps each accepted ISO 4217 code to its number of minor
// units: the currencies of the EU, the EEA, Switzerland, the United Kingdom
// and the US dollar.
var MinorDigits = map[string]int{
	"EUR": 2, "BGN": 2, "CZK": 2, "DKK": 2, "HUF": 2, "PLN": 2, "RON": 2, "SEK": 2,
	"ISK": 0, "NOK": 2, "CHF": 2, "GBP": 2, "USD": 2,
}

// Format writes minor units as "EUR 280,000.00"; a currency not in
// MinorDigits is taken to have two minor digits.
func Format(code string, minor int64) string {
	digits, ok := MinorDigits[code]
	if !ok {
		digits = 2
	}
	sign := ""
	if minor < 0 {
		sign, minor = "-", -minor
	}
	s := strconv.FormatInt(minor, 10)
	if len(s) <= digits {
		s = strings.Repeat("0", digits-len(s)+1) + s
	}
	whole, frac := s[:len(s)-digits], s[len(s)-digits:]
	var b strings.Builder
	for i := range len(whole) {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteByte(whole[i])
	}
	out := code + " " + sign + b.String()
	if digits > 0 {
		out += "." + frac
	}
	return out
}
