package base

import (
	"encoding/json"

	"github.com/civicledger/civicledger/chaincode/records"
)

// KeyHistory reads every committed version of key; what names the record in
// error messages.
func KeyHistory(ctx *TxContext, key, what string) (versions []*records.RecordVersion, err error) {
	it, err := ctx.GetStub().GetHistoryForKey(key)
	if err != nil {
		return nil, Internal(err, "read history of %s", what)
	}
	defer func() {
		if cerr := it.Close(); cerr != nil && err == nil {
			versions, err = nil, Internal(cerr, "close history of %s", what)
		}
	}()
	versions = []*records.RecordVersion{}
	for it.HasNext() {
		m, err := it.Next()
		if err != nil {
			return nil, Internal(err, "read history of %s", what)
		}
		v := &records.RecordVersion{TxID: m.GetTxId(), IsDelete: m.GetIsDelete()}
		if ts := m.GetTimestamp(); ts != nil {
			v.Timestamp = FormatTime(ts.AsTime())
		}
		if !m.GetIsDelete() {
			if !json.Valid(m.GetValue()) {
				return nil, Internal(nil, "version %s of %s is not JSON", m.GetTxId(), what)
			}
			v.Value = string(m.GetValue())
		}
		versions = append(versions, v)
	}
	return versions, nil
}
