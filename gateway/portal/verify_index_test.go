package portal_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/civicledger/civicledger/chaincode/spec"
	"github.com/civicledger/civicledger/gateway/portal"
	"github.com/civicledger/civicledger/gateway/portal/index"
)

var hashSuperseded = strings.Repeat("d4", 32)

// hashAnswer fetches the JSON verification of sha.
func hashAnswer(t *testing.T, srv *httptest.Server, sha string) portal.HashAnswer {
	t.Helper()
	resp, body := get(t, srv.URL+"/api/v1/verify?sha256="+sha)
	require.Equal(t, http.StatusOK, resp.StatusCode, body)
	var a portal.HashAnswer
	require.NoError(t, json.Unmarshal([]byte(body), &a))
	return a
}

func TestVerifyHashFromIndex(t *testing.T) {
	docs := []index.Document{
		{Issuer: "RegistryMSP", ID: "EXT-1", Type: "debt-extract", SHA256: hashValid, ValidFrom: "2026-01-01T00:00:00Z",
			Status: spec.DocumentValid, Block: 7, TxID: "tx-ext-1"},
		{Issuer: "RegistryMSP", ID: "PER-2", Type: "permit", SHA256: hashRevoked, ValidFrom: "2026-01-01T00:00:00Z",
			Status: spec.DocumentRevoked, RevokedReason: "issued in error", StatusChangedAt: "2026-11-02T09:00:00Z", Block: 8, TxID: "tx-per-2"},
		{Issuer: "RegistryMSP", ID: "PER-3", Type: "permit", SHA256: hashSuperseded, ValidFrom: "2026-01-01T00:00:00Z",
			Status: spec.DocumentSuperseded, SupersededBy: "PER-4", Block: 9, TxID: "tx-per-3"},
	}
	now := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	l := &fakeLedger{docs: docs, height: 10}
	x := &fakeIndex{docs: docs, next: 10}
	s, err := portal.New(l, x, "civic", portal.WithClock(func() time.Time { return now }), portal.WithMaxLag(3*time.Second))
	require.NoError(t, err)
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	asked := func() []string { a := l.asked; l.asked = nil; return a }

	t.Run("before the index is proved current, the ledger answers", func(t *testing.T) {
		a := hashAnswer(t, srv, hashValid)
		require.Equal(t, portal.SourceLedger, a.Source)
		require.Nil(t, a.AsOfBlock)
		require.Equal(t, []string{hashValid}, asked())
	})

	require.NoError(t, s.CheckTip(context.Background()))
	t.Run("a revoked document is revoked from the index, with when and why, as of its block", func(t *testing.T) {
		a := hashAnswer(t, srv, hashRevoked)
		require.Equal(t, portal.SourceIndex, a.Source)
		require.NotNil(t, a.AsOfBlock)
		require.Equal(t, uint64(9), *a.AsOfBlock)
		require.Equal(t, "2026-12-01T00:00:00Z", a.AsOf)
		require.Equal(t, spec.DocumentRevoked, a.Status)
		require.Len(t, a.Documents, 1)
		require.Equal(t, "issued in error", a.Documents[0].RevocationReason)
		require.Equal(t, "2026-11-02T09:00:00Z", a.Documents[0].RevokedAt)
		require.Equal(t, uint64(8), a.Documents[0].Block)
		require.Empty(t, asked(), "the ledger is not asked")

		_, page := get(t, srv.URL+"/verify/hash?sha256="+hashRevoked)
		require.Contains(t, page, "Revoked")
		require.Contains(t, page, "issued in error")
		require.Contains(t, page, "as of block 9, 2026-12-01T00:00:00Z")
	})
	t.Run("a superseded document is superseded from the index, with its successor", func(t *testing.T) {
		a := hashAnswer(t, srv, hashSuperseded)
		require.Equal(t, portal.SourceIndex, a.Source)
		require.Equal(t, spec.DocumentSuperseded, a.Status)
		require.Equal(t, "PER-4", a.Documents[0].SupersededBy)
		require.Empty(t, asked())
	})
	t.Run("a hash unknown to the index is asked of the ledger", func(t *testing.T) {
		a := hashAnswer(t, srv, hashUnknown)
		require.Equal(t, portal.SourceLedger, a.Source)
		require.Equal(t, spec.DocumentUnknown, a.Status)
		require.Equal(t, []string{hashUnknown}, asked())
		_, page := get(t, srv.URL+"/verify/hash?sha256="+hashUnknown)
		require.Contains(t, page, "Answered by the ledger")
		asked()
	})
	t.Run("a fresh index answers while the peer is down", func(t *testing.T) {
		l.down = true
		defer func() { l.down = false }()
		a := hashAnswer(t, srv, hashValid)
		require.Equal(t, portal.SourceIndex, a.Source)
		require.Equal(t, spec.DocumentValid, a.Status)
	})
	t.Run("an index behind the ledger for longer than the lag sends verification to the ledger", func(t *testing.T) {
		l.height = 12 // two blocks the index has not read
		now = now.Add(2 * time.Second)
		require.NoError(t, s.CheckTip(context.Background()))
		require.Equal(t, portal.SourceIndex, hashAnswer(t, srv, hashValid).Source, "within the lag, the last proof holds")
		require.Empty(t, asked())

		now = now.Add(2 * time.Second)
		require.NoError(t, s.CheckTip(context.Background()))
		a := hashAnswer(t, srv, hashValid)
		require.Equal(t, portal.SourceLedger, a.Source)
		require.Equal(t, spec.DocumentValid, a.Status)
		require.Equal(t, []string{hashValid}, asked())

		x.next = 12 // the index catches up
		require.NoError(t, s.CheckTip(context.Background()))
		a = hashAnswer(t, srv, hashValid)
		require.Equal(t, portal.SourceIndex, a.Source)
		require.Equal(t, uint64(11), *a.AsOfBlock)
	})
	t.Run("the French page says where the answer comes from", func(t *testing.T) {
		_, page := get(t, srv.URL+"/verify/hash?sha256="+hashValid+"&lang=fr")
		require.Contains(t, page, "à jour au bloc 11")
	})
}
