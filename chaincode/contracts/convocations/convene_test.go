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
	"github.com/civicledger/civicledger/chaincode/contracts/internal/contracttest"
	"github.com/civicledger/civicledger/chaincode/internal/fakestub"
	"github.com/civicledger/civicledger/chaincode/records"
	"github.com/civicledger/civicledger/chaincode/spec"
	"github.com/civicledger/civicledger/chaincode/state"
)

// convLorient is a world with RegistryMSP's council (5 clear days, Paris)
// and its meeting "m1" on 2 April 2024 at 18:00, whose deadline is 27 March.
func convLorient(t *testing.T) *convWorld {
	w := newConvWorld(t)
	w.body("council", 5, "Europe/Paris")
	w.meeting("m1", "council", convDate(convParis, 2024, time.April, 2, 18, 0, 0))
	return w
}

// convOnTimeAt is a sending time that meets m1's deadline.
var convOnTimeAt = convDate(convParis, 2024, time.March, 20, 9, 30, 0)

func TestConvocationsConvene(t *testing.T) {
	t.Run("a clerk convenes several officials in one transaction at the transaction time", func(t *testing.T) {
		w := convLorient(t)
		rs := convRecipients("a", 3)
		sentAt := time.Date(2024, time.March, 20, 8, 30, 0, 123456789, time.UTC)
		w.stub.SetTxID("tx-convene")
		res := w.convene("m1", sentAt, rs)

		ids := make([]string, len(rs))
		for i, r := range rs {
			ids[i] = spec.ConvocationID("RegistryMSP", "m1", r.Ref)
		}
		require.Equal(t, &records.ConveneResult{
			OwnerMSP: "RegistryMSP", MeetingID: "m1", SentAt: "2024-03-20T08:30:00.123456789Z",
			Convened: 3, OnTime: 3, Late: 0, ConvocationIDs: ids,
		}, res)

		for i, r := range rs {
			conv, err := w.cc.GetConvocation(contracttest.TxContext(w.stub), "RegistryMSP", "m1", ids[i])
			require.NoError(t, err)
			require.Equal(t, &records.Convocation{
				OwnerMSP: "RegistryMSP", MeetingID: "m1", ID: ids[i], RecipientRef: r.Ref,
				MessageHash: r.Message, AckTokenHash: convSHA(r.Token),
				SentAt: "2024-03-20T08:30:00.123456789Z", SentTxID: "tx-convene", OnTime: true,
			}, conv)
			key, err := state.ConvocationKey(w.stub, "RegistryMSP", "m1", ids[i])
			require.NoError(t, err)
			requireConvOwnerPolicy(t, w.stub, key, "RegistryMSP")
		}
		require.Len(t, convKeys(w.stub, state.TypeConvocation), 3)
	})

	t.Run("one convened event per batch carries counts and no personal data", func(t *testing.T) {
		w := convLorient(t)
		rs := convRecipients("a", 4)
		w.convene("m1", convOnTimeAt, rs)
		ev, n := w.lastEvent()
		require.Equal(t, 3, n, "body, meeting and one event for the whole batch")
		require.Equal(t, spec.EventConvened, ev.Name)
		require.JSONEq(t, `{"ownerMsp":"RegistryMSP","meetingId":"m1","sentAt":"2024-03-20T08:30:00Z",
			"convened":4,"onTime":4,"late":0}`, string(ev.Payload))
		for _, r := range rs {
			require.NotContains(t, string(ev.Payload), r.Ref)
			require.NotContains(t, string(ev.Payload), spec.ConvocationID("RegistryMSP", "m1", r.Ref))
		}
	})

	t.Run("the convocation id is derived from owner, meeting and recipient", func(t *testing.T) {
		ref := convSHA("official")
		id := spec.ConvocationID("RegistryMSP", "m1", ref)
		require.Regexp(t, `^[0-9a-f]{64}$`, id)
		require.Equal(t, id, spec.ConvocationID("RegistryMSP", "m1", ref), "deterministic across endorsers")
		require.NotEqual(t, id, spec.ConvocationID("RegistryMSP", "m2", ref), "unlinkable across meetings")
		require.NotEqual(t, id, spec.ConvocationID("TreasuryMSP", "m1", ref))
		require.NotEqual(t, id, ref)
		require.NotEqual(t, spec.ConvocationID("A", "b\x00c", ref), spec.ConvocationID("A\x00b", "c", ref))
	})

	t.Run("an admin may convene; approvers and callers without a role may not", func(t *testing.T) {
		w := convLorient(t)
		_, err := w.cc.Convene(w.as(w.admin, convOnTimeAt), "m1", convRecipientsJSON(t, convRecipients("admin", 1)))
		require.NoError(t, err)
		for name, id := range map[string]fakestub.Identity{"an approver": w.approver, "no role": w.noRole} {
			t.Run(name, func(t *testing.T) {
				before := w.stub.State()
				_, err := w.cc.Convene(w.as(id, convOnTimeAt), "m1", convRecipientsJSON(t, convRecipients(name, 1)))
				contracttest.RequireCode(t, base.CodePermissionDenied, err)
				require.Equal(t, before, w.stub.State())
			})
		}
	})

	t.Run("another administration cannot convene to a meeting that is not its own", func(t *testing.T) {
		w := convLorient(t)
		for name, id := range map[string]fakestub.Identity{"its clerk": w.otherClerk, "its admin": w.otherAdmin} {
			t.Run(name, func(t *testing.T) {
				before := w.stub.State()
				_, err := w.cc.Convene(w.as(id, convOnTimeAt), "m1", convRecipientsJSON(t, convRecipients("x", 2)))
				contracttest.RequireCode(t, base.CodeNotFound, err)
				require.Contains(t, err.Error(), "TreasuryMSP", "the meeting is looked up in the caller's own administration")
				require.Equal(t, before, w.stub.State())
			})
		}
	})

	t.Run("an unknown meeting is not found", func(t *testing.T) {
		w := convLorient(t)
		_, err := w.cc.Convene(w.as(w.clerk, convOnTimeAt), "m2", convRecipientsJSON(t, convRecipients("a", 1)))
		contracttest.RequireCode(t, base.CodeNotFound, err)
		require.Empty(t, convKeys(w.stub, state.TypeConvocation))
	})

	t.Run("a meeting that has started can no longer be convened", func(t *testing.T) {
		start := convDate(convParis, 2024, time.April, 2, 18, 0, 0)
		for name, tc := range map[string]struct {
			at time.Time
			ok bool
		}{
			"one nanosecond before the start": {start.Add(-time.Nanosecond), true},
			"at the start":                    {start, false},
			"during the meeting":              {start.Add(30 * time.Minute), false},
			"a week later":                    {start.AddDate(0, 0, 7), false},
		} {
			t.Run(name, func(t *testing.T) {
				w := convLorient(t)
				res, err := w.cc.Convene(w.as(w.clerk, tc.at), "m1", convRecipientsJSON(t, convRecipients("a", 2)))
				if tc.ok {
					require.NoError(t, err)
					require.Equal(t, 2, res.Late, "sent on the meeting day: late but anchored")
					return
				}
				contracttest.RequireCode(t, base.CodeFailedPrecondition, err)
				require.Contains(t, err.Error(), "2024-04-02T18:00:00+02:00")
				require.Empty(t, convKeys(w.stub, state.TypeConvocation))
			})
		}
	})

	t.Run("a recipient already convened to the meeting refuses the whole batch", func(t *testing.T) {
		w := convLorient(t)
		rs := convRecipients("a", 3)
		w.convene("m1", convOnTimeAt, rs[:1])
		before := w.stub.State()
		_, n := w.lastEvent()

		again := append(convRecipients("b", 2), convRecipient{Ref: rs[0].Ref, Message: convSHA("other"), Token: "other"})
		_, err := w.cc.Convene(w.as(w.clerk, convOnTimeAt.Add(time.Hour)), "m1", convRecipientsJSON(t, again))
		contracttest.RequireCode(t, base.CodeAlreadyExists, err)
		require.Contains(t, err.Error(), "recipients[2]")
		require.Contains(t, err.Error(), spec.ConvocationID("RegistryMSP", "m1", rs[0].Ref))
		require.NotContains(t, err.Error(), rs[0].Ref)
		require.Equal(t, before, w.stub.State(), "no convocation of the batch is written")
		_, n2 := w.lastEvent()
		require.Equal(t, n, n2)
	})

	t.Run("a recipient listed twice in one batch is invalid", func(t *testing.T) {
		w := convLorient(t)
		rs := convRecipients("a", 3)
		rs[2].Ref = rs[0].Ref
		_, err := w.cc.Convene(w.as(w.clerk, convOnTimeAt), "m1", convRecipientsJSON(t, rs))
		contracttest.RequireCode(t, base.CodeInvalidArgument, err)
		require.Contains(t, err.Error(), "recipients[2] repeats the recipientRef of recipients[0]")
		require.Empty(t, convKeys(w.stub, state.TypeConvocation))
	})

	t.Run("the same official may be convened to two meetings and batches add up", func(t *testing.T) {
		w := convLorient(t)
		w.meeting("m2", "council", convDate(convParis, 2024, time.May, 2, 18, 0, 0))
		rs := convRecipients("a", 2)
		w.convene("m1", convOnTimeAt, rs[:1])
		w.convene("m1", convOnTimeAt, rs[1:])
		w.convene("m2", convOnTimeAt, rs)
		require.Len(t, convKeys(w.stub, state.TypeConvocation), 4)
	})

	t.Run("500 officials are convened in one transaction", func(t *testing.T) {
		w := convLorient(t)
		res := w.convene("m1", convOnTimeAt, convRecipients("many", spec.MaxConveneRecipients))
		require.Equal(t, 500, res.Convened)
		require.Len(t, res.ConvocationIDs, 500)
		require.Len(t, convKeys(w.stub, state.TypeConvocation), 500)
	})

	t.Run("upper-case references and hashes are accepted and stored in lower case", func(t *testing.T) {
		w := convLorient(t)
		r := convRecipients("up", 1)[0]
		input := fmt.Sprintf(`[{"recipientRef":%q,"messageHash":%q,"ackTokenHash":%q}]`,
			strings.ToUpper(r.Ref), strings.ToUpper(r.Message), strings.ToUpper(convSHA(r.Token)))
		res, err := w.cc.Convene(w.as(w.clerk, convOnTimeAt), "m1", input)
		require.NoError(t, err)
		id := spec.ConvocationID("RegistryMSP", "m1", r.Ref)
		require.Equal(t, []string{id}, res.ConvocationIDs, "the id is derived from the lower-case reference")
		conv, err := w.cc.GetConvocation(contracttest.TxContext(w.stub), "RegistryMSP", "m1", id)
		require.NoError(t, err)
		require.Equal(t, r.Ref, conv.RecipientRef)
		require.Equal(t, r.Message, conv.MessageHash)
	})

	t.Run("malformed input is refused and nothing is written", func(t *testing.T) {
		ok := convRecipients("a", 1)[0]
		item := func(ref, msg, ack string) string {
			return fmt.Sprintf(`{"recipientRef":%q,"messageHash":%q,"ackTokenHash":%q}`, ref, msg, ack)
		}
		good := item(ok.Ref, ok.Message, convSHA(ok.Token))
		for name, tc := range map[string]struct{ meetingID, input string }{
			"an empty argument":                        {"m1", ""},
			"not json":                                 {"m1", "recipients"},
			"truncated json":                           {"m1", "[" + good},
			"an object instead of a list":              {"m1", good},
			"null":                                     {"m1", "null"},
			"an empty list":                            {"m1", "[]"},
			"a list of strings":                        {"m1", `["` + ok.Ref + `"]`},
			"a null element":                           {"m1", "[null]"},
			"an unknown field":                         {"m1", `[{"recipientRef":"` + ok.Ref + `","messageHash":"` + ok.Message + `","ackTokenHash":"` + convSHA(ok.Token) + `","name":"Jean Dupont"}]`},
			"a field name in another case":             {"m1", `[{"RecipientRef":"` + ok.Ref + `","messageHash":"` + ok.Message + `","ackTokenHash":"` + convSHA(ok.Token) + `"}]`},
			"a field twice":                            {"m1", `[{"recipientRef":"` + ok.Ref + `","recipientRef":"` + ok.Ref + `","messageHash":"` + ok.Message + `","ackTokenHash":"` + convSHA(ok.Token) + `"}]`},
			"the clear token instead of its hash":      {"m1", `[{"recipientRef":"` + ok.Ref + `","messageHash":"` + ok.Message + `","ackToken":"secret"}]`},
			"a number as a hash":                       {"m1", `[{"recipientRef":12,"messageHash":"` + ok.Message + `","ackTokenHash":"` + convSHA(ok.Token) + `"}]`},
			"a missing recipient ref":                  {"m1", `[{"messageHash":"` + ok.Message + `","ackTokenHash":"` + convSHA(ok.Token) + `"}]`},
			"a recipient ref repeated in another case": {"m1", "[" + good + "," + item(strings.ToUpper(ok.Ref), ok.Message, convSHA(ok.Token)) + "]"},
			"a clear name as recipient ref":            {"m1", "[" + item("Jean Dupont", ok.Message, convSHA(ok.Token)) + "]"},
			"a short message hash":                     {"m1", "[" + item(ok.Ref, ok.Message[:60], convSHA(ok.Token)) + "]"},
			"a long token hash":                        {"m1", "[" + item(ok.Ref, ok.Message, convSHA(ok.Token)+"00") + "]"},
			"a non-hex token hash":                     {"m1", "[" + item(ok.Ref, ok.Message, "g"+convSHA(ok.Token)[1:]) + "]"},
			"data after the list":                      {"m1", "[" + good + "]]"},
			"501 recipients":                           {"m1", convRecipientsJSON(t, convRecipients("many", spec.MaxConveneRecipients+1))},
			"an input over 256 KiB":                    {"m1", "[" + good + "]" + strings.Repeat(" ", 256<<10)},
			"invalid utf-8":                            {"m1", "[" + good + "]\xff"},
			"an empty meeting id":                      {"", "[" + good + "]"},
			"a malformed meeting id":                   {"m/1", "[" + good + "]"},
		} {
			t.Run(name, func(t *testing.T) {
				w := convLorient(t)
				res, err := w.cc.Convene(w.as(w.clerk, convOnTimeAt), tc.meetingID, tc.input)
				contracttest.RequireCode(t, base.CodeInvalidArgument, err)
				require.Nil(t, res)
				require.Less(t, len(err.Error()), 300)
				require.Empty(t, convKeys(w.stub, state.TypeConvocation))
				_, n := w.lastEvent()
				require.Equal(t, 2, n)
			})
		}
	})

	t.Run("convening writes only new convocation keys and never the meeting", func(t *testing.T) {
		w := convLorient(t)
		rs := convRecipients("a", 3)
		ctx, log := w.logged(w.clerk, convOnTimeAt)
		_, err := w.cc.Convene(ctx, "m1", convRecipientsJSON(t, rs))
		require.NoError(t, err)
		meetingKey, err := state.MeetingKey(w.stub, "RegistryMSP", "m1")
		require.NoError(t, err)
		require.NotContains(t, log.Writes, meetingKey)
		require.Len(t, log.Writes, 3)
		for _, k := range log.Writes {
			require.True(t, strings.HasPrefix(k, "\x00"+state.TypeConvocation+"\x00"))
		}
		for _, r := range log.Ranges {
			require.False(t, strings.HasPrefix(r, "\x00"+state.TypeConvocation+"\x00"), "no range over the meeting's convocations")
		}
	})

	t.Run("ledger failures are internal errors with their cause", func(t *testing.T) {
		boom := errors.New("boom")
		for name, fail := range map[string]func(*fakestub.Stub){
			"a failed read":           func(s *fakestub.Stub) { s.GetStateErr = boom },
			"a failed write":          func(s *fakestub.Stub) { s.PutStateErr = boom },
			"a failed event":          func(s *fakestub.Stub) { s.SetEventErr = boom },
			"a failed member range":   func(s *fakestub.Stub) { s.RangeErr = boom },
			"a failed timestamp read": func(s *fakestub.Stub) { s.TxTimestampErr = boom },
		} {
			t.Run(name, func(t *testing.T) {
				w := convLorient(t)
				fail(w.stub)
				res, err := w.cc.Convene(contracttest.TxContext(w.stub.As(w.clerk)), "m1", convRecipientsJSON(t, convRecipients("a", 1)))
				contracttest.RequireCode(t, base.CodeInternal, err)
				require.ErrorIs(t, err, boom)
				require.Nil(t, res)
			})
		}
	})

	t.Run("the result is the json a client receives", func(t *testing.T) {
		w := convLorient(t)
		res := w.convene("m1", convOnTimeAt, convRecipients("a", 1))
		b, err := json.Marshal(res)
		require.NoError(t, err)
		require.JSONEq(t, `{"ownerMsp":"RegistryMSP","meetingId":"m1","sentAt":"2024-03-20T08:30:00Z",
			"convened":1,"onTime":1,"late":0,"convocationIds":["`+res.ConvocationIDs[0]+`"]}`, string(b))
	})
}
