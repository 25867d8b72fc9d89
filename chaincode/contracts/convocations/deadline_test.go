package convocations_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/civicledger/civicledger/chaincode/contracts/internal/contracttest"
)

// TestConvocationsDeadline checks the legal notice rule: on time iff
// (meeting day − sending day) − 1 ≥ clear days, in calendar days of the
// body's time zone, at the exact boundary and across DST changes.
func TestConvocationsDeadline(t *testing.T) {
	noumea := mustConvZone("Pacific/Noumea")
	cayenne := mustConvZone("America/Cayenne")
	for _, tc := range []struct {
		name      string
		clearDays int
		zone      *time.Location
		meeting   time.Time
		sent      time.Time
		deadline  string
		onTime    bool
	}{
		// 2 April 2024: the days of 28, 29, 30, 31 March and 1 April are
		// clear only if sent by 27 March. Paris moves to summer time on
		// 31 March, in between, so the interval is one hour short of 6×24 h.
		{"5 clear days: sent the last second of the deadline day across the spring dst change", 5, convParis,
			convDate(convParis, 2024, time.April, 2, 18, 0, 0), convDate(convParis, 2024, time.March, 27, 23, 59, 59), "2024-03-27", true},
		{"5 clear days: sent the first second after the deadline day across the spring dst change", 5, convParis,
			convDate(convParis, 2024, time.April, 2, 18, 0, 0), convDate(convParis, 2024, time.March, 28, 0, 0, 0), "2024-03-27", false},
		{"5 clear days: a meeting just after midnight counts its day, not hours", 5, convParis,
			convDate(convParis, 2024, time.April, 2, 0, 30, 0), convDate(convParis, 2024, time.March, 27, 23, 59, 0), "2024-03-27", true},
		{"5 clear days: a meeting late in the day still needs the whole days", 5, convParis,
			convDate(convParis, 2024, time.April, 2, 23, 59, 0), convDate(convParis, 2024, time.March, 28, 0, 1, 0), "2024-03-27", false},
		{"5 clear days: sent a week before", 5, convParis,
			convDate(convParis, 2024, time.April, 2, 18, 0, 0), convDate(convParis, 2024, time.March, 26, 12, 0, 0), "2024-03-27", true},
		// 29 October 2024: 26, 27 and 28 October are clear if sent by the
		// 25th. Paris returns to winter time on 27 October, in between, so
		// the interval is one hour longer than 4×24 h.
		{"3 clear days: sent the last second of the deadline day across the autumn dst change", 3, convParis,
			convDate(convParis, 2024, time.October, 29, 9, 0, 0), convDate(convParis, 2024, time.October, 25, 23, 59, 59), "2024-10-25", true},
		{"3 clear days: sent at midnight after the deadline day across the autumn dst change", 3, convParis,
			convDate(convParis, 2024, time.October, 29, 9, 0, 0), convDate(convParis, 2024, time.October, 26, 0, 0, 0), "2024-10-25", false},
		{"3 clear days: a meeting on the dst change day itself", 3, convParis,
			convDate(convParis, 2024, time.March, 31, 10, 0, 0), convDate(convParis, 2024, time.March, 27, 23, 0, 0), "2024-03-27", true},
		{"3 clear days: one day short on the dst change day", 3, convParis,
			convDate(convParis, 2024, time.March, 31, 10, 0, 0), convDate(convParis, 2024, time.March, 28, 8, 0, 0), "2024-03-27", false},
		{"0 clear days: the day before is enough", 0, convParis,
			convDate(convParis, 2024, time.April, 2, 18, 0, 0), convDate(convParis, 2024, time.April, 1, 23, 0, 0), "2024-04-01", true},
		{"0 clear days: the same day is late", 0, convParis,
			convDate(convParis, 2024, time.April, 2, 18, 0, 0), convDate(convParis, 2024, time.April, 2, 0, 0, 0), "2024-04-01", false},
		{"the day counts in the body's zone: Nouméa is already on the 28th", 5, noumea,
			convDate(noumea, 2024, time.April, 2, 18, 0, 0), time.Date(2024, time.March, 27, 13, 30, 0, 0, time.UTC), "2024-03-27", false},
		{"the day counts in the body's zone: Cayenne is still on the 27th", 5, cayenne,
			convDate(cayenne, 2024, time.April, 2, 18, 0, 0), time.Date(2024, time.March, 28, 2, 30, 0, 0, time.UTC), "2024-03-27", true},
		{"a year boundary", 5, convParis,
			convDate(convParis, 2025, time.January, 3, 18, 0, 0), convDate(convParis, 2024, time.December, 28, 23, 0, 0), "2024-12-28", true},
		{"a leap day", 5, convParis,
			convDate(convParis, 2024, time.March, 5, 18, 0, 0), convDate(convParis, 2024, time.February, 28, 12, 0, 0), "2024-02-28", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := newConvWorld(t)
			w.body("b", tc.clearDays, tc.zone.String())
			m := w.meeting("m", "b", tc.meeting)
			require.Equal(t, tc.deadline, m.Deadline)

			res := w.convene("m", tc.sent, convRecipients("r", 1))
			conv, err := w.cc.GetConvocation(contracttest.TxContext(w.stub), "RegistryMSP", "m", res.ConvocationIDs[0])
			require.NoError(t, err)
			require.Equal(t, tc.onTime, conv.OnTime)
			require.Equal(t, tc.sent.UTC().Format(time.RFC3339Nano), conv.SentAt)
		})
	}

	t.Run("every sending day of a month agrees with the clear days formula", func(t *testing.T) {
		// Independent oracle: count the calendar days strictly between the
		// sending day and the meeting day by stepping through the calendar.
		clearBetween := func(sent, meeting time.Time) int {
			n := 0
			for d := sent.AddDate(0, 0, 1); d.Format(time.DateOnly) < meeting.Format(time.DateOnly); d = d.AddDate(0, 0, 1) {
				n++
			}
			return n
		}
		meeting := convDate(convParis, 2024, time.November, 5, 18, 0, 0)
		for _, clearDays := range []int{3, 5} {
			w := newConvWorld(t)
			w.body("b", clearDays, "Europe/Paris")
			w.meeting("m", "b", meeting)
			for day := 10; day <= 35; day++ {
				for _, hour := range []int{0, 12, 23} {
					sent := convDate(convParis, 2024, time.October, day, hour, 0, 0)
					res := w.convene("m", sent, convRecipients(fmt.Sprint(clearDays, day, hour), 1))
					want := clearBetween(sent, meeting) >= clearDays
					require.Equal(t, want, res.OnTime == 1, "clear days %d, sent %s", clearDays, sent)
				}
			}
		}
	})

	t.Run("the rule applied is the one copied into the meeting", func(t *testing.T) {
		w := newConvWorld(t)
		w.body("b", 3, "Europe/Paris")
		w.meeting("m", "b", convDate(convParis, 2024, time.April, 2, 18, 0, 0))
		w.body("b", 5, "Europe/Paris")
		res := w.convene("m", convDate(convParis, 2024, time.March, 29, 10, 0, 0), convRecipients("r", 1))
		require.Equal(t, 1, res.OnTime, "3 clear days from the meeting, not 5 from the updated body")
	})
}
