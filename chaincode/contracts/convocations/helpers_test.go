package convocations_test

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
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

// convParis is the zone of the test bodies.
var convParis = mustConvZone("Europe/Paris")

func mustConvZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// convDate is a wall-clock time in loc.
func convDate(loc *time.Location, y int, mo time.Month, d, h, mi, s int) time.Time {
	return time.Date(y, mo, d, h, mi, s, 0, loc)
}

// convSHA is the hex SHA-256 of s.
func convSHA(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// convRecipient is one official as the sending administration knows them:
// the secret token stays off the ledger, only its hash is sent.
type convRecipient struct {
	Ref, Message, Token string
}

// convRecipients makes n distinct recipients whose values derive from tag.
func convRecipients(tag string, n int) []convRecipient {
	out := make([]convRecipient, n)
	for i := range out {
		out[i] = convRecipient{
			Ref:     convSHA(fmt.Sprintf("%s/ref/%d", tag, i)),
			Message: convSHA(fmt.Sprintf("%s/message/%d", tag, i)),
			Token:   fmt.Sprintf("token-%s-%d", tag, i),
		}
	}
	return out
}

// convRecipientsJSON is the Convene argument for rs.
func convRecipientsJSON(t testing.TB, rs []convRecipient) string {
	t.Helper()
	type item struct {
		RecipientRef string `json:"recipientRef"`
		MessageHash  string `json:"messageHash"`
		AckTokenHash string `json:"ackTokenHash"`
	}
	list := make([]item, len(rs))
	for i, r := range rs {
		list[i] = item{r.Ref, r.Message, convSHA(r.Token)}
	}
	b, err := json.Marshal(list)
	require.NoError(t, err)
	return string(b)
}

// convBodyJSON is the SetBody argument for a body.
func convBodyJSON(id string, clearDays int, tz string) string {
	return fmt.Sprintf(`{"id":%q,"name":"Conseil communautaire","clearDays":%d,"timeZone":%q}`, id, clearDays, tz)
}

// convMeetingJSON is the CreateMeeting argument for a meeting.
func convMeetingJSON(id, bodyID string, startsAt time.Time, agenda ...string) string {
	if agenda == nil {
		agenda = []string{}
	}
	b, _ := json.Marshal(map[string]any{
		"id": id, "bodyId": bodyID, "startsAt": startsAt.Format(time.RFC3339),
		"place": "Hôtel d'agglomération, Lorient", "agendaHashes": agenda,
	})
	return string(b)
}

// convWorld is a ledger with the identities of three administrations.
type convWorld struct {
	t    *testing.T
	stub *fakestub.Stub
	cc   *convocations.Contract
	// RegistryMSP owns the bodies and meetings of most tests.
	admin, clerk, approver, noRole fakestub.Identity
	// TreasuryMSP is another member administration.
	otherAdmin, otherClerk fakestub.Identity
}

// newConvWorld returns an empty ledger at DefaultTxTime.
func newConvWorld(t *testing.T) *convWorld {
	return &convWorld{
		t: t, stub: fakestub.New(), cc: convocations.New(),
		admin:      fakestub.NewIdentity(t, "RegistryMSP", "alice", spec.RoleAdmin),
		clerk:      fakestub.NewIdentity(t, "RegistryMSP", "bob", spec.RoleClerk),
		approver:   fakestub.NewIdentity(t, "RegistryMSP", "carol", spec.RoleApprover),
		noRole:     fakestub.NewIdentity(t, "RegistryMSP", "dan", ""),
		otherAdmin: fakestub.NewIdentity(t, "TreasuryMSP", "erin", spec.RoleAdmin),
		otherClerk: fakestub.NewIdentity(t, "TreasuryMSP", "frank", spec.RoleClerk),
	}
}

// as returns a fresh transaction context of id at time at.
func (w *convWorld) as(id fakestub.Identity, at time.Time) *base.TxContext {
	w.stub.SetTxTime(timestamppb.New(at))
	return contracttest.TxContext(w.stub.As(id))
}

// body defines body id with the given rule, as the Registry admin.
func (w *convWorld) body(id string, clearDays int, tz string) *records.ConvocationBody {
	w.t.Helper()
	b, err := w.cc.SetBody(w.as(w.admin, fakestub.DefaultTxTime), convBodyJSON(id, clearDays, tz))
	require.NoError(w.t, err)
	return b
}

// meeting creates meeting id of bodyID starting at startsAt, as the
// Registry clerk at DefaultTxTime.
func (w *convWorld) meeting(id, bodyID string, startsAt time.Time) *records.Meeting {
	w.t.Helper()
	m, err := w.cc.CreateMeeting(w.as(w.clerk, fakestub.DefaultTxTime), convMeetingJSON(id, bodyID, startsAt))
	require.NoError(w.t, err)
	return m
}

// convene sends rs to meetingID at time at, as the Registry clerk.
func (w *convWorld) convene(meetingID string, at time.Time, rs []convRecipient) *records.ConveneResult {
	w.t.Helper()
	res, err := w.cc.Convene(w.as(w.clerk, at), meetingID, convRecipientsJSON(w.t, rs))
	require.NoError(w.t, err)
	return res
}

// lastEvent returns the last event and the number of events so far.
func (w *convWorld) lastEvent() (fakestub.Event, int) {
	return contracttest.LastEvent(w.t, w.stub), len(w.stub.Events())
}

// convKeys returns the ledger keys of objectType.
func convKeys(stub *fakestub.Stub, objectType string) []string {
	var out []string
	for _, k := range stub.Keys() {
		if strings.HasPrefix(k, "\x00"+objectType+"\x00") {
			out = append(out, k)
		}
	}
	return out
}

// logged returns a context of id at time at whose read-write set is
// recorded.
func (w *convWorld) logged(id fakestub.Identity, at time.Time) (*base.TxContext, *contracttest.RWSet) {
	w.stub.SetTxTime(timestamppb.New(at))
	return contracttest.Recorded(w.stub.As(id))
}
