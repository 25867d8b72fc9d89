package state_test

import (
	"encoding/base64"
	"errors"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/civicledger/civicledger/chaincode/internal/fakestub"
	"github.com/civicledger/civicledger/chaincode/state"
)

func TestPage(t *testing.T) {
	// ledger holds entries a/1..a/5 and b/1 of kind "entry", and one "other".
	ledger := func(t *testing.T) *fakestub.Stub {
		stub := fakestub.New()
		for _, attrs := range [][]string{{"a", "3"}, {"a", "1"}, {"a", "5"}, {"a", "2"}, {"a", "4"}, {"b", "1"}} {
			key, err := state.Key(stub, "entry", attrs...)
			require.NoError(t, err)
			require.NoError(t, state.PutJSON(stub, key, entry{Name: attrs[0] + attrs[1]}))
		}
		key, err := state.Key(stub, "other", "a")
		require.NoError(t, err)
		require.NoError(t, state.PutJSON(stub, key, entry{Name: "other"}))
		return stub
	}
	names := func(list []*entry) []string {
		var out []string
		for _, e := range list {
			out = append(out, e.Name)
		}
		return out
	}

	t.Run("pages follow one another through opaque bookmarks until an empty one", func(t *testing.T) {
		stub := ledger(t)
		var got []string
		bookmark := ""
		for pages := 1; ; pages++ {
			list, next, err := state.Page(stub, "entry", []string{"a"}, 2, bookmark, state.DecodeJSON[entry])
			require.NoError(t, err)
			got = append(got, names(list)...)
			if next == "" {
				require.Equal(t, 3, pages)
				break
			}
			require.NotContains(t, next, "\x00", "a bookmark must be passable on a command line")
			bookmark = next
		}
		require.Equal(t, []string{"a1", "a2", "a3", "a4", "a5"}, got)
		require.Zero(t, stub.OpenIterators())
	})

	t.Run("an empty range is an empty non-nil page without bookmark", func(t *testing.T) {
		list, next, err := state.Page(ledger(t), "entry", []string{"c"}, 10, "", state.DecodeJSON[entry])
		require.NoError(t, err)
		require.NotNil(t, list)
		require.Empty(t, list)
		require.Empty(t, next)
	})

	t.Run("a bookmark not issued for the range is refused", func(t *testing.T) {
		stub := ledger(t)
		_, wider, err := state.Page(stub, "entry", []string{}, 5, "", state.DecodeJSON[entry])
		require.NoError(t, err)
		otherKind, err := state.Key(stub, "other", "a")
		require.NoError(t, err)
		enc := func(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }
		for name, bookmark := range map[string]string{
			"one from a wider listing":   wider,
			"a raw key":                  "\x00entry\x00a\x002\x00",
			"a key of another kind":      enc(otherKind),
			"the start of the ledger":    enc("\x00"),
			"padded standard base64":     base64.StdEncoding.EncodeToString([]byte("\x00entry\x00a\x003\x00")),
			"text that is not base64":    "%%%",
			"an over-long bookmark":      enc("\x00entry\x00a\x00" + string(make([]byte, 1024))),
			"a key of a sibling listing": enc("\x00entry\x00b\x001\x00"),
		} {
			t.Run(name, func(t *testing.T) {
				list, next, err := state.Page(stub, "entry", []string{"a"}, 10, bookmark, state.DecodeJSON[entry])
				require.ErrorIs(t, err, state.ErrBookmark)
				require.Nil(t, list)
				require.Empty(t, next)
			})
		}
	})

	t.Run("an undecodable entry or a failed iteration fails the page and closes the iterator", func(t *testing.T) {
		stub := ledger(t)
		key, err := state.Key(stub, "entry", "a", "0")
		require.NoError(t, err)
		require.NoError(t, stub.PutState(key, []byte("nope")))
		_, _, err = state.Page(stub, "entry", []string{"a"}, 10, "", state.DecodeJSON[entry])
		require.Error(t, err)
		require.Zero(t, stub.OpenIterators())

		boom := errors.New("boom")
		stub = ledger(t)
		stub.NextErr = boom
		_, _, err = state.Page(stub, "entry", []string{"a"}, 10, "", state.DecodeJSON[entry])
		require.ErrorIs(t, err, boom)
		require.Zero(t, stub.OpenIterators())
	})
}
