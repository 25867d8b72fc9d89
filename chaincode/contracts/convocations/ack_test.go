package convocations_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/civicledger/civicledger/chaincode/contracts/base"
	"github.com/civicledger/civicledger/chaincode/contracts/internal/contracttest"
	"github.com/civicledger/civicledger/chaincode/internal/fakestub"
	"github.com/civicledger/civicledger/chaincode/spec"
	"github.com/civicledger/civicledger/chaincode/state"
)

// convConvened is convLorient with officials rs convened on time to m1; it
// returns their convocation IDs.
func convConvened(t *testing.T, rs []convRecipient) (*convWorld, []string) {
	w := convLorient(t)
	return w, w.convene("m1", convOnTimeAt, rs).ConvocationIDs
}

// convAckAt is when the officials click their links.
var convAckAt = convDate(convParis, 2024, time.March, 21, 19, 45, 0)

func TestConvocationsAcknowledge(t *testing.T) {
	t.Run("the official's click relayed by another administration records the receipt", func(t *testing.T) {
		rs := convRecipients("a", 2)
		w, ids := convConvened(t, rs)
		w.stub.SetTxID("tx-ack")
		conv, err := w.cc.Acknowledge(w.as(w.otherClerk, convAckAt), "RegistryMSP", "m1", ids[0], rs[0].Token)
		require.NoError(t, err)
		require.Equal(t, "2024-03-21T18:45:00Z", conv.AcknowledgedAt)
		require.Equal(t, "TreasuryMSP", conv.AcknowledgedVia)
		require.Equal(t, "tx-ack", conv.AcknowledgedTxID)
		require.Equal(t, "2024-03-20T08:30:00Z", conv.SentAt, "the sending proof is unchanged")

		stored, err := w.cc.GetConvocation(contracttest.TxContext(w.stub), "RegistryMSP", "m1", ids[0])
		require.NoError(t, err)
		require.Equal(t, conv, stored)
		other, err := w.cc.GetConvocation(contracttest.TxContext(w.stub), "RegistryMSP", "m1", ids[1])
		require.NoError(t, err)
		require.Empty(t, other.AcknowledgedAt)
	})

	t.Run("the transparency portal's identity relays the official's click", func(t *testing.T) {
		rs := convRecipients("a", 1)
		w, ids := convConvened(t, rs)
		portal := fakestub.NewIdentity(t, "TreasuryMSP", "portal0", spec.RolePortal)
		conv, err := w.cc.Acknowledge(w.as(portal, convAckAt), "RegistryMSP", "m1", ids[0], rs[0].Token)
		require.NoError(t, err)
		require.Equal(t, "TreasuryMSP", conv.AcknowledgedVia)

		before := w.stub.State()
		_, err = w.cc.Acknowledge(w.as(portal, convAckAt), "RegistryMSP", "m1", ids[0], "token-wrong")
		contracttest.RequireCode(t, base.CodePermissionDenied, err)
		require.Equal(t, before, w.stub.State())
	})

	t.Run("the acknowledged event names the convocation and never the token", func(t *testing.T) {
		rs := convRecipients("a", 1)
		w, ids := convConvened(t, rs)
		_, before := w.lastEvent()
		_, err := w.cc.Acknowledge(w.as(w.clerk, convAckAt), "RegistryMSP", "m1", ids[0], rs[0].Token)
		require.NoError(t, err)
		ev, n := w.lastEvent()
		require.Equal(t, before+1, n)
		require.Equal(t, spec.EventAcknowledged, ev.Name)
		require.JSONEq(t, `{"ownerMsp":"RegistryMSP","meetingId":"m1","convocationId":"`+ids[0]+`",
			"acknowledgedAt":"2024-03-21T18:45:00Z","acknowledgedVia":"RegistryMSP"}`, string(ev.Payload))
		require.NotContains(t, string(ev.Payload), rs[0].Token)
	})

	t.Run("a second acknowledgement is refused and says when the first was recorded", func(t *testing.T) {
		rs := convRecipients("a", 1)
		w, ids := convConvened(t, rs)
		_, err := w.cc.Acknowledge(w.as(w.clerk, convAckAt), "RegistryMSP", "m1", ids[0], rs[0].Token)
		require.NoError(t, err)
		before := w.stub.State()
		_, events := w.lastEvent()

		for name, id := range map[string]fakestub.Identity{"through the same gateway": w.clerk, "through another": w.otherAdmin} {
			t.Run(name, func(t *testing.T) {
				conv, err := w.cc.Acknowledge(w.as(id, convAckAt.Add(time.Hour)), "RegistryMSP", "m1", ids[0], rs[0].Token)
				contracttest.RequireCode(t, base.CodeFailedPrecondition, err)
				require.Nil(t, conv)
				require.Contains(t, err.Error(), "already acknowledged at 2024-03-21T18:45:00Z")
				require.Equal(t, before, w.stub.State())
				_, n := w.lastEvent()
				require.Equal(t, events, n)
			})
		}
	})

	t.Run("a wrong token is refused, before anything else is revealed", func(t *testing.T) {
		rs := convRecipients("a", 2)
		w, ids := convConvened(t, rs)
		for name, token := range map[string]string{
			"another official's token":  rs[1].Token,
			"the token hash itself":     convSHA(rs[0].Token),
			"the token with a space":    rs[0].Token + " ",
			"the token in another case": strings.ToUpper(rs[0].Token),
		} {
			t.Run(name, func(t *testing.T) {
				before := w.stub.State()
				_, err := w.cc.Acknowledge(w.as(w.clerk, convAckAt), "RegistryMSP", "m1", ids[0], token)
				contracttest.RequireCode(t, base.CodePermissionDenied, err)
				require.NotContains(t, err.Error(), token)
				require.Equal(t, before, w.stub.State())
			})
		}
		_, err := w.cc.Acknowledge(w.as(w.clerk, convAckAt), "RegistryMSP", "m1", ids[0], rs[0].Token)
		require.NoError(t, err)
		_, err = w.cc.Acknowledge(w.as(w.clerk, convAckAt), "RegistryMSP", "m1", ids[0], rs[1].Token)
		contracttest.RequireCode(t, base.CodePermissionDenied, err)
	})

	t.Run("any role may relay a click but a caller without a role may not", func(t *testing.T) {
		rs := convRecipients("a", 4)
		w, ids := convConvened(t, rs)
		for i, id := range []fakestub.Identity{w.clerk, w.approver, w.admin, w.otherClerk} {
			_, err := w.cc.Acknowledge(w.as(id, convAckAt), "RegistryMSP", "m1", ids[i], rs[i].Token)
			require.NoError(t, err)
		}
		w2, ids2 := convConvened(t, rs[:1])
		_, err := w2.cc.Acknowledge(w2.as(w2.noRole, convAckAt), "RegistryMSP", "m1", ids2[0], rs[0].Token)
		contracttest.RequireCode(t, base.CodePermissionDenied, err)
	})

	t.Run("a receipt after the meeting started is still recorded with its time", func(t *testing.T) {
		rs := convRecipients("a", 1)
		w, ids := convConvened(t, rs)
		conv, err := w.cc.Acknowledge(w.as(w.clerk, convDate(convParis, 2024, time.April, 3, 8, 0, 0)), "RegistryMSP", "m1", ids[0], rs[0].Token)
		require.NoError(t, err)
		require.Equal(t, "2024-04-03T06:00:00Z", conv.AcknowledgedAt)
	})

	t.Run("an unknown owner, meeting or convocation is not found", func(t *testing.T) {
		rs := convRecipients("a", 1)
		w, ids := convConvened(t, rs)
		for name, args := range map[string][3]string{
			"another owner":           {"TreasuryMSP", "m1", ids[0]},
			"another meeting":         {"RegistryMSP", "m2", ids[0]},
			"an unknown convocation":  {"RegistryMSP", "m1", convSHA("nobody")},
			"the recipient ref as id": {"RegistryMSP", "m1", rs[0].Ref},
		} {
			t.Run(name, func(t *testing.T) {
				_, err := w.cc.Acknowledge(w.as(w.clerk, convAckAt), args[0], args[1], args[2], rs[0].Token)
				contracttest.RequireCode(t, base.CodeNotFound, err)
			})
		}
	})

	t.Run("malformed arguments are invalid", func(t *testing.T) {
		rs := convRecipients("a", 1)
		w, ids := convConvened(t, rs)
		for name, args := range map[string][4]string{
			"an empty owner":              {"", "m1", ids[0], rs[0].Token},
			"a malformed owner":           {"Registry MSP", "m1", ids[0], rs[0].Token},
			"a malformed meeting":         {"RegistryMSP", "m 1", ids[0], rs[0].Token},
			"an empty convocation id":     {"RegistryMSP", "m1", "", rs[0].Token},
			"an uppercase convocation id": {"RegistryMSP", "m1", strings.ToUpper(ids[0]), rs[0].Token},
			"a short convocation id":      {"RegistryMSP", "m1", ids[0][:32], rs[0].Token},
			"an empty token":              {"RegistryMSP", "m1", ids[0], ""},
			"a token over 512 bytes":      {"RegistryMSP", "m1", ids[0], strings.Repeat("t", 513)},
		} {
			t.Run(name, func(t *testing.T) {
				before := w.stub.State()
				_, err := w.cc.Acknowledge(w.as(w.clerk, convAckAt), args[0], args[1], args[2], args[3])
				contracttest.RequireCode(t, base.CodeInvalidArgument, err)
				require.Less(t, len(err.Error()), 300)
				require.Equal(t, before, w.stub.State())
			})
		}
	})

	t.Run("an acknowledgement reads and writes only its own convocation", func(t *testing.T) {
		rs := convRecipients("a", 2)
		w, ids := convConvened(t, rs)
		ctx, log := w.logged(w.otherClerk, convAckAt)
		_, err := w.cc.Acknowledge(ctx, "RegistryMSP", "m1", ids[0], rs[0].Token)
		require.NoError(t, err)
		key, err := state.ConvocationKey(w.stub, "RegistryMSP", "m1", ids[0])
		require.NoError(t, err)
		require.Equal(t, []string{key}, log.Reads)
		require.Equal(t, []string{key}, log.Writes)
		require.Empty(t, log.Ranges)

		ctx, log2 := w.logged(w.otherClerk, convAckAt)
		_, err = w.cc.Acknowledge(ctx, "RegistryMSP", "m1", ids[1], rs[1].Token)
		require.NoError(t, err)
		require.NotEqual(t, log.Writes, log2.Writes, "two officials' acknowledgements share no key")
		requireConvOwnerPolicy(t, w.stub, key, "RegistryMSP")
	})

	t.Run("ledger failures are internal errors with their cause", func(t *testing.T) {
		boom := errors.New("boom")
		for name, fail := range map[string]func(*fakestub.Stub){
			"a failed read":           func(s *fakestub.Stub) { s.GetStateErr = boom },
			"a failed write":          func(s *fakestub.Stub) { s.PutStateErr = boom },
			"a failed event":          func(s *fakestub.Stub) { s.SetEventErr = boom },
			"a failed timestamp read": func(s *fakestub.Stub) { s.TxTimestampErr = boom },
		} {
			t.Run(name, func(t *testing.T) {
				rs := convRecipients("a", 1)
				w, ids := convConvened(t, rs)
				fail(w.stub)
				conv, err := w.cc.Acknowledge(contracttest.TxContext(w.stub.As(w.clerk)), "RegistryMSP", "m1", ids[0], rs[0].Token)
				contracttest.RequireCode(t, base.CodeInternal, err)
				require.ErrorIs(t, err, boom)
				require.Nil(t, conv)
			})
		}
	})

	t.Run("a stored convocation without a readable token hash is an internal error", func(t *testing.T) {
		rs := convRecipients("a", 1)
		w, ids := convConvened(t, rs)
		key, err := state.ConvocationKey(w.stub, "RegistryMSP", "m1", ids[0])
		require.NoError(t, err)
		var conv map[string]any
		raw, err := w.stub.GetState(key)
		require.NoError(t, err)
		require.NoError(t, json.Unmarshal(raw, &conv))
		conv["ackTokenHash"] = "zz"
		raw, err = json.Marshal(conv)
		require.NoError(t, err)
		require.NoError(t, w.stub.PutState(key, raw))
		_, err = w.cc.Acknowledge(w.as(w.clerk, convAckAt), "RegistryMSP", "m1", ids[0], rs[0].Token)
		contracttest.RequireCode(t, base.CodeInternal, err)
	})
}
