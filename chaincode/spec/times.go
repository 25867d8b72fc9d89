package spec

import (
	"fmt"
	"time"
)

// The years an input time may fall in, inclusive. A validity window, a
// meeting date or a programme period outside them is a typing mistake (a
// year 9999 "forever", a year 0202), not a date an administration means;
// an open-ended window leaves validUntil empty instead.
const (
	MinYear = 1900
	MaxYear = 2199
)

// MinTime and MaxTime are the first and last instants of the accepted
// years, in UTC.
var (
	MinTime = time.Date(MinYear, time.January, 1, 0, 0, 0, 0, time.UTC)
	MaxTime = time.Date(MaxYear+1, time.January, 1, 0, 0, 0, 0, time.UTC).Add(-time.Nanosecond)
)

// timeRange says in words which times are accepted.
const timeRange = "times must lie within the years 1900 to 2199"

// CheckTime checks that t lies within MinTime..MaxTime; the error reads
// after the value, as in "validUntil 9999-01-01T00:00:00Z is after
// 2199-12-31: times must lie within the years 1900 to 2199".
func CheckTime(t time.Time) error {
	switch {
	case t.Before(MinTime):
		return fmt.Errorf("is before %s: %s", MinTime.Format(time.DateOnly), timeRange)
	case t.After(MaxTime):
		return fmt.Errorf("is after %s: %s", MaxTime.Format(time.DateOnly), timeRange)
	}
	return nil
}
