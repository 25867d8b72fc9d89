package convocations_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/civicledger/civicledger/chaincode/contracts/base"
	"github.com/civicledger/civicledger/chaincode/contracts/convocations"
	"github.com/civicledger/civicledger/chaincode/contracts/internal/contracttest"
	"github.com/civicledger/civicledger/chaincode/internal/fakestub"
	"github.com/civicledger/civicledger/chaincode/records"
	"github.com/civicledger/civicledger/chaincode/spec"
	"github.com/civicledger/civicledger/chaincode/state"
)

func TestConvocationsCreateMeeting(t *testing.T) {
	startsAt := convDate(convParis, 2024, time.April, 2, 18, 0, 0)
	agenda := []string{convSHA("budget.pdf"), convSHA("minutes.pdf")}

	t.Run("a clerk creates a meeting that copies the body's rule and gets its deadline", func(t *testing.T) {
		w := newConvWorld(t)
		w.body("council", 5, "Europe/Paris")
		m, err := w.cc.CreateMeeting(w.as(w.clerk, fakestub.DefaultTxTime),
			convMeetingJSON("2024-04-02-council", "council", startsAt.UTC(), agenda...))
		require.NoError(t, err)
		want := &records.Meeting{
			OwnerMSP: "RegistryMSP", ID: "2024-04-02-council", BodyID: "council",
			StartsAt: "2024-04-02T18:00:00+02:00", Place: "Hôtel d'agglomération, Lorient", AgendaHashes: agenda,
			TimeZone: "Europe/Paris", ClearDays: 5, Deadline: "2024-03-27",
			CreatedAt: "2024-01-02T03:04:05Z", CreatedTxID: "tx1",
		}
		require.Equal(t, want, m)
		got, err := w.cc.GetMeeting(contracttest.TxContext(w.stub), "RegistryMSP", "2024-04-02-council")
		require.NoError(t, err)
		require.Equal(t, want, got)

		key, err := state.MeetingKey(w.stub, "RegistryMSP", "2024-04-02-council")
		require.NoError(t, err)
		requireConvOwnerPolicy(t, w.stub, key, "RegistryMSP")

		ev, n := w.lastEvent()
		require.Equal(t, 2, n, "one event for the body, one for the meeting")
		require.Equal(t, spec.EventMeetingCreated, ev.Name)
		var fromEvent records.Meeting
		require.NoError(t, json.Unmarshal(ev.Payload, &fromEvent))
		require.Equal(t, *want, fromEvent)
	})

	t.Run("an admin may create a meeting; approvers and callers without a role may not", func(t *testing.T) {
		w := newConvWorld(t)
		w.body("council", 5, "Europe/Paris")
		_, err := w.cc.CreateMeeting(w.as(w.admin, fakestub.DefaultTxTime), convMeetingJSON("m-admin", "council", startsAt))
		require.NoError(t, err)
		for name, id := range map[string]fakestub.Identity{"an approver": w.approver, "no role": w.noRole} {
			t.Run(name, func(t *testing.T) {
				before := w.stub.State()
				_, err := w.cc.CreateMeeting(w.as(id, fakestub.DefaultTxTime), convMeetingJSON("m-"+id.ID[:4], "council", startsAt))
				contracttest.RequireCode(t, base.CodePermissionDenied, err)
				require.Equal(t, before, w.stub.State())
			})
		}
	})

	t.Run("an unknown body or another administration's body is not found", func(t *testing.T) {
		w := newConvWorld(t)
		_, err := w.cc.SetBody(w.as(w.otherAdmin, fakestub.DefaultTxTime), convBodyJSON("council", 5, "Europe/Paris"))
		require.NoError(t, err)
		for _, body := range []string{"council", "committee"} {
			_, err := w.cc.CreateMeeting(w.as(w.clerk, fakestub.DefaultTxTime), convMeetingJSON("m1", body, startsAt))
			contracttest.RequireCode(t, base.CodeNotFound, err)
			require.Contains(t, err.Error(), "RegistryMSP")
		}
		require.Empty(t, convKeys(w.stub, state.TypeMeeting))
	})

	t.Run("a duplicate meeting id already exists but another administration may reuse it", func(t *testing.T) {
		w := newConvWorld(t)
		w.body("council", 5, "Europe/Paris")
		first := w.meeting("m1", "council", startsAt)
		before := w.stub.State()
		_, err := w.cc.CreateMeeting(w.as(w.admin, fakestub.DefaultTxTime), convMeetingJSON("m1", "council", startsAt.Add(time.Hour)))
		contracttest.RequireCode(t, base.CodeAlreadyExists, err)
		require.Equal(t, before, w.stub.State())
		got, err := w.cc.GetMeeting(contracttest.TxContext(w.stub), "RegistryMSP", "m1")
		require.NoError(t, err)
		require.Equal(t, first, got)

		_, err = w.cc.SetBody(w.as(w.otherAdmin, fakestub.DefaultTxTime), convBodyJSON("council", 5, "Europe/Paris"))
		require.NoError(t, err)
		_, err = w.cc.CreateMeeting(w.as(w.otherClerk, fakestub.DefaultTxTime), convMeetingJSON("m1", "council", startsAt))
		require.NoError(t, err)
		require.Len(t, convKeys(w.stub, state.TypeMeeting), 2)
	})

	t.Run("a meeting that does not start after the transaction time is refused", func(t *testing.T) {
		w := newConvWorld(t)
		w.body("council", 5, "Europe/Paris")
		for name, at := range map[string]time.Time{
			"starting now":       startsAt,
			"already started":    startsAt.Add(time.Minute),
			"a year in the past": startsAt.AddDate(1, 0, 0),
		} {
			t.Run(name, func(t *testing.T) {
				_, err := w.cc.CreateMeeting(w.as(w.clerk, at), convMeetingJSON("m1", "council", startsAt))
				contracttest.RequireCode(t, base.CodeInvalidArgument, err)
				require.Empty(t, convKeys(w.stub, state.TypeMeeting))
			})
		}
	})

	t.Run("an upper-case agenda hash is accepted and stored in lower case", func(t *testing.T) {
		w := newConvWorld(t)
		w.body("council", 5, "Europe/Paris")
		m, err := w.cc.CreateMeeting(w.as(w.clerk, fakestub.DefaultTxTime), convMeetingJSON("m-up", "council", startsAt, strings.ToUpper(convSHA("x"))))
		require.NoError(t, err)
		require.Equal(t, []string{convSHA("x")}, m.AgendaHashes)
	})

	t.Run("a meeting after 2199 is refused with the accepted range", func(t *testing.T) {
		w := newConvWorld(t)
		w.body("council", 5, "Europe/Paris")
		_, err := w.cc.CreateMeeting(w.as(w.clerk, fakestub.DefaultTxTime),
			`{"id":"m9","bodyId":"council","startsAt":"9999-04-02T18:00:00+02:00","place":"Lorient"}`)
		require.EqualError(t, err, "INVALID_ARGUMENT: startsAt 9999-04-02T18:00:00+02:00 is after 2199-12-31: times must lie within the years 1900 to 2199")
		require.Empty(t, convKeys(w.stub, state.TypeMeeting))
	})

	t.Run("a later change of the body's rule does not change an existing meeting", func(t *testing.T) {
		w := newConvWorld(t)
		w.body("council", 5, "Europe/Paris")
		before := w.meeting("m1", "council", startsAt)
		w.body("council", 3, "Indian/Reunion")
		after := w.meeting("m2", "council", startsAt)
		got, err := w.cc.GetMeeting(contracttest.TxContext(w.stub), "RegistryMSP", "m1")
		require.NoError(t, err)
		require.Equal(t, before, got)
		require.Equal(t, "2024-04-02T20:00:00+04:00", after.StartsAt)
		require.Equal(t, "2024-03-29", after.Deadline)
	})

	t.Run("an empty agenda is stored as an empty list and 200 agenda hashes are accepted", func(t *testing.T) {
		w := newConvWorld(t)
		w.body("council", 5, "Europe/Paris")
		_, err := w.cc.CreateMeeting(w.as(w.clerk, fakestub.DefaultTxTime),
			`{"id":"m0","bodyId":"council","startsAt":"2024-04-02T18:00:00+02:00","place":"Lorient"}`)
		require.NoError(t, err)
		raw, err := w.stub.GetState(convKeys(w.stub, state.TypeMeeting)[0])
		require.NoError(t, err)
		require.Contains(t, string(raw), `"agendaHashes":[]`)

		many := make([]string, spec.MaxMeetingAgendaHashes)
		for i := range many {
			many[i] = convSHA(fmt.Sprint("doc", i))
		}
		m, err := w.cc.CreateMeeting(w.as(w.clerk, fakestub.DefaultTxTime), convMeetingJSON("m200", "council", startsAt, many...))
		require.NoError(t, err)
		require.Len(t, m.AgendaHashes, 200)
	})

	t.Run("malformed input is refused and nothing is written", func(t *testing.T) {
		tooMany := make([]string, spec.MaxMeetingAgendaHashes+1)
		for i := range tooMany {
			tooMany[i] = convSHA(fmt.Sprint("doc", i))
		}
		valid := func(field string, value any) string {
			in := map[string]any{"id": "m1", "bodyId": "council", "startsAt": "2024-04-02T18:00:00+02:00", "place": "Lorient", "agendaHashes": agenda}
			if value == nil {
				delete(in, field)
			} else {
				in[field] = value
			}
			b, err := json.Marshal(in)
			require.NoError(t, err)
			return string(b)
		}
		for name, input := range map[string]string{
			"an empty argument":           "",
			"not json":                    "meeting",
			"a list":                      "[]",
			"an unknown field":            valid("quorum", 12),
			"data after the object":       valid("place", "Lorient") + "x",
			"a missing id":                valid("id", nil),
			"a malformed id":              valid("id", "m 1"),
			"a missing body id":           valid("bodyId", nil),
			"a body id as a number":       valid("bodyId", 3),
			"a missing start":             valid("startsAt", nil),
			"a start as a number":         valid("startsAt", 1712073600),
			"a start without offset":      valid("startsAt", "2024-04-02T18:00:00"),
			"a start with a space":        valid("startsAt", "2024-04-02 18:00:00+02:00"),
			"a date without time":         valid("startsAt", "2024-04-02"),
			"month 13":                    valid("startsAt", "2024-13-02T18:00:00+02:00"),
			"february 30":                 valid("startsAt", "2024-02-30T18:00:00+02:00"),
			"hour 25":                     valid("startsAt", "2024-04-02T25:00:00+02:00"),
			"a word":                      valid("startsAt", "tomorrow"),
			"a missing place":             valid("place", nil),
			"a blank place":               valid("place", "   "),
			"a place over 300 characters": valid("place", strings.Repeat("p", 301)),
			"agenda hashes as a string":   valid("agendaHashes", convSHA("x")),
			"an agenda hash as a number":  valid("agendaHashes", []any{12}),
			"an agenda hash listed twice in two cases": valid("agendaHashes", []string{convSHA("x"), strings.ToUpper(convSHA("x"))}),
			"a short agenda hash":                      valid("agendaHashes", []string{convSHA("x")[:63]}),
			"a non-hex agenda hash":                    valid("agendaHashes", []string{"z" + convSHA("x")[1:]}),
			"an agenda hash with a 0x prefix":          valid("agendaHashes", []string{"0x" + convSHA("x")[2:]}),
			"an agenda hash listed twice":              valid("agendaHashes", []string{convSHA("x"), convSHA("x")}),
			"201 agenda hashes":                        valid("agendaHashes", tooMany),
			"an input over 64 KiB":                     valid("place", "Lorient") + strings.Repeat(" ", 64<<10),
			"invalid utf-8 in the place":               strings.Replace(valid("place", "Lorient"), "Lorient", "Lori\xffent", 1),
		} {
			t.Run(name, func(t *testing.T) {
				w := newConvWorld(t)
				w.body("council", 5, "Europe/Paris")
				m, err := w.cc.CreateMeeting(w.as(w.clerk, fakestub.DefaultTxTime), input)
				contracttest.RequireCode(t, base.CodeInvalidArgument, err)
				require.Nil(t, m)
				require.Less(t, len(err.Error()), 300)
				require.Empty(t, convKeys(w.stub, state.TypeMeeting))
				_, n := w.lastEvent()
				require.Equal(t, 1, n, "only the body's event")
			})
		}
	})

	t.Run("ledger failures are internal errors with their cause", func(t *testing.T) {
		boom := errors.New("boom")
		for name, fail := range map[string]func(*fakestub.Stub){
			"a failed read":  func(s *fakestub.Stub) { s.GetStateErr = boom },
			"a failed write": func(s *fakestub.Stub) { s.PutStateErr = boom },
			"a failed event": func(s *fakestub.Stub) { s.SetEventErr = boom },
			"a failed range": func(s *fakestub.Stub) { s.RangeErr = boom },
		} {
			t.Run(name, func(t *testing.T) {
				w := newConvWorld(t)
				w.body("council", 5, "Europe/Paris")
				fail(w.stub)
				m, err := w.cc.CreateMeeting(w.as(w.clerk, fakestub.DefaultTxTime), convMeetingJSON("m1", "council", startsAt))
				contracttest.RequireCode(t, base.CodeInternal, err)
				require.ErrorIs(t, err, boom)
				require.Nil(t, m)
			})
		}
	})
}

func TestConvocationsGetMeeting(t *testing.T) {
	cc := convocations.New()

	t.Run("an absent meeting is not found", func(t *testing.T) {
		_, err := cc.GetMeeting(contracttest.TxContext(fakestub.New()), "RegistryMSP", "m1")
		contracttest.RequireCode(t, base.CodeNotFound, err)
	})

	t.Run("malformed arguments are invalid", func(t *testing.T) {
		for name, args := range map[string][2]string{
			"an empty msp id":     {"", "m1"},
			"a malformed msp id":  {"Registry/MSP", "m1"},
			"an empty meeting id": {"RegistryMSP", ""},
			"a malformed id":      {"RegistryMSP", "-m1"},
		} {
			t.Run(name, func(t *testing.T) {
				_, err := cc.GetMeeting(contracttest.TxContext(fakestub.New()), args[0], args[1])
				contracttest.RequireCode(t, base.CodeInvalidArgument, err)
			})
		}
	})

	t.Run("a read failure or a corrupt entry is an internal error, not not found", func(t *testing.T) {
		stub := fakestub.New()
		stub.GetStateErr = errors.New("ledger unavailable")
		_, err := cc.GetMeeting(contracttest.TxContext(stub), "RegistryMSP", "m1")
		contracttest.RequireCode(t, base.CodeInternal, err)
		require.NotErrorIs(t, err, base.ErrNotFound)

		stub = fakestub.New()
		key, err := state.MeetingKey(stub, "RegistryMSP", "m1")
		require.NoError(t, err)
		require.NoError(t, stub.PutState(key, []byte("{")))
		_, err = cc.GetMeeting(contracttest.TxContext(stub), "RegistryMSP", "m1")
		contracttest.RequireCode(t, base.CodeInternal, err)
	})
}
