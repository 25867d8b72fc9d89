package portal_test

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/civicledger/civicledger/chaincode/records"
)

const (
	ackToken = "Zm9vYmFyYmF6cXV4LXNlY3JldC10b2tlbi1vZi10aGUtbGluaw"
	ackRef   = "5e1f0c0d6a7b8c9d0e1f2a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f"
)

var ackConvID = strings.Repeat("4d", 32)

// ackFixture is the portal with one convocation of RegistryMSP, not yet
// acknowledged.
func ackFixture(t *testing.T) (base string, l *fakeLedger) {
	t.Helper()
	srv, l, _ := fixture(t)
	sum := sha256.Sum256([]byte(ackToken))
	l.convs = append(l.convs, &fakeConvocation{
		meeting: records.Meeting{OwnerMSP: "RegistryMSP", ID: "2026-12-10-council", BodyID: "council",
			StartsAt: "2026-12-10T18:00:00+01:00", Place: "Hôtel d'agglomération, Lorient"},
		conv: records.Convocation{OwnerMSP: "RegistryMSP", MeetingID: "2026-12-10-council", ID: ackConvID,
			RecipientRef: ackRef, AckTokenHash: hex.EncodeToString(sum[:]), SentAt: "2026-12-01T08:00:00Z"},
	})
	return srv.URL, l
}

func ackQuery(mod func(url.Values)) url.Values {
	q := url.Values{"owner": {"RegistryMSP"}, "meeting": {"2026-12-10-council"}, "convocation": {ackConvID}, "token": {ackToken}}
	if mod != nil {
		mod(q)
	}
	return q
}

func postForm(t *testing.T, u string, form url.Values) (*http.Response, string) {
	t.Helper()
	resp, err := http.PostForm(u, form)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp, string(body)
}

func TestAcknowledge(t *testing.T) {
	t.Run("the link shows the meeting and a confirmation, and writes nothing", func(t *testing.T) {
		base, l := ackFixture(t)
		resp, body := get(t, base+"/acknowledge?"+ackQuery(nil).Encode())
		require.Equal(t, http.StatusOK, resp.StatusCode, body)
		require.Contains(t, body, "Registry of Certified Documents convened you to this meeting")
		require.Contains(t, body, "2026-12-10T18:00:00")
		require.Contains(t, body, `<form id="ack-form" action="/acknowledge" method="post">`)
		require.Contains(t, body, `<button type="submit" id="ack-confirm">I acknowledge receipt</button>`)
		require.NotContains(t, body, ackRef, "no recipient reference on the page")
		require.Empty(t, resp.Header.Values("Set-Cookie"))
		require.Zero(t, l.writes)
	})

	t.Run("confirming records the receipt once and shows its proof", func(t *testing.T) {
		base, l := ackFixture(t)
		resp, body := postForm(t, base+"/acknowledge", ackQuery(nil))
		require.Equal(t, http.StatusOK, resp.StatusCode, body)
		require.Contains(t, body, "Your acknowledgement of receipt is recorded.")
		require.Contains(t, body, "2026-12-01T09:30:00Z")
		require.Contains(t, body, "tx-ack")
		require.NotContains(t, body, ackToken, "the receipt page does not repeat the secret")
		require.NotContains(t, body, ackRef)
		require.Equal(t, 1, l.writes)
		require.Equal(t, "2026-12-01T09:30:00Z", l.convs[0].conv.AcknowledgedAt)

		t.Run("opening the link again says it is done, with 409", func(t *testing.T) {
			resp, body := get(t, base+"/acknowledge?"+ackQuery(nil).Encode())
			require.Equal(t, http.StatusConflict, resp.StatusCode, body)
			require.Contains(t, body, "already acknowledged")
			require.Contains(t, body, "tx-ack")
			require.NotContains(t, body, "ack-form")
		})
		t.Run("confirming again writes nothing and answers 409", func(t *testing.T) {
			resp, body := postForm(t, base+"/acknowledge", ackQuery(nil))
			require.Equal(t, http.StatusConflict, resp.StatusCode, body)
			require.Contains(t, body, "already acknowledged")
			require.Equal(t, 1, l.writes)
		})
	})

	t.Run("in French", func(t *testing.T) {
		base, _ := ackFixture(t)
		_, body := get(t, base+"/acknowledge?"+ackQuery(func(q url.Values) { q.Set("lang", "fr") }).Encode())
		require.Contains(t, body, "J&#39;accuse réception")
		require.Contains(t, body, `action="/acknowledge?lang=fr"`)
		resp, body := postForm(t, base+"/acknowledge?lang=fr", ackQuery(nil))
		require.Equal(t, http.StatusOK, resp.StatusCode, body)
		require.Contains(t, body, "Votre accusé de réception est enregistré.")
	})

	for name, tc := range map[string]struct {
		mod    func(url.Values)
		down   bool
		status int
		says   string
	}{
		"a wrong token is 403":                   {mod: func(q url.Values) { q.Set("token", "not-the-token") }, status: http.StatusForbidden, says: "does not match"},
		"an unknown convocation is 404":          {mod: func(q url.Values) { q.Set("convocation", strings.Repeat("0", 64)) }, status: http.StatusNotFound, says: "No such convocation"},
		"a missing token is 400":                 {mod: func(q url.Values) { q.Del("token") }, status: http.StatusBadRequest, says: "secret code is missing"},
		"a malformed convocation is 400":         {mod: func(q url.Values) { q.Set("convocation", "12") }, status: http.StatusBadRequest, says: "convocation number"},
		"a malformed administration is 400":      {mod: func(q url.Values) { q.Set("owner", "<b>") }, status: http.StatusBadRequest, says: "administration is missing"},
		"a malformed meeting is 400":             {mod: func(q url.Values) { q.Set("meeting", "") }, status: http.StatusBadRequest, says: "meeting is missing"},
		"a ledger that cannot be reached is 503": {down: true, status: http.StatusServiceUnavailable, says: "cannot be reached"},
	} {
		t.Run(name, func(t *testing.T) {
			base, l := ackFixture(t)
			l.down = tc.down
			resp, body := get(t, base+"/acknowledge?"+ackQuery(tc.mod).Encode())
			require.Equal(t, tc.status, resp.StatusCode, body)
			require.Contains(t, body, tc.says)
			resp, body = postForm(t, base+"/acknowledge", ackQuery(tc.mod))
			require.Equal(t, tc.status, resp.StatusCode, body)
			require.Contains(t, body, tc.says)
			require.Zero(t, l.writes, "nothing is submitted for a link the ledger would refuse")
			require.Empty(t, l.convs[0].conv.AcknowledgedAt)
		})
	}
}
