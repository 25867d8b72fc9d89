package server

import (
	"time"

	"github.com/civicledger/civicledger/chaincode/spec"
)

// subsidyAmount checks an amount in minor units is positive.
func subsidyAmount(field string, v int64) error {
	if v <= 0 {
		return invalid(field, "must be a positive amount in minor units of the currency (2500000 is EUR 25,000.00), got %d", v)
	}
	return nil
}

// subsidyDate checks a programme date is an inclusive calendar date within
// the chaincode's range of years (spec.CheckTime).
func subsidyDate(field, v string) error {
	if err := required(field, v); err != nil {
		return err
	}
	t, err := time.Parse(time.DateOnly, v)
	if err != nil {
		return invalid(field, "must be a date YYYY-MM-DD, got %q", clip(v))
	}
	if err := spec.CheckTime(t); err != nil {
		return invalid(field, "%q %v", v, err)
	}
	return nil
}
