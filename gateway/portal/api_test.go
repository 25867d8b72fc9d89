package portal_test

import (
	"encoding/csv"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestStatusAPI(t *testing.T) {
	srv, l, _ := fixture(t)
	cases := map[string]struct {
		query  string
		code   int
		fields map[string]any
	}{
		"a valid document is valid with the block and transaction that registered it": {"issuer=RegistryMSP&id=EXT-1", http.StatusOK,
			map[string]any{"issuer": "RegistryMSP", "id": "EXT-1", "status": "valid", "sha256": hashValid, "block": 7.0, "txId": "tx-ext-1", "validFrom": "2026-01-01T00:00:00Z"}},
		"a revoked document says when and why": {"issuer=RegistryMSP&id=PER-2", http.StatusOK,
			map[string]any{"status": "revoked", "revokedAt": "2026-11-02T09:00:00Z", "revocationReason": "issued in error"}},
		"an unregistered document is 404 unknown": {"issuer=RegistryMSP&id=NOPE-1", http.StatusNotFound,
			map[string]any{"status": "unknown"}},
		"a malformed issuer is 400": {"issuer=Bad%20MSP&id=EXT-1", http.StatusBadRequest, nil},
		"a missing id is 400":       {"issuer=RegistryMSP", http.StatusBadRequest, nil},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			resp, body := get(t, srv.URL+"/api/v1/status?"+c.query)
			require.Equal(t, c.code, resp.StatusCode, body)
			require.Equal(t, "application/json; charset=utf-8", resp.Header.Get("Content-Type"))
			got := decode[map[string]any](t, body)
			for k, v := range c.fields {
				require.Equal(t, v, got[k], k)
			}
			if c.code != http.StatusOK {
				require.NotEmpty(t, got["error"])
			} else {
				require.NotContains(t, got, "keyFacts", "the seal carries its key facts; the status API never returns them")
			}
		})
	}
	t.Run("only issuer and id reach the ledger", func(t *testing.T) {
		require.Contains(t, l.asked, "RegistryMSP/EXT-1")
	})
}

func TestVerifyAPI(t *testing.T) {
	srv, _, _ := fixture(t)
	t.Run("a registered hash answers with the document's facts and proof", func(t *testing.T) {
		resp, body := get(t, srv.URL+"/api/v1/verify?sha256="+strings.ToUpper(hashValid))
		require.Equal(t, http.StatusOK, resp.StatusCode)
		got := decode[map[string]any](t, body)
		require.Equal(t, "valid", got["status"])
		doc := got["documents"].([]any)[0].(map[string]any)
		require.Equal(t, "tx-ext-1", doc["txId"])
		require.Equal(t, map[string]any{"proceedings": "3"}, doc["keyFacts"])
	})
	t.Run("an unregistered hash is unknown with no documents", func(t *testing.T) {
		_, body := get(t, srv.URL+"/api/v1/verify?sha256="+hashUnknown)
		got := decode[map[string]any](t, body)
		require.Equal(t, "unknown", got["status"])
		require.Empty(t, got["documents"])
	})
	t.Run("a malformed hash is 400", func(t *testing.T) {
		resp, _ := get(t, srv.URL+"/api/v1/verify?sha256=12")
		require.Equal(t, http.StatusBadRequest, resp.StatusCode)
	})
}

func TestTrustList(t *testing.T) {
	srv, _, _ := fixture(t)
	resp, body := get(t, srv.URL+"/trust-list.json")
	require.Equal(t, http.StatusOK, resp.StatusCode)
	got := decode[map[string]any](t, body)
	require.Equal(t, "civic", got["channel"])
	require.NotEmpty(t, got["generatedAt"])
	admin := got["administrations"].([]any)[0].(map[string]any)
	require.Equal(t, "RegistryMSP", admin["mspId"])
	require.Equal(t, "Registry of Certified Documents", admin["name"])
	require.Equal(t, []any{"AQID"}, admin["caCerts"])
	require.Equal(t, []any{}, admin["intermediateCerts"])
}

func TestRegisterTwins(t *testing.T) {
	srv, _, _ := fixture(t)
	t.Run("the JSON register lists public facts and no key facts", func(t *testing.T) {
		_, body := get(t, srv.URL+"/registers/documents.json?issuer=RegistryMSP&type=permit")
		got := decode[map[string]any](t, body)
		require.Equal(t, 1.0, got["total"])
		doc := got["documents"].([]any)[0].(map[string]any)
		require.Equal(t, "PER-2", doc["id"])
		require.NotContains(t, body, "keyFacts")
	})
	t.Run("the CSV register has a header and one row per document", func(t *testing.T) {
		resp, body := get(t, srv.URL+"/registers/documents.csv")
		require.Equal(t, "text/csv; charset=utf-8", resp.Header.Get("Content-Type"))
		rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
		require.NoError(t, err)
		require.Len(t, rows, 3)
		require.Equal(t, "issuer", rows[0][0])
	})
	t.Run("the administrations and audit twins answer", func(t *testing.T) {
		_, body := get(t, srv.URL+"/registers/administrations.csv")
		require.Contains(t, body, "RegistryMSP,Registry of Certified Documents")
		_, body = get(t, srv.URL+"/audit.json")
		require.Contains(t, body, `"validationCode": "VALID"`)
	})
	t.Run("a bad filter is a 400 with a message", func(t *testing.T) {
		resp, body := get(t, srv.URL+"/registers/documents.json?type=novel")
		require.Equal(t, http.StatusBadRequest, resp.StatusCode)
		require.Contains(t, body, "type must be one of")
	})
}
