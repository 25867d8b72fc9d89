package contracts

import (
	"errors"
	"strconv"

	"github.com/civicledger/civicledger/chaincode/state"
)

// Page sizes of every listing.
const (
	defaultPageSize = 20
	maxPageSize     = 100
)

// parsePageSize parses the pageSize argument of a listing: a decimal from 1
// to 100, or "" or "0" for 20. It is a string, as every argument is on the
// wire, so that a malformed one is refused as INVALID_ARGUMENT by the
// contract rather than by the contract API.
func parsePageSize(value string) (int32, error) {
	if value == "" || value == "0" {
		return defaultPageSize, nil
	}
	n, err := strconv.Atoi(value)
	if err != nil || value[0] < '0' || value[0] > '9' || n < 1 || n > maxPageSize {
		return 0, InvalidArgument("pageSize %q is not a number from 1 to %d (\"\" or 0 for %d)", clip(value), maxPageSize, defaultPageSize)
	}
	return int32(n), nil
}

// listPage reads one page of the entries of objectType under attrs, each
// turned into a T by decode; what names the listing in errors. A bookmark
// that this listing did not issue is INVALID_ARGUMENT, a ledger failure
// INTERNAL.
func listPage[T any](ctx *TxContext, what, objectType string, attrs []string, size int32, bookmark string, decode func(key string, value []byte) (T, error)) ([]T, string, error) {
	items, next, err := state.Page(ctx.GetStub(), objectType, attrs, size, bookmark, decode)
	if errors.Is(err, state.ErrBookmark) {
		return nil, "", InvalidArgument("bookmark %q was not issued for this listing of %s", clip(bookmark), what)
	}
	if err != nil {
		return nil, "", Internal(err, "list %s", what)
	}
	return items, next, nil
}
