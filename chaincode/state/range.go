package state

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/hyperledger/fabric-chaincode-go/v2/shim"
	"github.com/hyperledger/fabric-protos-go-apiv2/ledger/queryresult"
)

// ErrBookmark marks a bookmark that was not issued for the listing it was
// passed to: malformed, or naming a key outside the listed range.
var ErrBookmark = errors.New("bookmark was not issued for this listing")

// maxBookmark bounds the length of a bookmark argument; the longest key of
// any listing encodes in well under half of it.
const maxBookmark = 1024

// ListJSON decodes every entry of objectType whose leading attributes are
// attrs, in key order. It returns an empty, non-nil slice when none match.
// The whole range is read: callers must keep such kinds small or paginate.
func ListJSON[T any](stub shim.ChaincodeStubInterface, objectType string, attrs ...string) ([]*T, error) {
	if attrs == nil {
		attrs = []string{}
	}
	it, err := stub.GetStateByPartialCompositeKey(objectType, attrs)
	if err != nil {
		return nil, fmt.Errorf("query %s range: %w", objectType, err)
	}
	return collect(it, objectType+" range", func(kv *queryresult.KV) (*T, error) {
		return DecodeJSON[T](kv.Key, kv.Value)
	})
}

// Page reads one page of the entries of objectType whose leading attributes
// are attrs, in key order: at most size entries from bookmark on (empty for
// the first page), each turned into a T by decode. It returns the bookmark
// of the next page, empty after the last one. The peer runs paginated
// queries in read-only transactions only.
//
// Bookmarks are opaque to clients: the unpadded base64url of the key the
// next page starts at, so that a command line can pass them. A bookmark must
// name a key inside the range, because the peer starts the range at it as
// given: a forged one, or one from another listing, could otherwise list
// entries of other kinds or owners. Such a bookmark fails with an error
// wrapping ErrBookmark.
func Page[T any](stub shim.ChaincodeStubInterface, objectType string, attrs []string, size int32, bookmark string, decode func(key string, value []byte) (T, error)) ([]T, string, error) {
	if attrs == nil {
		attrs = []string{}
	}
	prefix, err := Key(stub, objectType, attrs...)
	if err != nil {
		return nil, "", err
	}
	start, err := decodeBookmark(bookmark, prefix)
	if err != nil {
		return nil, "", fmt.Errorf("%s range: %w", objectType, err)
	}
	it, md, err := stub.GetStateByPartialCompositeKeyWithPagination(objectType, attrs, size, start)
	if err != nil {
		return nil, "", fmt.Errorf("query %s page: %w", objectType, err)
	}
	items, err := collect(it, objectType+" page", func(kv *queryresult.KV) (T, error) {
		return decode(kv.Key, kv.Value)
	})
	if err != nil {
		return nil, "", err
	}
	next := ""
	if md != nil && md.GetBookmark() != "" {
		next = base64.RawURLEncoding.EncodeToString([]byte(md.GetBookmark()))
	}
	return items, next, nil
}

// decodeBookmark returns the start key a bookmark names, "" for none, or an
// error wrapping ErrBookmark unless it is a key under prefix.
func decodeBookmark(bookmark, prefix string) (string, error) {
	if bookmark == "" {
		return "", nil
	}
	if len(bookmark) > maxBookmark {
		return "", ErrBookmark
	}
	raw, err := base64.RawURLEncoding.DecodeString(bookmark)
	if err != nil || !strings.HasPrefix(string(raw), prefix) {
		return "", ErrBookmark
	}
	return string(raw), nil
}

// collect turns every entry of it into a T with decode, in order, and
// closes it; what names the range in errors. It returns an empty, non-nil
// slice for an empty range.
func collect[T any](it shim.StateQueryIteratorInterface, what string, decode func(*queryresult.KV) (T, error)) (out []T, err error) {
	defer func() {
		if cerr := it.Close(); cerr != nil && err == nil {
			out, err = nil, fmt.Errorf("close %s: %w", what, cerr)
		}
	}()
	out = []T{}
	for it.HasNext() {
		kv, err := it.Next()
		if err != nil {
			return nil, fmt.Errorf("iterate %s: %w", what, err)
		}
		v, err := decode(kv)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// DecodeJSON decodes value, stored at key, into a new T: the decode
// function of Page for entries stored as JSON.
func DecodeJSON[T any](key string, value []byte) (*T, error) {
	v := new(T)
	if err := json.Unmarshal(value, v); err != nil {
		return nil, fmt.Errorf("decode state %q: %w", key, err)
	}
	return v, nil
}
