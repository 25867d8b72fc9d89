package base

import (
	"errors"
	"strconv"

	"github.com/civicledger/civicledger/chaincode/spec"
	"github.com/civicledger/civicledger/chaincode/state"
)

// ParsePageSize parses the pageSize argument of a listing: a decimal from 1
// to 100, or "" or "0" for 20. It is a string, as every argument is on the
// wire, so that a malformed one is refused as INVALID_ARGUMENT by the
// contract rather than by the contract API.
func ParsePageSize(value string) (int32, error) {
	if value == "" || value == "0" {
		return spec.DefaultPageSize, nil
	}
	n, err := strconv.Atoi(value)
	if err != nil || value[0] < '0' || value[0] > '9' || n < 1 || n > spec.MaxPageSize {
		return 0, InvalidArgument("pageSize %q is not a number from 1 to %d (\"\" or 0 for %d)", Clip(value), spec.MaxPageSize, spec.DefaultPageSize)
	}
	return int32(n), nil
}

// ListPage reads one page of the entries of objectType under attrs, each
// turned into a T by decode; what names the listing in errors. A bookmark
// that this listing did not issue is INVALID_ARGUMENT, a ledger failure
// INTERNAL.
func ListPage[T any](ctx *TxContext, what, objectType string, attrs []string, size int32, bookmark string, decode func(key string, value []byte) (T, error)) ([]T, string, error) {
	items, next, err := state.Page(ctx.GetStub(), objectType, attrs, size, bookmark, decode)
	if errors.Is(err, state.ErrBookmark) {
		return nil, "", InvalidArgument("bookmark %q was not issued for this listing of %s", Clip(bookmark), what)
	}
	if err != nil {
		return nil, "", Internal(err, "list %s", what)
	}
	return items, next, nil
}
