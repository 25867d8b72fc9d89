package convocations_test

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/civicledger/civicledger/chaincode/contracts/base"
	"github.com/civicledger/civicledger/chaincode/contracts/convocations"
	"github.com/civicledger/civicledger/chaincode/contracts/internal/contracttest"
	"github.com/civicledger/civicledger/chaincode/internal/fakestub"
	"github.com/civicledger/civicledger/chaincode/spec"
)

// FuzzConvocationsArgs feeds arbitrary JSON arguments to SetBody,
// CreateMeeting, Convene and Acknowledge: each either succeeds with a stored
// value that keeps the contract's invariants, or is refused with the code
// its input deserves, never with a panic or an INTERNAL error.
func FuzzConvocationsArgs(f *testing.F) {
	rs := convRecipients("fuzz", 2)
	for _, seed := range [][4]string{
		{convBodyJSON("council", 5, "Europe/Paris"), convMeetingJSON("m1", "council", time.Date(2031, 1, 1, 10, 0, 0, 0, time.UTC), convSHA("a")), convRecipientsJSON(f, rs), rs[0].Token},
		{convBodyJSON("b", 30, "UTC"), `{"id":"m2","bodyId":"fixed","startsAt":"2030-06-01T00:00:00Z","place":"x","agendaHashes":null}`, `[{"recipientRef":"` + convSHA("r") + `","messageHash":"` + convSHA("m") + `","ackTokenHash":"` + convSHA("t") + `"}]`, "t"},
		{`{"id":"b","name":"n","clearDays":null,"timeZone":"UTC"}`, `{"id":"m","bodyId":"fixed","startsAt":"2030-13-01T00:00:00Z","place":"p"}`, `[]`, ""},
		{`{"id":"b","name":"n","clearDays":-1,"timeZone":"Local"}`, `{"id":"m","bodyId":"fixed","startsAt":"2030-01-01T00:00:00","place":"p"}`, `[null]`, "x"},
		{`{"ID":"b","NAME":"n","clearDays":1e2,"timeZone":"right/UTC"}`, `[]`, `{"recipientRef":1}`, strings.Repeat("t", 600)},
		{"", "", "", ""},
		{"{", "nul", "[", "\xff"},
		{`{"id":"b","name":"\u0000","clearDays":3,"timeZone":"Europe/Paris"} x`, `{"id":"fixed-m","bodyId":"fixed","startsAt":"2030-01-01T00:00:00Z","place":"p"}`, `[{"recipientRef":"` + strings.ToUpper(convSHA("r")) + `"}]`, "token"},
	} {
		f.Add(seed[0], seed[1], seed[2], seed[3])
	}
	admin := fakestub.NewIdentity(f, "RegistryMSP", "alice", spec.RoleAdmin)
	clerk := fakestub.NewIdentity(f, "RegistryMSP", "bob", spec.RoleClerk)
	hash := regexp.MustCompile(`^[0-9a-f]{64}$`)
	cc := convocations.New()

	f.Fuzz(func(t *testing.T, body, meeting, recipients, token string) {
		stub := fakestub.New()
		_, err := cc.SetBody(contracttest.TxContext(stub.As(admin)), convBodyJSON("fixed", 5, "Europe/Paris"))
		require.NoError(t, err)
		_, err = cc.CreateMeeting(contracttest.TxContext(stub.As(clerk)), convMeetingJSON("fixed-m", "fixed", time.Date(2030, 1, 1, 18, 0, 0, 0, time.UTC)))
		require.NoError(t, err)

		b, err := cc.SetBody(contracttest.TxContext(stub.As(admin)), body)
		if err != nil {
			contracttest.RequireCode(t, base.CodeInvalidArgument, err)
		} else {
			require.GreaterOrEqual(t, b.ClearDays, 0)
			require.LessOrEqual(t, b.ClearDays, spec.MaxConvocationClearDays)
			_, err := time.LoadLocation(b.TimeZone)
			require.NoError(t, err)
			require.NotEqual(t, "Local", b.TimeZone)
		}

		m, err := cc.CreateMeeting(contracttest.TxContext(stub.As(clerk)), meeting)
		if err != nil {
			require.Contains(t, []base.Code{base.CodeInvalidArgument, base.CodeNotFound, base.CodeAlreadyExists},
				base.CodeOf(err), "error: %v", err)
		} else {
			require.LessOrEqual(t, len(m.AgendaHashes), spec.MaxMeetingAgendaHashes)
			for _, h := range m.AgendaHashes {
				require.Regexp(t, hash, h)
			}
			startsAt, err := time.Parse(time.RFC3339, m.StartsAt)
			require.NoError(t, err)
			require.True(t, startsAt.After(fakestub.DefaultTxTime))
			_, err = time.Parse(time.DateOnly, m.Deadline)
			require.NoError(t, err)
		}

		res, err := cc.Convene(contracttest.TxContext(stub.As(clerk)), "fixed-m", recipients)
		if err != nil {
			contracttest.RequireCode(t, base.CodeInvalidArgument, err)
			return
		}
		require.Equal(t, len(res.ConvocationIDs), res.Convened)
		require.GreaterOrEqual(t, res.Convened, 1)
		require.LessOrEqual(t, res.Convened, spec.MaxConveneRecipients)
		require.Equal(t, res.Convened, res.OnTime+res.Late)

		conv, err := cc.Acknowledge(contracttest.TxContext(stub.As(clerk)), "RegistryMSP", "fixed-m", res.ConvocationIDs[0], token)
		if err != nil {
			require.Contains(t, []base.Code{base.CodeInvalidArgument, base.CodePermissionDenied},
				base.CodeOf(err), "error: %v", err)
			return
		}
		require.Equal(t, convSHA(token), conv.AckTokenHash)
		require.Equal(t, spec.ConvocationID("RegistryMSP", "fixed-m", conv.RecipientRef), conv.ID)
	})
}
