package convocations_test

import (
	"encoding/json"
	"errors"
	"fmt"
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

func TestConvocationsSummary(t *testing.T) {
	t.Run("the register counts convened, acknowledged, on-time and late convocations", func(t *testing.T) {
		w := convLorient(t)
		early := convRecipients("early", 3)
		late := convRecipients("late", 2)
		ids := w.convene("m1", convOnTimeAt, early).ConvocationIDs
		w.convene("m1", convDate(convParis, 2024, time.March, 30, 10, 0, 0), late)
		for i := range 2 {
			_, err := w.cc.Acknowledge(w.as(w.otherClerk, convAckAt), "RegistryMSP", "m1", ids[i], early[i].Token)
			require.NoError(t, err)
		}

		s, err := w.cc.Summary(contracttest.TxContext(w.stub), "RegistryMSP", "m1")
		require.NoError(t, err)
		m, err := w.cc.GetMeeting(contracttest.TxContext(w.stub), "RegistryMSP", "m1")
		require.NoError(t, err)
		require.Equal(t, &records.MeetingSummary{Meeting: m, Convened: 5, Acknowledged: 2, OnTime: 3, Late: 2}, s)
		require.Zero(t, w.stub.OpenIterators())

		b, err := json.Marshal(s)
		require.NoError(t, err)
		for _, r := range append(early, late...) {
			for _, secret := range []string{r.Ref, r.Message, convSHA(r.Token), r.Token, spec.ConvocationID("RegistryMSP", "m1", r.Ref)} {
				require.NotContains(t, string(b), secret, "the register holds no personal data")
			}
		}
	})

	t.Run("a meeting without convocations counts zero", func(t *testing.T) {
		w := convLorient(t)
		s, err := w.cc.Summary(contracttest.TxContext(w.stub), "RegistryMSP", "m1")
		require.NoError(t, err)
		require.Equal(t, 0, s.Convened+s.Acknowledged+s.OnTime+s.Late)
	})

	t.Run("a meeting's count excludes meetings whose id it prefixes", func(t *testing.T) {
		w := convLorient(t)
		w.meeting("m10", "council", convDate(convParis, 2024, time.April, 2, 18, 0, 0))
		w.convene("m1", convOnTimeAt, convRecipients("a", 1))
		w.convene("m10", convOnTimeAt, convRecipients("b", 2))
		s, err := w.cc.Summary(contracttest.TxContext(w.stub), "RegistryMSP", "m1")
		require.NoError(t, err)
		require.Equal(t, 1, s.Convened)
	})

	t.Run("an unknown meeting is not found and malformed arguments are invalid", func(t *testing.T) {
		w := convLorient(t)
		_, err := w.cc.Summary(contracttest.TxContext(w.stub), "RegistryMSP", "m2")
		contracttest.RequireCode(t, base.CodeNotFound, err)
		_, err = w.cc.Summary(contracttest.TxContext(w.stub), "TreasuryMSP", "m1")
		contracttest.RequireCode(t, base.CodeNotFound, err)
		_, err = w.cc.Summary(contracttest.TxContext(w.stub), "RegistryMSP", "")
		contracttest.RequireCode(t, base.CodeInvalidArgument, err)
		_, err = w.cc.Summary(contracttest.TxContext(w.stub), "Registry MSP", "m1")
		contracttest.RequireCode(t, base.CodeInvalidArgument, err)
	})

	t.Run("ledger failures are internal errors and close the iterator", func(t *testing.T) {
		boom := errors.New("boom")
		for name, fail := range map[string]func(*fakestub.Stub){
			"a failed read":      func(s *fakestub.Stub) { s.GetStateErr = boom },
			"a failed range":     func(s *fakestub.Stub) { s.RangeErr = boom },
			"a failed iteration": func(s *fakestub.Stub) { s.NextErr = boom },
		} {
			t.Run(name, func(t *testing.T) {
				w := convLorient(t)
				w.convene("m1", convOnTimeAt, convRecipients("a", 2))
				fail(w.stub)
				s, err := w.cc.Summary(contracttest.TxContext(w.stub), "RegistryMSP", "m1")
				contracttest.RequireCode(t, base.CodeInternal, err)
				require.ErrorIs(t, err, boom)
				require.Nil(t, s)
				require.Zero(t, w.stub.OpenIterators())
			})
		}
	})

	t.Run("a corrupt convocation is an internal error", func(t *testing.T) {
		w := convLorient(t)
		key, err := state.ConvocationKey(w.stub, "RegistryMSP", "m1", convSHA("x"))
		require.NoError(t, err)
		require.NoError(t, w.stub.PutState(key, []byte("not json")))
		_, err = w.cc.Summary(contracttest.TxContext(w.stub), "RegistryMSP", "m1")
		contracttest.RequireCode(t, base.CodeInternal, err)
		require.Zero(t, w.stub.OpenIterators())
	})
}

func TestConvocationsGetConvocation(t *testing.T) {
	t.Run("the legal proof shows hashes, sending time, on-time flag and receipt", func(t *testing.T) {
		rs := convRecipients("a", 1)
		w, ids := convConvened(t, rs)
		_, err := w.cc.Acknowledge(w.as(w.otherClerk, convAckAt), "RegistryMSP", "m1", ids[0], rs[0].Token)
		require.NoError(t, err)
		conv, err := w.cc.GetConvocation(contracttest.TxContext(w.stub), "RegistryMSP", "m1", ids[0])
		require.NoError(t, err)
		b, err := json.Marshal(conv)
		require.NoError(t, err)
		require.JSONEq(t, fmt.Sprintf(`{"ownerMsp":"RegistryMSP","meetingId":"m1","id":%q,"recipientRef":%q,
			"messageHash":%q,"ackTokenHash":%q,"sentAt":"2024-03-20T08:30:00Z","sentTxId":"tx1","onTime":true,
			"acknowledgedAt":"2024-03-21T18:45:00Z","acknowledgedVia":"TreasuryMSP","acknowledgedTxId":"tx1"}`,
			ids[0], rs[0].Ref, rs[0].Message, convSHA(rs[0].Token)), string(b))
	})

	t.Run("absent, malformed and unreadable convocations are told apart", func(t *testing.T) {
		cc := convocations.New()
		_, err := cc.GetConvocation(contracttest.TxContext(fakestub.New()), "RegistryMSP", "m1", convSHA("x"))
		contracttest.RequireCode(t, base.CodeNotFound, err)
		_, err = cc.GetConvocation(contracttest.TxContext(fakestub.New()), "RegistryMSP", "m1", "x")
		contracttest.RequireCode(t, base.CodeInvalidArgument, err)
		stub := fakestub.New()
		stub.GetStateErr = errors.New("boom")
		_, err = cc.GetConvocation(contracttest.TxContext(stub), "RegistryMSP", "m1", convSHA("x"))
		contracttest.RequireCode(t, base.CodeInternal, err)
	})
}

func TestConvocationsListMeetings(t *testing.T) {
	// convRegister has 5 meetings of RegistryMSP and one of TreasuryMSP.
	convRegister := func(t *testing.T) *convWorld {
		w := newConvWorld(t)
		w.body("council", 5, "Europe/Paris")
		for i := 1; i <= 5; i++ {
			w.meeting(fmt.Sprintf("2024-04-0%d-council", i), "council", convDate(convParis, 2024, time.April, i, 18, 0, 0))
		}
		_, err := w.cc.SetBody(w.as(w.otherAdmin, fakestub.DefaultTxTime), convBodyJSON("council", 5, "Europe/Paris"))
		require.NoError(t, err)
		_, err = w.cc.CreateMeeting(w.as(w.otherClerk, fakestub.DefaultTxTime),
			convMeetingJSON("2024-04-01-treasury", "council", convDate(convParis, 2024, time.April, 1, 9, 0, 0)))
		require.NoError(t, err)
		return w
	}

	t.Run("the register pages through one administration's meetings in id order", func(t *testing.T) {
		w := convRegister(t)
		var ids []string
		bookmark := ""
		for pages := 0; ; pages++ {
			require.Less(t, pages, 3)
			page, err := w.cc.ListMeetings(contracttest.TxContext(w.stub), "RegistryMSP", "2", bookmark)
			require.NoError(t, err)
			require.LessOrEqual(t, len(page.Meetings), 2)
			for _, m := range page.Meetings {
				require.Equal(t, "RegistryMSP", m.OwnerMSP)
				ids = append(ids, m.ID)
			}
			if bookmark = page.Bookmark; bookmark == "" {
				break
			}
		}
		require.Equal(t, []string{"2024-04-01-council", "2024-04-02-council", "2024-04-03-council",
			"2024-04-04-council", "2024-04-05-council"}, ids)
		require.Zero(t, w.stub.OpenIterators())
	})

	t.Run("an administration without meetings lists an empty page", func(t *testing.T) {
		page, err := convocations.New().ListMeetings(contracttest.TxContext(fakestub.New()), "CouncilMSP", "100", "")
		require.NoError(t, err)
		require.NotNil(t, page.Meetings)
		require.Empty(t, page.Meetings)
		require.Empty(t, page.Bookmark)
	})

	t.Run("a page size outside 1..100 or not an integer is invalid, and empty or zero means twenty", func(t *testing.T) {
		w := convRegister(t)
		for _, size := range []string{"-1", "101", "1.5", "ten", " 5", "+5", "99999999999999999999"} {
			_, err := w.cc.ListMeetings(contracttest.TxContext(w.stub), "RegistryMSP", size, "")
			contracttest.RequireCode(t, base.CodeInvalidArgument, err)
		}
		for _, size := range []string{"1", "100", "", "0"} {
			_, err := w.cc.ListMeetings(contracttest.TxContext(w.stub), "RegistryMSP", size, "")
			require.NoError(t, err)
		}
	})

	t.Run("a bookmark from outside the administration's register is invalid", func(t *testing.T) {
		w := convRegister(t)
		page, err := w.cc.ListMeetings(contracttest.TxContext(w.stub), "TreasuryMSP", "1", "")
		require.NoError(t, err)
		treasuryKey, err := state.MeetingKey(w.stub, "TreasuryMSP", "2024-04-01-treasury")
		require.NoError(t, err)
		bodyKey, err := state.ConvocationBodyKey(w.stub, "RegistryMSP", "council")
		require.NoError(t, err)
		for name, bookmark := range map[string]string{
			"another administration's meeting": treasuryKey,
			"a body key":                       bodyKey,
			"the start of the ledger":          "\x00",
			"garbage":                          "abc",
		} {
			t.Run(name, func(t *testing.T) {
				_, err := w.cc.ListMeetings(contracttest.TxContext(w.stub), "RegistryMSP", "10", bookmark)
				contracttest.RequireCode(t, base.CodeInvalidArgument, err)
			})
		}
		require.Empty(t, page.Bookmark)
	})

	t.Run("malformed owners are invalid and ledger failures internal", func(t *testing.T) {
		w := convRegister(t)
		_, err := w.cc.ListMeetings(contracttest.TxContext(w.stub), "", "10", "")
		contracttest.RequireCode(t, base.CodeInvalidArgument, err)
		boom := errors.New("boom")
		for name, fail := range map[string]func(*fakestub.Stub){
			"a failed range":     func(s *fakestub.Stub) { s.RangeErr = boom },
			"a failed iteration": func(s *fakestub.Stub) { s.NextErr = boom },
		} {
			t.Run(name, func(t *testing.T) {
				w := convRegister(t)
				fail(w.stub)
				page, err := w.cc.ListMeetings(contracttest.TxContext(w.stub), "RegistryMSP", "10", "")
				contracttest.RequireCode(t, base.CodeInternal, err)
				require.ErrorIs(t, err, boom)
				require.Nil(t, page)
				require.Zero(t, w.stub.OpenIterators())
			})
		}
	})
}
