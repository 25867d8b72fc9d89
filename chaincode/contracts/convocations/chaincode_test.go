package convocations_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/civicledger/civicledger/chaincode/contracts/base"
	"github.com/civicledger/civicledger/chaincode/contracts/convocations"
	"github.com/civicledger/civicledger/chaincode/contracts/internal/contracttest"
	"github.com/civicledger/civicledger/chaincode/internal/fakestub"
	"github.com/civicledger/civicledger/chaincode/records"
	"github.com/civicledger/civicledger/chaincode/spec"
)

// TestConvocationsChaincode drives the contract as a peer does: string
// arguments in, JSON (validated against the contract metadata) or a coded
// error message out.
func TestConvocationsChaincode(t *testing.T) {
	w := newConvWorld(t)
	cc := contracttest.NewChaincode(t, w.stub, convocations.New())
	invoke := func(id fakestub.Identity, at time.Time, fn string, args ...string) (int32, string, string) {
		w.stub.SetTxTime(timestamppb.New(at))
		return cc.Invoke(id, fn, args...)
	}
	rs := convRecipients("cc", 2)
	var ids []string

	t.Run("the lorient flow runs through Convocations:<Transaction>", func(t *testing.T) {
		status, _, msg := invoke(w.admin, fakestub.DefaultTxTime, "Convocations:SetBody", convBodyJSON("council", 5, "Europe/Paris"))
		require.EqualValues(t, 200, status, msg)
		status, _, msg = invoke(w.clerk, fakestub.DefaultTxTime, "Convocations:CreateMeeting",
			convMeetingJSON("m1", "council", convDate(convParis, 2024, time.April, 2, 18, 0, 0), convSHA("agenda")))
		require.EqualValues(t, 200, status, msg)

		status, payload, msg := invoke(w.clerk, convOnTimeAt, "Convocations:Convene", "m1", convRecipientsJSON(t, rs))
		require.EqualValues(t, 200, status, msg)
		var res records.ConveneResult
		require.NoError(t, json.Unmarshal([]byte(payload), &res))
		require.Equal(t, 2, res.OnTime)
		ids = res.ConvocationIDs

		status, payload, msg = invoke(w.otherClerk, convAckAt, "Convocations:GetConvocation", "RegistryMSP", "m1", ids[1])
		require.EqualValues(t, 200, status, msg)
		require.NotContains(t, payload, "acknowledgedAt", "an unacknowledged convocation omits the receipt")

		status, _, msg = invoke(w.otherClerk, convAckAt, "Convocations:Acknowledge", "RegistryMSP", "m1", ids[0], rs[0].Token)
		require.EqualValues(t, 200, status, msg)
		status, _, msg = invoke(w.otherClerk, convAckAt, "Convocations:Acknowledge", "RegistryMSP", "m1", ids[0], rs[0].Token)
		require.EqualValues(t, 500, status)
		require.True(t, strings.HasPrefix(msg, "FAILED_PRECONDITION: "), msg)

		status, payload, msg = invoke(w.otherClerk, convAckAt, "Convocations:Summary", "RegistryMSP", "m1")
		require.EqualValues(t, 200, status, msg)
		var s records.MeetingSummary
		require.NoError(t, json.Unmarshal([]byte(payload), &s))
		require.Equal(t, [4]int{2, 1, 2, 0}, [4]int{s.Convened, s.Acknowledged, s.OnTime, s.Late})

		status, payload, msg = invoke(w.otherClerk, convAckAt, "Convocations:ListMeetings", "RegistryMSP", "10", "")
		require.EqualValues(t, 200, status, msg)
		require.Contains(t, payload, `"bookmark":""`)

		status, _, msg = invoke(w.otherClerk, convAckAt, "Convocations:GetBody", "RegistryMSP", "council")
		require.EqualValues(t, 200, status, msg)
		status, _, msg = invoke(w.otherClerk, convAckAt, "Convocations:GetMeeting", "RegistryMSP", "m1")
		require.EqualValues(t, 200, status, msg)
	})

	t.Run("errors reach the client as messages with a code prefix", func(t *testing.T) {
		require.Len(t, ids, 2, "needs the convocations of the flow above")
		w.stub.SetTxTime(timestamppb.New(convAckAt))
		cc.RequireRefusals(t, map[string]contracttest.Refusal{
			"a clerk defining a body":    {ID: w.clerk, Fn: "Convocations:SetBody", Args: []string{convBodyJSON("b", 5, "UTC")}, Code: base.CodePermissionDenied},
			"a body with bad json":       {ID: w.admin, Fn: "Convocations:SetBody", Args: []string{"{"}, Code: base.CodeInvalidArgument},
			"a wrong token":              {ID: w.clerk, Fn: "Convocations:Acknowledge", Args: []string{"RegistryMSP", "m1", ids[1], "nope"}, Code: base.CodePermissionDenied},
			"a duplicate recipient":      {ID: w.clerk, Fn: "Convocations:Convene", Args: []string{"m1", convRecipientsJSON(t, rs[:1])}, Code: base.CodeAlreadyExists},
			"an unknown meeting":         {ID: w.clerk, Fn: "Convocations:Summary", Args: []string{"RegistryMSP", "m9"}, Code: base.CodeNotFound},
			"a page size that is a word": {ID: w.clerk, Fn: "Convocations:ListMeetings", Args: []string{"RegistryMSP", "all", ""}, Code: base.CodeInvalidArgument},
		})
	})

	t.Run("read-only transactions are marked evaluate in the metadata", func(t *testing.T) {
		cc.RequireTxKinds(t, spec.ConvocationsContract,
			[]string{"SetBody", "CreateMeeting", "Convene", "Acknowledge"},
			[]string{"GetBody", "GetMeeting", "GetConvocation", "Summary", "ListMeetings"})
	})
}
