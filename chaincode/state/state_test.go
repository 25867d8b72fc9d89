package state_test

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/civicledger/civicledger/chaincode/internal/fakestub"
	"github.com/civicledger/civicledger/chaincode/state"
)

type entry struct {
	Name  string            `json:"name"`
	Count int               `json:"count"`
	Tags  map[string]string `json:"tags,omitempty"`
}

func TestJSON(t *testing.T) {
	t.Run("a value is written as deterministic json and read back", func(t *testing.T) {
		stub := fakestub.New()
		key, err := state.Key(stub, "entry", "a")
		require.NoError(t, err)
		require.NoError(t, state.PutJSON(stub, key, entry{Name: "a", Count: 1, Tags: map[string]string{"z": "1", "b": "2"}}))
		raw, err := stub.GetState(key)
		require.NoError(t, err)
		require.Equal(t, `{"name":"a","count":1,"tags":{"b":"2","z":"1"}}`, string(raw))

		var got entry
		found, err := state.GetJSON(stub, key, &got)
		require.NoError(t, err)
		require.True(t, found)
		require.Equal(t, "a", got.Name)
	})

	t.Run("an absent key is not found and not an error", func(t *testing.T) {
		var got entry
		found, err := state.GetJSON(fakestub.New(), "missing", &got)
		require.NoError(t, err)
		require.False(t, found)
	})

	t.Run("a failed read is an error, never not found", func(t *testing.T) {
		stub := fakestub.New()
		boom := errors.New("boom")
		stub.GetStateErr = boom
		found, err := state.GetJSON(stub, "k", &entry{})
		require.ErrorIs(t, err, boom)
		require.False(t, found)
	})

	t.Run("an undecodable value is an error", func(t *testing.T) {
		stub := fakestub.New()
		require.NoError(t, stub.PutState("k", []byte("[")))
		_, err := state.GetJSON(stub, "k", &entry{})
		require.Error(t, err)
	})

	t.Run("a failed write or unencodable value is an error", func(t *testing.T) {
		stub := fakestub.New()
		require.Error(t, state.PutJSON(stub, "k", func() {}))
		stub.PutStateErr = errors.New("boom")
		require.ErrorIs(t, state.PutJSON(stub, "k", entry{}), stub.PutStateErr)
	})

	t.Run("a key attribute that is not utf-8 is refused", func(t *testing.T) {
		_, err := state.ProfileKey(fakestub.New(), "\xff")
		require.Error(t, err)
	})
}

func TestListJSON(t *testing.T) {
	t.Run("entries of one object type are listed in key order and the iterator closed", func(t *testing.T) {
		stub := fakestub.New()
		for _, name := range []string{"c", "a", "b"} {
			key, err := state.Key(stub, "entry", name)
			require.NoError(t, err)
			require.NoError(t, state.PutJSON(stub, key, entry{Name: name}))
		}
		other, err := state.Key(stub, "other", "x")
		require.NoError(t, err)
		require.NoError(t, state.PutJSON(stub, other, entry{Name: "other"}))

		list, err := state.ListJSON[entry](stub, "entry")
		require.NoError(t, err)
		var names []string
		for _, e := range list {
			names = append(names, e.Name)
		}
		require.Equal(t, []string{"a", "b", "c"}, names)
		require.Zero(t, stub.OpenIterators())
	})

	t.Run("no entries is an empty non-nil slice", func(t *testing.T) {
		list, err := state.ListJSON[entry](fakestub.New(), "entry")
		require.NoError(t, err)
		require.NotNil(t, list)
		require.Empty(t, list)
	})

	t.Run("an undecodable entry fails the listing and still closes the iterator", func(t *testing.T) {
		stub := fakestub.New()
		key, err := state.Key(stub, "entry", "a")
		require.NoError(t, err)
		require.NoError(t, stub.PutState(key, []byte("nope")))
		list, err := state.ListJSON[entry](stub, "entry")
		require.Error(t, err)
		require.Nil(t, list)
		require.Zero(t, stub.OpenIterators())
	})
}
